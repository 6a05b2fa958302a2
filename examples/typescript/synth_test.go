// Package typescript holds the TypeScript CDK example's test: it synthesizes the app with the pinned aws-cdk-lib
// and checks the custom resource's properties against the provider's contract.
package typescript

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
	"github.com/gtrole/groundtruth-execution-role/test/cfntemplate"
)

// Sample values the synthesized template is resolved with.
const (
	account     = "123456789012"
	region      = "us-east-1"
	dataBucket  = "labeling-data-bucket"
	serviceARN  = "arn:aws:lambda:us-east-1:123456789012:function:gt-provider"
	exportName  = "GroundTruthRoleProvider-ServiceToken"
	stackName   = "LabelingTypeScript"
	templateOut = stackName + ".template.json"
)

// synth installs the example's pinned packages when missing, compiles it with tsc and runs the app into a
// temporary cloud assembly, returning the stack's template.
func synth(t *testing.T) []byte {
	t.Helper()
	for _, tool := range []string{"node", "npm", "npx"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed; the TypeScript example needs Node.js", tool)
		}
	}
	run := func(env []string, name string, args ...string) {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Env = append(os.Environ(), env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
	}
	if _, err := os.Stat(filepath.Join("node_modules", "aws-cdk-lib", "package.json")); err != nil {
		run(nil, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
	}
	// A go.mod of its own keeps any Go file under node_modules out of `go ./...`, as the root Makefile does.
	if err := os.WriteFile(filepath.Join("node_modules", "go.mod"), []byte("module node_modules\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run(nil, "npx", "--no-install", "tsc")
	out := t.TempDir()
	run([]string{"CDK_OUTDIR=" + out}, "node", filepath.Join("dist", "bin", "app.js"))
	raw, err := os.ReadFile(filepath.Join(out, templateOut))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("synthesized %s (%d bytes)", templateOut, len(raw))
	return raw
}

// TestTypeScriptExampleMatchesContract resolves the example's Custom::GroundTruthExecutionRole as CloudFormation
// would and parses its properties with spec.Parse, the provider's own validation.
func TestTypeScriptExampleMatchesContract(t *testing.T) {
	raw := synth(t)
	// The default synthesizer's BootstrapVersion is an SSM parameter only the template's Rules read: drop it.
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if params, ok := doc["Parameters"].(map[string]any); ok {
		delete(params, "BootstrapVersion")
	}
	if rules, ok := doc["Rules"].(map[string]any); ok {
		delete(rules, "CheckBootstrapVersion") // its rule, which reads the SSM parameter, goes with it
	}
	trimmed, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := cfntemplate.Parse(trimmed)
	if err != nil {
		t.Fatal(err)
	}
	ids := tmpl.ResourceIDs("Custom::GroundTruthExecutionRole")
	if len(ids) != 1 {
		t.Fatalf("the example has %d Custom::GroundTruthExecutionRole resources %v, want 1", len(ids), ids)
	}
	stack, err := tmpl.Bind(cfntemplate.Context{
		Partition: "aws", Region: region, AccountID: account, StackName: stackName,
		StackID: "arn:aws:cloudformation:us-east-1:123456789012:stack/" + stackName + "/5b6a1e20-c7a1-11f0-9d2a-0affd1f1e3a5",
		ImportValue: func(name string) (string, error) {
			if name != exportName {
				t.Errorf("the example imports %q, want the provider stack's %q", name, exportName)
			}
			return serviceARN, nil
		},
		Ref: func(string) (string, error) { return dataBucket, nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	props, err := stack.ResourceProperties(ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if props["ServiceToken"] != serviceARN {
		t.Errorf("ServiceToken = %v, want the imported %s", props["ServiceToken"], serviceARN)
	}
	delete(props, "ServiceToken")
	settings, err := spec.SettingsFromEnv(func(string) string { return "" }, "aws")
	if err != nil {
		t.Fatal(err)
	}
	got, err := spec.Parse(props, spec.Target{Account: account, Region: region, Settings: settings})
	if err != nil {
		t.Fatalf("the example's properties fail the provider's validation: %v\n%v", err, props)
	}
	want := spec.Spec{
		Path:                    "/groundtruth/",
		Description:             "Ground Truth execution role for the TypeScript example",
		MaxSessionDuration:      7200,
		Tags:                    []spec.Tag{{Key: "team", Value: "vision"}},
		InputBuckets:            []spec.S3Location{{Bucket: dataBucket, Prefix: "input/"}},
		OutputBuckets:           []spec.S3Location{{Bucket: dataBucket, Prefix: "labels/"}, {Bucket: "shared-labeling-output"}},
		StreamingInputTopicArns: []string{"arn:aws:sns:us-east-1:123456789012:gt-input-topic"},
		UseManagedPolicy:        true,
		ResourceAccounts:        []string{account}, // the default data perimeter: the role's own account
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the example's role spec:\n got %+v\nwant %+v", got, want)
	}

	var outputs struct {
		Outputs map[string]struct{ Value any }
	}
	if err := json.Unmarshal(raw, &outputs); err != nil {
		t.Fatal(err)
	}
	for name, attr := range map[string]string{"RoleArn": "Arn", "RoleName": "RoleName"} {
		wantValue := map[string]any{"Fn::GetAtt": []any{ids[0], attr}}
		if v := outputs.Outputs[name].Value; !reflect.DeepEqual(v, wantValue) {
			t.Errorf("output %s = %v, want %v", name, v, wantValue)
		}
	}
}

// TestWrapperCoversTheContract checks that the TypeScript wrapper renders every property of the contract and no
// other: each `Name: props.` line of renderProperties.
func TestWrapperCoversTheContract(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("lib", "ground-truth-execution-role.ts"))
	if err != nil {
		t.Fatal(err)
	}
	var rendered []string
	for _, m := range regexp.MustCompile(`(?m)^\s+([A-Z][A-Za-z]+): .*props\.`).FindAllStringSubmatch(string(src), -1) {
		rendered = append(rendered, m[1])
	}
	want := contract.Names()
	slices.Sort(rendered)
	slices.Sort(want)
	if !slices.Equal(rendered, want) {
		t.Errorf("the wrapper renders %v, the contract has %v", rendered, want)
	}
}
