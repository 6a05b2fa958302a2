package cfntemplate

import (
	"reflect"
	"slices"
	"testing"
)

const parameterTemplate = `
Parameters:
  Required:
    Type: String
    AllowedPattern: "[a-z]+"
    MinLength: 2
    MaxLength: 5
  Color:
    Type: String
    Default: red
    AllowedValues: [red, blue]
  Size:
    Type: Number
    Default: 3600
    MinValue: 3600
    MaxValue: 43200
  Sizes:
    Type: List<Number>
    Default: "1,2"
    MaxValue: 10
  Topics:
    Type: CommaDelimitedList
    Default: ""
    AllowedPattern: "(arn:aws:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+)?"
Resources:
  R:
    Type: Test::R
`

// parameterErrorNames returns the sorted names of every *ParameterError joined in err.
func parameterErrorNames(err error) []string {
	var names []string
	var walk func(error)
	walk = func(e error) {
		if pe, ok := e.(*ParameterError); ok {
			names = append(names, pe.Name)
			return
		}
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, inner := range u.Unwrap() {
				walk(inner)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	slices.Sort(names)
	return names
}

func TestBindParameters(t *testing.T) {
	tmpl, err := Parse([]byte(parameterTemplate))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	cases := []struct {
		name      string
		params    map[string]string
		wantErrs  []string // names of the parameters reported, sorted
		wantValue map[string]any
	}{
		{
			name:   "defaults",
			params: map[string]string{"Required": "abc"},
			wantValue: map[string]any{
				"Required": "abc", "Color": "red", "Size": "3600", "Sizes": []any{"1", "2"}, "Topics": []any{""},
			},
		},
		{
			name: "given values",
			params: map[string]string{
				"Required": "ab", "Color": "blue", "Size": "43200", "Sizes": "10",
				"Topics": "arn:aws:sns:us-east-1:123456789012:in,arn:aws:sns:us-east-1:123456789012:out",
			},
			wantValue: map[string]any{
				"Required": "ab", "Color": "blue", "Size": "43200", "Sizes": []any{"10"},
				"Topics": []any{"arn:aws:sns:us-east-1:123456789012:in", "arn:aws:sns:us-east-1:123456789012:out"},
			},
		},
		{name: "missing required", params: nil, wantErrs: []string{"Required"}},
		{name: "undeclared", params: map[string]string{"Required": "abc", "Extra": "x"}, wantErrs: []string{"Extra"}},
		{name: "pattern must match the whole value", params: map[string]string{"Required": "abc1"}, wantErrs: []string{"Required"}},
		{name: "too short", params: map[string]string{"Required": "a"}, wantErrs: []string{"Required"}},
		{name: "too long", params: map[string]string{"Required": "abcdef"}, wantErrs: []string{"Required"}},
		{name: "not an allowed value", params: map[string]string{"Required": "abc", "Color": "green"}, wantErrs: []string{"Color"}},
		{name: "not a number", params: map[string]string{"Required": "abc", "Size": "big"}, wantErrs: []string{"Size"}},
		{name: "below MinValue", params: map[string]string{"Required": "abc", "Size": "60"}, wantErrs: []string{"Size"}},
		{name: "list element above MaxValue", params: map[string]string{"Required": "abc", "Sizes": "1,11"}, wantErrs: []string{"Sizes"}},
		{name: "list element breaks the pattern", params: map[string]string{"Required": "abc", "Topics": "arn:aws:sns:us-east-1:123456789012:ok,*"}, wantErrs: []string{"Topics"}},
		{
			name:     "every problem reported",
			params:   map[string]string{"Required": "A", "Color": "green", "Extra": "x"},
			wantErrs: []string{"Color", "Extra", "Required"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			stack, err := tmpl.Bind(Context{Parameters: tc.params})
			if tc.wantErrs != nil {
				if got := parameterErrorNames(err); !reflect.DeepEqual(got, tc.wantErrs) {
					t.Fatalf("parameters reported = %v, want %v (err: %v)", got, tc.wantErrs, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Bind: %v", err)
			}
			for name, want := range tc.wantValue {
				got, err := stack.Parameter(name)
				if err != nil {
					t.Fatalf("Parameter(%s): %v", name, err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("Parameter(%s) = %#v, want %#v", name, got, want)
				}
			}
		})
	}
}
