package propfile_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/propfile"
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
			got, err := propfile.Decode([]byte(tt.input))
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
			got, err := propfile.Decode([]byte(tt.input))
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
