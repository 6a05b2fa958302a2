package cfntemplate

import (
	"errors"
	"reflect"
	"testing"
)

const stackTemplate = `
Parameters:
  Create:
    Type: String
    Default: "true"
Conditions:
  ShouldCreate: !Equals [!Ref Create, "true"]
Resources:
  Role:
    Type: Custom::GroundTruthExecutionRole
    Condition: ShouldCreate
    Properties:
      ServiceToken: {"Fn::ImportValue": !Sub "${AWS::StackName}-ServiceToken"}
      AutomatedLabeling: true
      MaxSessionDuration: 3600
      InputBuckets: [in]
  Bare:
    Type: Custom::GroundTruthExecutionRole
  Other:
    Type: AWS::S3::Bucket
Outputs:
  Arn:
    Value: !GetAtt Role.Arn
    Export:
      Name: !Sub "${AWS::StackName}-Arn"
  Plain:
    Condition: ShouldCreate
    Value: x
`

func loadStack(t *testing.T, params map[string]string) (*Template, *Stack) {
	t.Helper()
	tmpl, err := Parse([]byte(stackTemplate))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	ctx := testContext(params)
	ctx.ImportValue = func(name string) (string, error) { return "token-for-" + name, nil }
	stack, err := tmpl.Bind(ctx)
	if err != nil {
		t.Fatalf("Bind: %v", err)
	}
	return tmpl, stack
}

func TestResourceProperties(t *testing.T) {
	_, stack := loadStack(t, nil)
	got, err := stack.ResourceProperties("Role")
	if err != nil {
		t.Fatalf("ResourceProperties: %v", err)
	}
	want := map[string]any{
		"ServiceToken":       "token-for-st-ServiceToken",
		"AutomatedLabeling":  "true",
		"MaxSessionDuration": "3600",
		"InputBuckets":       []any{"in"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ResourceProperties = %#v, want %#v", got, want)
	}

	bare, err := stack.ResourceProperties("Bare")
	if err != nil || len(bare) != 0 {
		t.Fatalf("ResourceProperties(Bare) = %#v, %v; want an empty map", bare, err)
	}
	if _, err := stack.ResourceProperties("Nope"); err == nil {
		t.Fatal("ResourceProperties(Nope) succeeded, want an error")
	}
}

func TestResourceConditionFalse(t *testing.T) {
	_, stack := loadStack(t, map[string]string{"Create": "false"})
	if _, err := stack.ResourceProperties("Role"); !errors.Is(err, ErrConditionFalse) {
		t.Fatalf("ResourceProperties err = %v, want ErrConditionFalse", err)
	}
	if _, err := stack.Output("Plain"); !errors.Is(err, ErrConditionFalse) {
		t.Fatalf("Output err = %v, want ErrConditionFalse", err)
	}
}

func TestOutput(t *testing.T) {
	_, stack := loadStack(t, nil)
	got, err := stack.Output("Arn")
	if err != nil {
		t.Fatalf("Output: %v", err)
	}
	want := Output{Value: "arn:Role", ExportName: "st-Arn"}
	if got != want {
		t.Fatalf("Output = %#v, want %#v", got, want)
	}
}

func TestResourceLookup(t *testing.T) {
	tmpl, _ := loadStack(t, nil)
	if got, want := tmpl.ResourceIDs("Custom::GroundTruthExecutionRole"), []string{"Bare", "Role"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("ResourceIDs = %v, want %v", got, want)
	}
	typ, err := tmpl.ResourceType("Other")
	if err != nil || typ != "AWS::S3::Bucket" {
		t.Fatalf("ResourceType(Other) = %q, %v", typ, err)
	}
	if got, want := tmpl.ParameterNames(), []string{"Create"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("ParameterNames = %v, want %v", got, want)
	}
}

func TestUnsetPseudoParameter(t *testing.T) {
	tmpl, err := Parse([]byte(stackTemplate))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	stack, err := tmpl.Bind(Context{ImportValue: func(string) (string, error) { return "x", nil }})
	if err != nil {
		t.Fatalf("Bind: %v", err)
	}
	_, err = stack.ResourceProperties("Role")
	var re *ResolveError
	if !errors.As(err, &re) || re.Path != "Resources.Role.Properties.ServiceToken.Fn::ImportValue.Fn::Sub" {
		t.Fatalf("err = %v, want a *ResolveError at the Fn::Sub", err)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name     string
		template string
		wantPath string // "" when the error carries no path
	}{
		{name: "unknown tag", template: "Resources:\n  R:\n    Type: T\n    Properties:\n      A: !Nope x\n", wantPath: "Resources.R.Properties.A"},
		{name: "duplicate key", template: "Resources:\n  R:\n    Type: T\n    Type: U\n", wantPath: "Resources.R.Type"},
		{name: "missing type", template: "Resources:\n  R:\n    Properties: {}\n", wantPath: "Resources.R.Type"},
		{name: "bad pattern", template: "Parameters:\n  P:\n    Type: String\n    AllowedPattern: \"(\"\nResources:\n  R:\n    Type: T\n", wantPath: "Parameters.P"},
		{name: "no resources", template: "Parameters: {}\n"},
		{name: "not a mapping", template: "- a\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.template))
			if err == nil {
				t.Fatal("Parse succeeded, want an error")
			}
			if tc.wantPath == "" {
				return
			}
			var re *ResolveError
			if !errors.As(err, &re) || re.Path != tc.wantPath {
				t.Fatalf("err = %v, want a *ResolveError at %s", err, tc.wantPath)
			}
		})
	}
}

func TestJSONTemplate(t *testing.T) {
	const template = `{
  "Parameters": {"Buckets": {"Type": "CommaDelimitedList", "Default": "a,b"}},
  "Resources": {
    "Role": {
      "Type": "Custom::GroundTruthExecutionRole",
      "Properties": {
        "ServiceToken": {"Fn::ImportValue": {"Fn::Join": ["-", ["gt", "ServiceToken"]]}},
        "InputBuckets": {"Ref": "Buckets"},
        "MaxSessionDuration": 7200,
        "UseManagedPolicy": false
      }
    }
  }
}`
	tmpl, err := Parse([]byte(template))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	stack, err := tmpl.Bind(testContext(nil))
	if err != nil {
		t.Fatalf("Bind: %v", err)
	}
	got, err := stack.ResourceProperties("Role")
	if err != nil {
		t.Fatalf("ResourceProperties: %v", err)
	}
	want := map[string]any{
		"ServiceToken":       "arn:aws:lambda:us-east-1:123456789012:function:provider",
		"InputBuckets":       []any{"a", "b"},
		"MaxSessionDuration": "7200",
		"UseManagedPolicy":   "false",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ResourceProperties = %#v, want %#v", got, want)
	}
}
