package main

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/gtrole/groundtruth-execution-role/cdk/gtrole"
	"github.com/gtrole/groundtruth-execution-role/cdk/provider"
)

// nagFindings returns the unsuppressed AwsSolutions errors and warnings cdk-nag reported on stack.
func nagFindings(stack awscdk.Stack) []string {
	annotations := assertions.Annotations_FromStack(stack)
	match := assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-.*"))
	var out []string
	for _, m := range *annotations.FindError(jsii.String("*"), match) {
		out = append(out, fmt.Sprintf("error at %s: %v", *m.Id, m.Entry.Data))
	}
	for _, m := range *annotations.FindWarning(jsii.String("*"), match) {
		out = append(out, fmt.Sprintf("warning at %s: %v", *m.Id, m.Entry.Data))
	}
	return out
}

func TestNoUnsuppressedNagFindings(t *testing.T) {
	app, stacks := newTestApp(t)
	checked := false
	for _, a := range *awscdk.Aspects_Of(app).All() {
		if _, ok := a.(cdknag.AwsSolutionsChecks); ok {
			checked = true
		}
	}
	if !checked {
		t.Fatal("the app does not apply cdknag.AwsSolutionsChecks")
	}
	for name, stack := range map[string]awscdk.Stack{"provider": stacks.provider, "examples": stacks.examples.Stack} {
		for _, f := range nagFindings(stack) {
			t.Errorf("%s stack: %s", name, f)
		}
	}
}

// TestNagCheckDetectsFindings proves nagFindings reports what cdk-nag finds, so the test above can fail.
func TestNagCheckDetectsFindings(t *testing.T) {
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
	stack := awscdk.NewStack(app, jsii.String("Careless"), nil)
	awss3.NewBucket(stack, jsii.String("Bare"), nil)
	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(nil), nil)
	if got := nagFindings(stack); len(got) == 0 {
		t.Fatal("cdk-nag reported nothing on a bucket without access logs or TLS enforcement")
	}
}

func TestExamplesCoverEveryScenario(t *testing.T) {
	_, stacks := newTestApp(t)
	raw, err := json.Marshal(assertions.Template_FromStack(stacks.examples.Stack, nil).ToJSON())
	if err != nil {
		t.Fatalf("marshal template: %v", err)
	}
	var tpl templateResources
	if err := json.Unmarshal(raw, &tpl); err != nil {
		t.Fatalf("decode template: %v", err)
	}

	want := map[string][]string{
		scenarioNonStreaming: {"Description", "InputBuckets", "MaxSessionDuration", "OutputBuckets", "ServiceTimeout", "ServiceToken", "Tags"},
		scenarioStreaming: {"Description", "InputBuckets", "KmsKeyArns", "OutputBuckets", "ServiceTimeout", "ServiceToken",
			"StreamingInputTopicArns", "StreamingOutputTopicArns"},
		scenarioCustomWorkflow: {"Description", "InputBuckets", "OutputBuckets", "PostAnnotationLambdaArns",
			"PreAnnotationLambdaArns", "ServiceTimeout", "ServiceToken"},
		scenarioAutomatedLabeling: {"AutomatedLabeling", "Description", "InputBuckets", "OutputBuckets", "ServiceTimeout", "ServiceToken",
			"VolumeKmsKeyArns"},
		scenarioKms: {"ConfusedDeputyProtection", "Description", "InputBuckets", "KmsKeyArns", "OutputBuckets",
			"ServiceTimeout", "ServiceToken"},
	}
	if len(stacks.examples.roles) != len(want) {
		t.Errorf("example roles %d, want %d", len(stacks.examples.roles), len(want))
	}
	importToken := `{"Fn::ImportValue":"` + provider.ServiceTokenExportName(providerStackName) + `"}`
	for scenario, keys := range want {
		role, ok := stacks.examples.roles[scenario]
		if !ok {
			t.Errorf("no example role for scenario %s", scenario)
			continue
		}
		id := *stacks.examples.GetLogicalId(role.Resource().Node().DefaultChild().(awscdk.CfnElement))
		r, ok := tpl.Resources[id]
		if !ok || r.Type != gtrole.ResourceType {
			t.Errorf("%s: resource %s is %q, want %s", scenario, id, r.Type, gtrole.ResourceType)
			continue
		}
		var got []string
		for k := range r.Properties {
			got = append(got, k)
		}
		sort.Strings(got)
		if !reflect.DeepEqual(got, keys) {
			t.Errorf("%s properties %v, want %v", scenario, got, keys)
		}
		var token, wantToken any
		_ = json.Unmarshal(r.Properties["ServiceToken"], &token)
		_ = json.Unmarshal([]byte(importToken), &wantToken)
		if !reflect.DeepEqual(token, wantToken) {
			t.Errorf("%s ServiceToken %s, want %s", scenario, r.Properties["ServiceToken"], importToken)
		}
	}
	counts := tpl.countTypes()
	for typ, n := range map[string]int{gtrole.ResourceType: 5, "AWS::S3::Bucket": 4, "AWS::SNS::Topic": 2,
		"AWS::KMS::Key": 2, "AWS::Lambda::Function": 2} {
		if counts[typ] != n {
			t.Errorf("%s: %d resources, want %d", typ, counts[typ], n)
		}
	}
	deps := stacks.examples.Dependencies()
	if len(*deps) != 1 || *(*deps)[0].StackName() != providerStackName {
		t.Errorf("examples stack should depend on the provider stack only")
	}
}
