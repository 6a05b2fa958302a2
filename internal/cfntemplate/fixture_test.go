package cfntemplate

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
)

// fixture is a template whose resource R has one property, Value, holding the expression under test.
const fixture = `
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Name:
    Type: String
    Default: gt
  Attr:
    Type: String
    Default: Arn
  Buckets:
    Type: CommaDelimitedList
    Default: "in,out"
  Empty:
    Type: CommaDelimitedList
    Default: ""
  Count:
    Type: Number
    Default: 2
Mappings:
  Regions:
    us-east-1:
      Ami: ami-1
      Zones: [a, b]
Conditions:
  IsGt: !Equals [!Ref Name, gt]
  NotGt: !Not [!Condition IsGt]
  Both: !And [!Condition IsGt, !Equals [!Ref Count, "2"]]
  Neither: !And [!Condition IsGt, !Condition NotGt]
  Either: !Or [!Condition NotGt, !Equals [!Ref AWS::Region, us-east-1]]
  NoneOf: !Or [!Condition NotGt, !Equals [!Ref AWS::Region, eu-west-1]]
  HasEmpty: !Not [!Equals [!Join ["", !Ref Empty], ""]]
  ListsEqual: !Equals [!Ref Buckets, [in, out]]
  LongForm: {"Fn::Equals": [{"Ref": "Name"}, "gt"]}
  Loop: !Not [!Condition Loop]
Resources:
  Other:
    Type: Test::Other
  R:
    Type: Test::R
    Properties:
      Value: %s
`

// testContext answers every pseudo parameter and the callbacks used by the fixture.
func testContext(params map[string]string) Context {
	return Context{
		Parameters: params,
		Partition:  "aws",
		Region:     "us-east-1",
		AccountID:  "123456789012",
		StackName:  "st",
		StackID:    "arn:aws:cloudformation:us-east-1:123456789012:stack/st/guid",
		ImportValue: func(name string) (string, error) {
			if name == "gt-ServiceToken" {
				return "arn:aws:lambda:us-east-1:123456789012:function:provider", nil
			}
			return "", errors.New("no such export")
		},
		Ref: func(id string) (string, error) { return id + "-physical", nil },
		GetAtt: func(id, attr string) (any, error) {
			switch attr {
			case "Arn":
				return "arn:" + id, nil
			case "List":
				return []any{"x", "y"}, nil
			}
			return nil, fmt.Errorf("no attribute %s", attr)
		},
	}
}

// resolveValue resolves the fixture with expr as R's Value; present is false when Value was removed.
func resolveValue(t *testing.T, expr string, params map[string]string) (v any, present bool, err error) {
	t.Helper()
	tmpl, err := Parse([]byte(fmt.Sprintf(fixture, expr)))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	stack, err := tmpl.Bind(testContext(params))
	if err != nil {
		t.Fatalf("Bind: %v", err)
	}
	props, err := stack.ResourceProperties("R")
	if err != nil {
		return nil, false, err
	}
	v, present = props["Value"]
	return v, present, nil
}

// valueCase is one expression and what R's Value must resolve to (or the path of the error).
type valueCase struct {
	name    string
	expr    string
	params  map[string]string
	want    any
	absent  bool   // Value must be removed (AWS::NoValue)
	errPath string // when set, resolving must fail with a *ResolveError at this path
}

func runValueCases(t *testing.T, cases []valueCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, present, err := resolveValue(t, tc.expr, tc.params)
			if tc.errPath != "" {
				var re *ResolveError
				if !errors.As(err, &re) {
					t.Fatalf("err = %v, want a *ResolveError", err)
				}
				if re.Path != tc.errPath {
					t.Fatalf("error path = %q, want %q (err: %v)", re.Path, tc.errPath, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ResourceProperties: %v", err)
			}
			if tc.absent {
				if present {
					t.Fatalf("Value = %#v, want it removed", got)
				}
				return
			}
			if !present {
				t.Fatalf("Value missing, want %#v", tc.want)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("Value = %#v, want %#v", got, tc.want)
			}
		})
	}
}
