package spec_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name, input string
		want        map[string]any
	}{
		{
			name:  "JSON types",
			input: `{"RoleName":"gt","MaxSessionDuration":7200,"AutomatedLabeling":true,"InputBuckets":["a-a","b-b"],"Description":null}`,
			want: map[string]any{
				"RoleName": "gt", "MaxSessionDuration": json.Number("7200"), "AutomatedLabeling": true,
				"InputBuckets": []any{"a-a", "b-b"}, "Description": nil,
			},
		},
		{
			name:  "JSON strings stay strings",
			input: `{"MaxSessionDuration":"7200","AutomatedLabeling":"true"}`,
			want:  map[string]any{"MaxSessionDuration": "7200", "AutomatedLabeling": "true"},
		},
		{
			name:  "YAML",
			input: "# comment\nRoleName: gt\nMaxSessionDuration: 7200\nAutomatedLabeling: true\nUseManagedPolicy: \"false\"\nTags:\n  - Key: team\n    Value: \"1234\"\nInputBuckets:\n  - a-a\n",
			want: map[string]any{
				"RoleName": "gt", "MaxSessionDuration": json.Number("7200"), "AutomatedLabeling": true, "UseManagedPolicy": "false",
				"Tags": []any{map[string]any{"Key": "team", "Value": "1234"}}, "InputBuckets": []any{"a-a"},
			},
		},
		{
			name:  "YAML flow style",
			input: "{OutputBuckets: [out-b], KmsKeyArns: []}",
			want:  map[string]any{"OutputBuckets": []any{"out-b"}, "KmsKeyArns": []any{}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := spec.Decode([]byte(tt.input))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Decode = %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestDecodeRejects(t *testing.T) {
	tests := []struct {
		name, input, message string
	}{
		{"empty", "", "the input is empty"},
		{"only a comment", "# nothing\n", "the input is empty"},
		{"null", "null", "the input is empty"},
		{"a list", "- a\n- b\n", "want a JSON or YAML object"},
		{"a JSON list", `["a"]`, "want a JSON or YAML object"},
		{"a scalar", "just text", "want a JSON or YAML object"},
		{"broken YAML", "a: [b", "read properties"},
		{"broken JSON", `{"a": `, "read properties"},
		{"tab indentation", "Tags:\n\t- Key: a\n", "read properties"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := spec.Decode([]byte(tt.input))
			if err == nil {
				t.Fatalf("Decode accepted %q: %#v", tt.input, got)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %q lacks %q", err, tt.message)
			}
			if got != nil {
				t.Errorf("Decode returned %#v with its error", got)
			}
		})
	}
}

// TestDecodedTypesMatchStrings checks that JSON booleans and numbers give the same spec as the strings
// CloudFormation sends.
func TestDecodedTypesMatchStrings(t *testing.T) {
	typed := `{"InputBuckets":["in-b"],"OutputBuckets":"out-b","MaxSessionDuration":7200,"AutomatedLabeling":true,` +
		`"UseManagedPolicy":false,"ConfusedDeputyProtection":true,"Tags":[{"Key":"cost-center","Value":1234}]}`
	strs := `{"InputBuckets":["in-b"],"OutputBuckets":["out-b"],"MaxSessionDuration":"7200","AutomatedLabeling":"true",` +
		`"UseManagedPolicy":"false","ConfusedDeputyProtection":"true","Tags":[{"Key":"cost-center","Value":"1234"}]}`
	target := defaultTarget(t, "us-east-1")
	parse := func(text string) spec.Spec {
		p, err := spec.Decode([]byte(text))
		if err != nil {
			t.Fatalf("Decode: %v", err)
		}
		return mustParse(t, p, target)
	}
	a, b := parse(typed), parse(strs)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("typed and string properties differ:\n%+v\n%+v", a, b)
	}
	if a.MaxSessionDuration != 7200 || !a.AutomatedLabeling || a.UseManagedPolicy || !a.ConfusedDeputyProtection || a.Tags[0].Value != "1234" {
		t.Errorf("typed properties parsed wrongly: %+v", a)
	}
}

// TestScenarioFiles checks that every sample in test/testdata/properties is valid in its region.
func TestScenarioFiles(t *testing.T) {
	files, err := filepath.Glob("../../test/testdata/properties/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenario files found: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			p, err := spec.Decode(data)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			region := "us-east-1"
			if strings.Contains(string(data), "arn:aws-cn:") {
				region = "cn-north-1"
			}
			s := mustParse(t, p, defaultTarget(t, region))
			if len(s.OutputBuckets) == 0 {
				t.Error("no OutputBuckets in a valid spec")
			}
		})
	}
}
