package spec_test

import (
	"encoding/json"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

func TestBooleans(t *testing.T) {
	fields := map[string]func(spec.Spec) bool{
		"AutomatedLabeling":        func(s spec.Spec) bool { return s.AutomatedLabeling },
		"UseManagedPolicy":         func(s spec.Spec) bool { return s.UseManagedPolicy },
		"ConfusedDeputyProtection": func(s spec.Spec) bool { return s.ConfusedDeputyProtection },
	}
	values := []struct {
		name  string
		value any
		want  bool
	}{
		{"string true", "true", true},
		{"string True", "True", true},
		{"padded TRUE", " TRUE ", true},
		{"string false", "false", false},
		{"string FALSE", "FALSE", false},
		{"JSON true", true, true},
		{"JSON false", false, false},
		{"empty string", "", false},
		{"null", nil, false},
		{"absent", absent, false},
	}
	for property, get := range fields {
		t.Run(property, func(t *testing.T) {
			var rows []problemCase
			for _, v := range values {
				want := v.want
				rows = append(rows, problemCase{name: v.name, props: map[string]any{property: v.value}, check: func(t *testing.T, s spec.Spec) {
					if got := get(s); got != want {
						t.Errorf("%s = %v, want %v", property, got, want)
					}
				}})
			}
			rows = append(rows,
				problemCase{name: "yes", props: map[string]any{property: "yes"}, property: property, value: "yes", message: "is not a boolean: use true or false"},
				problemCase{name: "1", props: map[string]any{property: "1"}, property: property, value: "1", message: "is not a boolean"},
				problemCase{name: "JSON number", props: map[string]any{property: json.Number("1")}, property: property, message: "must be a boolean (true or false), got a number"},
				problemCase{name: "list", props: map[string]any{property: []any{"true"}}, property: property, message: "must be a boolean (true or false), got a list"},
			)
			runCases(t, rows)
		})
	}
}

func TestStringCoercion(t *testing.T) {
	runCases(t, []problemCase{
		{name: "number role name", props: map[string]any{"RoleName": json.Number("12345")}, check: wantField("RoleName", roleName, "12345")},
		{name: "float64 role name", props: map[string]any{"RoleName": float64(2026)}, check: wantField("RoleName", roleName, "2026")},
		{name: "boolean role name", props: map[string]any{"RoleName": true}, check: wantField("RoleName", roleName, "true")},
		{name: "number description", props: map[string]any{"Description": json.Number("42")}, check: wantField("Description", description, "42")},
		{name: "list role name", props: map[string]any{"RoleName": []any{"a"}}, property: "RoleName", message: "must be a string, got a list"},
		{name: "object description", props: map[string]any{"Description": map[string]any{"a": "b"}}, property: "Description", message: "must be a string, got an object"},
		{name: "object path", props: map[string]any{"Path": map[string]any{}}, property: "Path", message: "must be a string, got an object"},
		{name: "list boundary", props: map[string]any{"PermissionsBoundary": []any{}}, property: "PermissionsBoundary", message: "must be a string, got a list"},
	})
}
