package spec_test

import (
	"encoding/json"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

func TestPlacementAgreesWithParse(t *testing.T) {
	settings := spec.Settings{RolePathPrefix: "/groundtruth/"}
	tests := []struct {
		name     string
		props    map[string]any
		wantName string
		wantPath string
	}{
		{"absent", map[string]any{}, "", "/groundtruth/"},
		{"string", map[string]any{"RoleName": "labeling", "Path": "/groundtruth/a/"}, "labeling", "/groundtruth/a/"},
		{"JSON number", map[string]any{"RoleName": json.Number("12345")}, "12345", "/groundtruth/"},
		{"float64", map[string]any{"RoleName": float64(12345)}, "12345", "/groundtruth/"},
		{"boolean", map[string]any{"RoleName": true}, "true", "/groundtruth/"},
		{"blank", map[string]any{"RoleName": " ", "Path": ""}, "", "/groundtruth/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, path := spec.Placement(tt.props, settings)
			if name != tt.wantName || path != tt.wantPath {
				t.Fatalf("Placement = %q, %q; want %q, %q", name, path, tt.wantName, tt.wantPath)
			}
			props := map[string]any{"OutputBuckets": []any{"out-bucket"}, "InputBuckets": []any{"in-bucket"}}
			for k, v := range tt.props {
				props[k] = v
			}
			s, err := spec.Parse(props, spec.Target{Account: "123456789012", Region: "us-east-1", Settings: settings})
			if err != nil {
				t.Fatal(err)
			}
			if s.RoleName != name || s.Path != path {
				t.Errorf("Parse gives %q, %q; Placement %q, %q", s.RoleName, s.Path, name, path)
			}
		})
	}
}
