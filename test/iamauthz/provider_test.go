package iamauthz

import (
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/templates"
)

var providerTemplate = templates.ProviderYAML

// call is an authorization question and the expected answer.
type call struct {
	action, resource string
	ctx              map[string]string
	allowed          bool
}

func checkCalls(t *testing.T, p *Policy, calls []call) {
	t.Helper()
	for _, c := range calls {
		d := p.Decide(Request{Action: c.action, Resource: c.resource, Context: c.ctx})
		if d.Allowed != c.allowed {
			t.Errorf("%s on %s %v: allowed = %v (statement %q), want %v", c.action, c.resource, c.ctx, d.Allowed, d.Sid, c.allowed)
		}
	}
}

func TestProviderPolicyFromTemplate(t *testing.T) {
	outside := "arn:aws:iam::123456789012:role/other/r"
	p, err := ProviderPolicy(providerTemplate, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("defaults", func(t *testing.T) {
		checkCalls(t, p, []call{
			{"iam:CreateRole", inPrefix, nil, true},
			{"iam:CreateRole", outside, nil, false},
			{"iam:GetRole", inPrefix, nil, true},
			{"iam:GetRole", outside, nil, false},
			{"iam:ListRoles", "*", nil, true},                      // the drift audit, on by default
			{"iam:GetAccountAuthorizationDetails", "*", nil, true}, // its bulk read
			{"iam:PassRole", inPrefix, nil, false},
			{"iam:AttachRolePolicy", inPrefix, map[string]string{"iam:PolicyARN": gtPolicy}, true},
			{"iam:AttachRolePolicy", inPrefix, map[string]string{"iam:PolicyARN": admin}, false},
			{"iam:DetachRolePolicy", inPrefix, map[string]string{"iam:PolicyARN": admin}, true},
			{"iam:DetachRolePolicy", outside, map[string]string{"iam:PolicyARN": gtPolicy}, false},
			{"iam:DeleteRolePolicy", inPrefix, nil, true},
			{"iam:PutRolePermissionsBoundary", inPrefix, map[string]string{"iam:PermissionsBoundary": boundary}, true},
			{"iam:DeleteRolePermissionsBoundary", inPrefix, nil, true},
		})
	})
	bp, err := ProviderPolicy(providerTemplate, Settings{RequiredPermissionsBoundary: boundary, RolePathPrefix: "/teams/vision/"})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("required boundary and own prefix", func(t *testing.T) {
		team := "arn:aws:iam::123456789012:role/teams/vision/r"
		checkCalls(t, bp, []call{
			{"iam:CreateRole", team, map[string]string{"iam:PermissionsBoundary": boundary}, true},
			{"iam:CreateRole", team, nil, false},
			{"iam:CreateRole", team, map[string]string{"iam:PermissionsBoundary": "arn:aws:iam::123456789012:policy/other"}, false},
			{"iam:CreateRole", inPrefix, map[string]string{"iam:PermissionsBoundary": boundary}, false},
			{"iam:PutRolePermissionsBoundary", team, map[string]string{"iam:PermissionsBoundary": "arn:aws:iam::123456789012:policy/other"}, false},
			{"iam:DeleteRolePermissionsBoundary", team, nil, false},
			{"iam:DetachRolePolicy", team, map[string]string{"iam:PolicyARN": admin}, true},
		})
	})
}

// oldFence is the provider's statement before issue 7: detaching was fenced by the allow-list like attaching.
var oldFence = iamdoc.Statement{
	Sid: "AttachAllowedManagedPolicies", Effect: iamdoc.Allow,
	Action: iamdoc.Strings{"iam:AttachRolePolicy", "iam:DetachRolePolicy"}, Resource: iamdoc.Strings{roles},
	Condition: iamdoc.Condition{"ArnEquals": {"iam:PolicyARN": {gtPolicy}}},
}

func TestOldFenceCannotRemoveDrift(t *testing.T) {
	p, err := NewPolicy(iamdoc.Document{Statement: []iamdoc.Statement{oldFence}})
	if err != nil {
		t.Fatal(err)
	}
	checkCalls(t, &p, []call{
		{"iam:DetachRolePolicy", inPrefix, map[string]string{"iam:PolicyARN": gtPolicy}, true},
		{"iam:DetachRolePolicy", inPrefix, map[string]string{"iam:PolicyARN": admin}, false},
	})
}
