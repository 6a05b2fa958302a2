package templates

import (
	"maps"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/internal/cfntemplate"
	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// publicProperties are the property names of Custom::GroundTruthExecutionRole (the public interface).
var publicProperties = []string{
	"ServiceToken", "ServiceTimeout", "RoleName", "Path", "Description", "MaxSessionDuration", "PermissionsBoundary", "Tags",
	"InputBuckets", "OutputBuckets", "StreamingInputTopicArns", "StreamingOutputTopicArns",
	"PreAnnotationLambdaArns", "PostAnnotationLambdaArns", "AutomatedLabeling", "KmsKeyArns",
	"VolumeKmsKeyArns", "UseManagedPolicy", "ManagedPolicyArns", "ConfusedDeputyProtection",
}

const (
	topicIn   = "arn:aws:sns:us-east-1:123456789012:gt-input"
	topicOut  = "arn:aws:sns:us-east-1:123456789012:gt-output"
	preLambda = "arn:aws:lambda:us-east-1:123456789012:function:gt-pre"
	postFn    = "arn:aws:lambda:us-east-1:123456789012:function:gt-post:live"
	keyData   = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	keyVolume = "arn:aws:kms:us-east-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef"
)

// scenarioCase is a template, sample parameters and the exact properties its custom resource must get.
type scenarioCase struct {
	name   string
	file   string
	params map[string]string
	want   map[string]any
}

var scenarioCases = []scenarioCase{
	{
		name:   "non-streaming",
		file:   "non-streaming.yaml",
		params: map[string]string{"InputBuckets": "gt-input", "OutputBuckets": "gt-output/labels"},
		want: map[string]any{
			"ServiceToken":  providerArn,
			"Description":   "Ground Truth execution role (non-streaming) from stack gt-roles",
			"InputBuckets":  []any{"gt-input"},
			"OutputBuckets": []any{"gt-output/labels"},
		},
	},
	{
		name: "non-streaming with role name, ARNs and another provider",
		file: "non-streaming.yaml",
		params: map[string]string{
			"ProviderStackName": "other-provider",
			"RoleName":          "labeling-team-a",
			"InputBuckets":      "arn:aws:s3:::gt-input/manifests,gt-data",
			"OutputBuckets":     "arn:aws:s3:::gt-output",
		},
		want: map[string]any{
			"ServiceToken":  otherArn,
			"RoleName":      "labeling-team-a",
			"Description":   "Ground Truth execution role (non-streaming) from stack gt-roles",
			"InputBuckets":  []any{"arn:aws:s3:::gt-input/manifests", "gt-data"},
			"OutputBuckets": []any{"arn:aws:s3:::gt-output"},
		},
	},
	{
		name: "streaming with output topic",
		file: "streaming.yaml",
		params: map[string]string{
			"InputBuckets": "gt-input", "OutputBuckets": "gt-output",
			"StreamingInputTopicArns": topicIn, "StreamingOutputTopicArns": topicOut,
		},
		want: map[string]any{
			"ServiceToken":             providerArn,
			"Description":              "Ground Truth execution role (streaming) from stack gt-roles",
			"InputBuckets":             []any{"gt-input"},
			"OutputBuckets":            []any{"gt-output"},
			"StreamingInputTopicArns":  []any{topicIn},
			"StreamingOutputTopicArns": []any{topicOut},
		},
	},
	{
		name: "streaming without output topic",
		file: "streaming.yaml",
		params: map[string]string{
			"InputBuckets": "gt-input", "OutputBuckets": "gt-output", "StreamingInputTopicArns": topicIn,
		},
		want: map[string]any{
			"ServiceToken":            providerArn,
			"Description":             "Ground Truth execution role (streaming) from stack gt-roles",
			"InputBuckets":            []any{"gt-input"},
			"OutputBuckets":           []any{"gt-output"},
			"StreamingInputTopicArns": []any{topicIn},
		},
	},
	{
		name: "custom workflow",
		file: "custom-workflow.yaml",
		params: map[string]string{
			"InputBuckets": "gt-input", "OutputBuckets": "gt-output",
			"PreAnnotationLambdaArns": preLambda, "PostAnnotationLambdaArns": postFn,
		},
		want: map[string]any{
			"ServiceToken":             providerArn,
			"Description":              "Ground Truth execution role (custom workflow) from stack gt-roles",
			"InputBuckets":             []any{"gt-input"},
			"OutputBuckets":            []any{"gt-output"},
			"PreAnnotationLambdaArns":  []any{preLambda},
			"PostAnnotationLambdaArns": []any{postFn},
		},
	},
	{
		name:   "automated labeling",
		file:   "automated-labeling.yaml",
		params: map[string]string{"InputBuckets": "gt-input", "OutputBuckets": "gt-output"},
		want: map[string]any{
			"ServiceToken":      providerArn,
			"Description":       "Ground Truth execution role (automated data labeling) from stack gt-roles",
			"InputBuckets":      []any{"gt-input"},
			"OutputBuckets":     []any{"gt-output"},
			"AutomatedLabeling": "true",
		},
	},
	{
		name: "automated labeling with volume keys",
		file: "automated-labeling.yaml",
		params: map[string]string{
			"InputBuckets": "gt-input", "OutputBuckets": "gt-output", "VolumeKmsKeyArns": keyVolume,
		},
		want: map[string]any{
			"ServiceToken":      providerArn,
			"Description":       "Ground Truth execution role (automated data labeling) from stack gt-roles",
			"InputBuckets":      []any{"gt-input"},
			"OutputBuckets":     []any{"gt-output"},
			"AutomatedLabeling": "true",
			"VolumeKmsKeyArns":  []any{keyVolume},
		},
	},
	{
		name: "kms",
		file: "kms.yaml",
		params: map[string]string{
			"InputBuckets": "gt-input", "OutputBuckets": "gt-output", "KmsKeyArns": keyData + "," + keyVolume,
		},
		want: map[string]any{
			"ServiceToken":  providerArn,
			"Description":   "Ground Truth execution role (KMS) from stack gt-roles",
			"InputBuckets":  []any{"gt-input"},
			"OutputBuckets": []any{"gt-output"},
			"KmsKeyArns":    []any{keyData, keyVolume},
		},
	},
	{
		name:   "product with input and output locations only",
		file:   "product.yaml",
		params: map[string]string{"InputBuckets": "gt-input", "OutputBuckets": "gt-output"},
		want: map[string]any{
			"ServiceToken":      providerArn,
			"InputBuckets":      []any{"gt-input"},
			"OutputBuckets":     []any{"gt-output"},
			"AutomatedLabeling": "false",
		},
	},
	{
		name:   "product for a streaming job without input buckets",
		file:   "product.yaml",
		params: map[string]string{"OutputBuckets": "gt-output", "StreamingInputTopicArns": topicIn},
		want: map[string]any{
			"ServiceToken":            providerArn,
			"OutputBuckets":           []any{"gt-output"},
			"StreamingInputTopicArns": []any{topicIn},
			"AutomatedLabeling":       "false",
		},
	},
	{
		name: "product with everything",
		file: "product.yaml",
		params: map[string]string{
			"RoleName":                 "team-a-labeling",
			"RoleDescription":          "Team A labeling jobs",
			"InputBuckets":             "gt-input,gt-data/images",
			"OutputBuckets":            "gt-output",
			"KmsKeyArns":               keyData,
			"StreamingInputTopicArns":  topicIn,
			"StreamingOutputTopicArns": topicOut,
			"PreAnnotationLambdaArns":  preLambda,
			"PostAnnotationLambdaArns": postFn,
			"AutomatedLabeling":        "true",
			"VolumeKmsKeyArns":         keyVolume,
		},
		want: map[string]any{
			"ServiceToken":             providerArn,
			"RoleName":                 "team-a-labeling",
			"Description":              "Team A labeling jobs",
			"InputBuckets":             []any{"gt-input", "gt-data/images"},
			"OutputBuckets":            []any{"gt-output"},
			"KmsKeyArns":               []any{keyData},
			"StreamingInputTopicArns":  []any{topicIn},
			"StreamingOutputTopicArns": []any{topicOut},
			"PreAnnotationLambdaArns":  []any{preLambda},
			"PostAnnotationLambdaArns": []any{postFn},
			"AutomatedLabeling":        "true",
			"VolumeKmsKeyArns":         []any{keyVolume},
		},
	},
}

func TestScenarioProperties(t *testing.T) {
	for _, tc := range scenarioCases {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, stack, err := bind(t, tc.file, tc.params)
			if err != nil {
				t.Fatalf("bind: %v", err)
			}
			ids := tmpl.ResourceIDs(resourceType)
			if len(ids) != 1 || ids[0] != "ExecutionRole" {
				t.Fatalf("%s resources = %v, want [ExecutionRole]", resourceType, ids)
			}
			got, err := stack.ResourceProperties("ExecutionRole")
			if err != nil {
				t.Fatalf("ResourceProperties: %v", err)
			}
			// Every template sets the same ServiceTimeout (TestServiceTimeout); the cases list the rest.
			want := maps.Clone(tc.want)
			want[contract.ServiceTimeout] = strconv.Itoa(contract.ServiceTimeoutSeconds)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("properties:\n got %#v\nwant %#v", got, want)
			}
			for name := range got {
				if !slices.Contains(publicProperties, name) {
					t.Errorf("property %s is not part of the custom resource's interface", name)
				}
			}
			assertRoleOutputs(t, stack)
		})
	}
}

// assertRoleOutputs checks that the Arn and RoleName outputs come from the custom resource's attributes.
func assertRoleOutputs(t *testing.T, stack *cfntemplate.Stack) {
	t.Helper()
	for name, want := range map[string]string{"Arn": roleArn, "RoleName": roleName} {
		out, err := stack.Output(name)
		if err != nil {
			t.Fatalf("Output(%s): %v", name, err)
		}
		if out.Value != want || out.ExportName != "" {
			t.Errorf("Output(%s) = %#v, want value %q and no export", name, out, want)
		}
	}
}

func TestScenarioParametersRejected(t *testing.T) {
	cases := []struct {
		name   string
		file   string
		params map[string]string
		want   []string // parameters reported, in name order
	}{
		{
			name:   "required lists missing",
			file:   "non-streaming.yaml",
			params: map[string]string{},
			want:   []string{"InputBuckets", "OutputBuckets"},
		},
		{
			name:   "wildcard bucket",
			file:   "non-streaming.yaml",
			params: map[string]string{"InputBuckets": "gt-*", "OutputBuckets": "gt-output/*"},
			want:   []string{"InputBuckets", "OutputBuckets"},
		},
		{
			name:   "bad role name",
			file:   "non-streaming.yaml",
			params: map[string]string{"RoleName": "has space", "InputBuckets": "a-b", "OutputBuckets": "a-b"},
			want:   []string{"RoleName"},
		},
		{
			name:   "topic that is not an SNS ARN",
			file:   "streaming.yaml",
			params: map[string]string{"InputBuckets": "a-b", "OutputBuckets": "a-b", "StreamingInputTopicArns": "gt-input"},
			want:   []string{"StreamingInputTopicArns"},
		},
		{
			name: "Lambda given by name",
			file: "custom-workflow.yaml",
			params: map[string]string{
				"InputBuckets": "a-b", "OutputBuckets": "a-b", "PreAnnotationLambdaArns": "gt-pre", "PostAnnotationLambdaArns": postFn,
			},
			want: []string{"PreAnnotationLambdaArns"},
		},
		{
			name:   "KMS alias instead of key ARN",
			file:   "kms.yaml",
			params: map[string]string{"InputBuckets": "a-b", "OutputBuckets": "a-b", "KmsKeyArns": "arn:aws:kms:us-east-1:123456789012:alias/gt"},
			want:   []string{"KmsKeyArns"},
		},
		{
			name:   "product automated labeling not a boolean",
			file:   "product.yaml",
			params: map[string]string{"OutputBuckets": "a-b", "AutomatedLabeling": "yes", "VolumeKmsKeyArns": "alias/gt"},
			want:   []string{"AutomatedLabeling", "VolumeKmsKeyArns"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := bind(t, tc.file, tc.params)
			if got := parameterErrorNames(err); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("parameters reported = %v, want %v (err: %v)", got, tc.want, err)
			}
		})
	}
}
