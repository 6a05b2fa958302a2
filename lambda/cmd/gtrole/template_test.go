package main

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestRenderTemplate renders a shipped template with its parameters on the command line: the role must be the one
// the same values give as a Properties file (the template adds only its Description).
func TestRenderTemplate(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"render", "--stack-name", "labels", "--param", "InputBuckets=my-gt-input",
		"--param", "OutputBuckets=my-gt-output/labels/", filepath.Join("..", "..", "..", "templates", "non-streaming.yaml")}
	if code := run(args, nil, &stdout, &stderr, noEnv); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var got map[string]map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("output is not an object of roles: %v\n%s", err, stdout.String())
	}
	golden, err := os.ReadFile(filepath.Join("testdata", "non-streaming.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]any
	if err := json.Unmarshal(golden, &want); err != nil {
		t.Fatal(err)
	}
	want["Description"] = "Ground Truth execution role (non-streaming) from stack labels"
	if len(got) != 1 || !reflect.DeepEqual(got["ExecutionRole"], want) {
		t.Errorf("render of the template = %s\nwant {\"ExecutionRole\": role of %s with the template's Description}", stdout.String(), golden)
	}
}

// TestRenderTemplateResources checks that every Custom::GroundTruthExecutionRole of a template is rendered, except
// one whose Condition is false, with Conditions, Fn::If, Fn::Sub, Fn::Join and list parameters resolved.
func TestRenderTemplateResources(t *testing.T) {
	template := `
Parameters:
  Env: {Type: String, AllowedValues: [dev, prod], Default: dev}
  Buckets: {Type: CommaDelimitedList}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Bucket: {Type: AWS::S3::Bucket}
  Labeling:
    Type: Custom::GroundTruthExecutionRole
    Properties:
      ServiceToken: !ImportValue GroundTruthRoleProvider-ServiceToken
      RoleName: !Sub "gt-${Env}"
      InputBuckets: !Ref Buckets
      OutputBuckets: [!Join ["/", [!Select [0, !Ref Buckets], out]]]
      AutomatedLabeling: !If [IsProd, true, !Ref AWS::NoValue]
  ProdOnly:
    Type: Custom::GroundTruthExecutionRole
    Condition: IsProd
    Properties:
      ServiceToken: !ImportValue GroundTruthRoleProvider-ServiceToken
      InputBuckets: !Ref Buckets
      OutputBuckets: !Ref Buckets
`
	for _, tt := range []struct {
		env       string
		roles     []string
		automated bool
	}{{"dev", []string{"Labeling"}, false}, {"prod", []string{"Labeling", "ProdOnly"}, true}} {
		var stdout, stderr bytes.Buffer
		args := []string{"render", "--param", "Env=" + tt.env, "--param", "Buckets=in-a,in-b", "-"}
		if code := run(args, strings.NewReader(template), &stdout, &stderr, noEnv); code != 0 {
			t.Fatalf("Env=%s: exit %d: %s", tt.env, code, stderr.String())
		}
		var got map[string]struct {
			RoleName string
			Policies []struct{ PolicyName string }
		}
		if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		ids := slices.Sorted(maps.Keys(got))
		if !reflect.DeepEqual(ids, tt.roles) {
			t.Errorf("Env=%s: rendered %q, want %q", tt.env, ids, tt.roles)
		}
		if got["Labeling"].RoleName != "gt-"+tt.env {
			t.Errorf("Env=%s: RoleName %q, want gt-%s", tt.env, got["Labeling"].RoleName, tt.env)
		}
		if s := stdout.String(); !strings.Contains(s, "arn:aws:s3:::in-a/out/*") || strings.Contains(s, "in-b/out") {
			t.Errorf("Env=%s: OutputBuckets not resolved to in-a/out:\n%s", tt.env, s)
		}
		if automated := strings.Contains(stdout.String(), `"iam:PassRole"`); automated != tt.automated {
			t.Errorf("Env=%s: automated labeling grants present = %v, want %v", tt.env, automated, tt.automated)
		}
	}
}

func TestRenderTemplateErrors(t *testing.T) {
	nonStreaming := filepath.Join("..", "..", "..", "templates", "non-streaming.yaml")
	tests := []struct {
		name  string
		args  []string
		stdin string
		code  int
		want  string
	}{
		{"missing parameter", []string{"render", nonStreaming}, "", 1, "--param KEY=VALUE"},
		{"unknown parameter", []string{"render", "--param", "Nope=1", nonStreaming}, "", 1, "no such parameter"},
		{"parameter pattern", []string{"render", "--param", "InputBuckets=Bad_Bucket", "--param", "OutputBuckets=o-bucket", nonStreaming}, "", 1, "AllowedPattern"},
		{"bad property", []string{"render", "--param", "InputBuckets=in-bucket,in-bucket/*", "--param", "OutputBuckets=o-bucket", nonStreaming}, "", 1, "AllowedPattern"},
		{"bad property value", []string{"render", "-"}, "Resources:\n  R:\n    Type: Custom::GroundTruthExecutionRole\n    Properties:\n      InputBuckets: [Not_A_Bucket]\n      OutputBuckets: [o-bucket]\n", 1, "Resources.R: 1 problem(s) in the properties:\n  - InputBuckets[0]"},
		{"import in a property", []string{"render", "-"}, "Resources:\n  R:\n    Type: Custom::GroundTruthExecutionRole\n    Properties:\n      InputBuckets: [!ImportValue data-bucket]\n      OutputBuckets: [o-bucket]\n", 1, "Resources.R.Properties.InputBuckets[0]: Fn::ImportValue data-bucket"},
		{"no such resource", []string{"render", "-"}, "Resources:\n  B: {Type: AWS::S3::Bucket}\n", 1, "no resource of type Custom::GroundTruthExecutionRole"},
		{"param for properties", []string{"render", "--param", "A=b", "-"}, "InputBuckets: [a-bucket]\nOutputBuckets: [b-bucket]\n", 2, "--param is for a template"},
		{"bad param flag", []string{"render", "--param", "novalue", nonStreaming}, "", 2, "KEY=VALUE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(tt.args, strings.NewReader(tt.stdin), &stdout, &stderr, noEnv); code != tt.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tt.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, stderr.String())
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout on failure: %s", stdout.String())
			}
		})
	}
}
