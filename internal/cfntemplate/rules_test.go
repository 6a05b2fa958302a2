package cfntemplate

import (
	"errors"
	"strings"
	"testing"
)

const rulesTemplate = `
Parameters:
  A: {Type: String, Default: ""}
  B: {Type: String, Default: ""}
Rules:
  OnlyWithB:
    RuleCondition: !Not [!Equals [!Ref B, ""]]
    Assertions:
      - Assert: !Equals [!Ref A, ""]
        AssertDescription: A must be empty when B is set.
  Something:
    Assertions:
      - Assert: !Not [!And [!Equals [!Ref A, ""], !Equals [!Ref B, ""]]]
        AssertDescription: Give A or B.
Resources:
  R: {Type: AWS::S3::Bucket}
`

func TestRules(t *testing.T) {
	tmpl, err := Parse([]byte(rulesTemplate))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		params   map[string]string
		wantRule string
	}{
		{map[string]string{"A": "a"}, ""},
		{map[string]string{"B": "b"}, ""},
		{nil, "Something"},
		{map[string]string{"A": "a", "B": "b"}, "OnlyWithB"},
	}
	for _, tc := range cases {
		_, err := tmpl.Bind(Context{Parameters: tc.params})
		var re *RuleError
		switch {
		case tc.wantRule == "" && err != nil:
			t.Errorf("%v: %v", tc.params, err)
		case tc.wantRule != "" && (!errors.As(err, &re) || re.Rule != tc.wantRule || re.Description == ""):
			t.Errorf("%v: err = %v, want rule %s with its description", tc.params, err, tc.wantRule)
		}
	}
}

func TestRulesRefuseFunctionsCloudFormationRefuses(t *testing.T) {
	tmpl, err := Parse([]byte(`
Parameters:
  A: {Type: String, Default: "x"}
Rules:
  Joined:
    Assertions:
      - Assert: !Not [!Equals [!Join ["", [!Ref A]], ""]]
Resources:
  R: {Type: AWS::S3::Bucket}
`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tmpl.Bind(Context{}); err == nil || !strings.Contains(err.Error(), "Fn::Join cannot be used in a rule") {
		t.Errorf("err = %v, want Fn::Join refused in a rule", err)
	}
}
