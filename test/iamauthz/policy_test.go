package iamauthz

import (
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
)

func TestWildcardMatch(t *testing.T) {
	tests := []struct {
		pattern, value string
		want           bool
	}{
		{"arn:aws:iam::1:role/gt/*", "arn:aws:iam::1:role/gt/x", true},
		{"arn:aws:iam::1:role/gt/*", "arn:aws:iam::1:role/gt/a/b", true},
		{"arn:aws:iam::1:role/gt/*", "arn:aws:iam::1:role/other/x", false},
		{"arn:aws:iam::1:role/gt/*", "arn:aws:iam::1:role/gt", false},
		{"*", "", true},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "aXbY", false},
		{"exact", "exact", true},
		{"exact", "exactly", false},
	}
	for _, tt := range tests {
		if got := wildcardMatch(tt.pattern, tt.value); got != tt.want {
			t.Errorf("wildcardMatch(%q, %q) = %v, want %v", tt.pattern, tt.value, got, tt.want)
		}
	}
}

const (
	roles    = "arn:aws:iam::123456789012:role/groundtruth/*"
	gtPolicy = "arn:aws:iam::aws:policy/AmazonSageMakerGroundTruthExecution"
	admin    = "arn:aws:iam::aws:policy/AdministratorAccess"
	boundary = "arn:aws:iam::123456789012:policy/gt-boundary"
	inPrefix = "arn:aws:iam::123456789012:role/groundtruth/r"
)

func TestDecide(t *testing.T) {
	p, err := NewPolicy(iamdoc.Document{Statement: []iamdoc.Statement{
		{Sid: "Read", Effect: iamdoc.Allow, Action: iamdoc.Strings{"iam:Get*", "iam:List*"}, Resource: iamdoc.Strings{roles}},
		{Sid: "Attach", Effect: iamdoc.Allow, Action: iamdoc.Strings{"iam:AttachRolePolicy"}, Resource: iamdoc.Strings{roles},
			Condition: iamdoc.Condition{"ArnEquals": {"iam:PolicyARN": {gtPolicy}}}},
		{Sid: "Boundary", Effect: iamdoc.Allow, Action: iamdoc.Strings{"iam:CreateRole"}, Resource: iamdoc.Strings{roles},
			Condition: iamdoc.Condition{"StringEquals": {"iam:PermissionsBoundary": {boundary}}}},
		{Sid: "Like", Effect: iamdoc.Allow, Action: iamdoc.Strings{"iam:TagRole"}, Resource: iamdoc.Strings{roles},
			Condition: iamdoc.Condition{"StringLike": {"iam:PermissionsBoundary": {"arn:aws:iam::*:policy/gt-*"}}}},
		{Sid: "NoDeleteBoundary", Effect: iamdoc.Deny, Action: iamdoc.Strings{"iam:DeleteRolePermissionsBoundary"}, Resource: iamdoc.Strings{"*"}},
		{Sid: "All", Effect: iamdoc.Allow, Action: iamdoc.Strings{"iam:DeleteRolePermissionsBoundary"}, Resource: iamdoc.Strings{"*"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		req  Request
		want Decision
	}{
		{"action wildcard, case-insensitive", Request{Action: "IAM:GETROLE", Resource: inPrefix}, Decision{true, "Read"}},
		{"resource outside the prefix", Request{Action: "iam:GetRole", Resource: "arn:aws:iam::123456789012:role/r"}, Decision{}},
		{"action not granted", Request{Action: "iam:DeleteRole", Resource: inPrefix}, Decision{}},
		{"condition match", Request{Action: "iam:AttachRolePolicy", Resource: inPrefix, Context: map[string]string{"iam:PolicyARN": gtPolicy}}, Decision{true, "Attach"}},
		{"condition mismatch", Request{Action: "iam:AttachRolePolicy", Resource: inPrefix, Context: map[string]string{"iam:PolicyARN": admin}}, Decision{}},
		{"condition key absent", Request{Action: "iam:CreateRole", Resource: inPrefix}, Decision{}},
		{"condition key any case", Request{Action: "iam:CreateRole", Resource: inPrefix, Context: map[string]string{"IAM:permissionsboundary": boundary}}, Decision{true, "Boundary"}},
		{"StringEquals is exact", Request{Action: "iam:CreateRole", Resource: inPrefix, Context: map[string]string{"iam:PermissionsBoundary": boundary + "x"}}, Decision{}},
		{"StringLike wildcard", Request{Action: "iam:TagRole", Resource: inPrefix, Context: map[string]string{"iam:PermissionsBoundary": boundary}}, Decision{true, "Like"}},
		{"StringLike mismatch", Request{Action: "iam:TagRole", Resource: inPrefix, Context: map[string]string{"iam:PermissionsBoundary": "arn:aws:iam::1:policy/other"}}, Decision{}},
		{"explicit deny wins over allow", Request{Action: "iam:DeleteRolePermissionsBoundary", Resource: inPrefix}, Decision{false, "NoDeleteBoundary"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Decide(tt.req); got != tt.want {
				t.Errorf("Decide(%+v) = %+v, want %+v", tt.req, got, tt.want)
			}
		})
	}
}

func TestArnMatch(t *testing.T) {
	tests := []struct {
		pattern, value string
		want           bool
	}{
		{gtPolicy, gtPolicy, true},
		{"arn:aws:iam::*:policy/gt-*", boundary, true},
		{"arn:*:iam::aws:policy/*", admin, true},
		{gtPolicy, admin, false},
		{"not-an-arn", "not-an-arn", false},
	}
	for _, tt := range tests {
		if got := arnMatch(tt.pattern, tt.value); got != tt.want {
			t.Errorf("arnMatch(%q, %q) = %v, want %v", tt.pattern, tt.value, got, tt.want)
		}
	}
}

func TestNewPolicyRefusesWhatItCannotEvaluate(t *testing.T) {
	tests := []struct {
		name string
		s    iamdoc.Statement
	}{
		{"unknown operator", iamdoc.Statement{Effect: iamdoc.Allow, Action: iamdoc.Strings{"iam:*"}, Resource: iamdoc.Strings{"*"},
			Condition: iamdoc.Condition{"StringNotEquals": {"iam:PolicyARN": {admin}}}}},
		{"IfExists", iamdoc.Statement{Effect: iamdoc.Allow, Action: iamdoc.Strings{"iam:*"}, Resource: iamdoc.Strings{"*"},
			Condition: iamdoc.Condition{"StringEqualsIfExists": {"iam:PolicyARN": {admin}}}}},
		{"no resource", iamdoc.Statement{Effect: iamdoc.Allow, Action: iamdoc.Strings{"iam:*"}}},
		{"bad effect", iamdoc.Statement{Effect: "allow", Action: iamdoc.Strings{"iam:*"}, Resource: iamdoc.Strings{"*"}}},
		{"principal", iamdoc.Statement{Effect: iamdoc.Allow, Principal: &iamdoc.Principal{Service: iamdoc.Strings{"x"}}, Action: iamdoc.Strings{"iam:*"}, Resource: iamdoc.Strings{"*"}}},
	}
	for _, tt := range tests {
		if _, err := NewPolicy(iamdoc.Document{Statement: []iamdoc.Statement{tt.s}}); err == nil {
			t.Errorf("%s: NewPolicy accepted %+v", tt.name, tt.s)
		}
	}
}
