package provider

import (
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

const stackID = "arn:aws:cloudformation:us-east-1:123456789012:stack/labeling-stack/1c2fa620-982a-11e3-aff7-50e2416294e0"

func TestGeneratedName(t *testing.T) {
	base := cfn.Event{StackID: stackID, LogicalResourceID: "LabelingRole", RequestID: "req-1"}
	name := GeneratedName(base)
	if !strings.HasPrefix(name, "labeling-stack-LabelingRole-") || len(name) != len("labeling-stack-LabelingRole-")+suffixLength {
		t.Errorf("GeneratedName = %q", name)
	}
	if GeneratedName(base) != name {
		t.Error("the same request gives a different name: a re-delivered Create would make a second role")
	}
	other := base
	other.RequestID = "req-2"
	if GeneratedName(other) == name {
		t.Error("a new request (a replacing Update) gives the same name")
	}
	long := cfn.Event{
		StackID:           "arn:aws:cloudformation:us-east-1:123456789012:stack/" + strings.Repeat("s", 128) + "/id",
		LogicalResourceID: strings.Repeat("L", 255),
		RequestID:         "r",
	}
	for _, ev := range []cfn.Event{long, {LogicalResourceID: "Role"}, {StackID: "not-an-arn"}, {}} {
		n := GeneratedName(ev)
		if !spec.ValidRoleName(n) || len(n) > spec.MaxRoleNameLength {
			t.Errorf("GeneratedName(%+v) = %q (%d chars): not a valid role name", ev, n, len(n))
		}
	}
	if n := GeneratedName(long); !strings.Contains(n, "sss") || !strings.Contains(n, "LLL") {
		t.Errorf("a long name keeps both the stack and the logical id: %q", n)
	}
}

func TestUpdatedName(t *testing.T) {
	p := &Provider{}
	ev := func(oldProps map[string]any, physicalID string) cfn.Event {
		return cfn.Event{StackID: stackID, LogicalResourceID: "Role", RequestID: "update-1", PhysicalResourceID: physicalID, OldResourceProperties: oldProps}
	}
	generated := GeneratedName(ev(nil, ""))
	tests := []struct {
		name        string
		old         map[string]any
		physicalID  string
		newName     string
		newPath     string
		wantName    string
		wantReplace bool
		wantErr     string
	}{
		{"generated name kept", map[string]any{}, "stack-Role-OLD", "", "/groundtruth/", "stack-Role-OLD", false, ""},
		{"fixed name kept", map[string]any{"RoleName": "fixed"}, "fixed", "fixed", "/groundtruth/", "fixed", false, ""},
		{"name changed", map[string]any{"RoleName": "fixed"}, "fixed", "renamed", "/groundtruth/", "renamed", true, ""},
		{"name added", map[string]any{}, "stack-Role-OLD", "chosen", "/groundtruth/", "chosen", true, ""},
		{"name removed", map[string]any{"RoleName": "fixed"}, "fixed", "", "/groundtruth/", generated, true, ""},
		{"path changed, generated name", map[string]any{}, "stack-Role-OLD", "", "/groundtruth/a/", generated, true, ""},
		{"explicit default path is no change", map[string]any{"Path": "/groundtruth/"}, "stack-Role-OLD", "", "/groundtruth/", "stack-Role-OLD", false, ""},
		{"path changed, fixed name", map[string]any{"RoleName": "fixed"}, "fixed", "fixed", "/groundtruth/a/", "", false, "IAM role names are unique"},
		{"physical id not a role name", map[string]any{}, "Role-0123abcd/bad", "", "/groundtruth/", generated, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, replace, err := p.updatedName(ev(tt.old, tt.physicalID), spec.Spec{RoleName: tt.newName, Path: tt.newPath})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || name != tt.wantName || replace != tt.wantReplace {
				t.Errorf("updatedName = %q, %v, %v; want %q, %v", name, replace, err, tt.wantName, tt.wantReplace)
			}
		})
	}
}

func TestStackName(t *testing.T) {
	tests := []struct{ stackID, want string }{
		{stackID, "labeling-stack"},
		{"arn:aws-cn:cloudformation:cn-north-1:123456789012:stack/cn-stack/id", "cn-stack"},
		{"arn:aws:cloudformation:us-east-1:123456789012:stack/only-name", "only-name"},
		{"arn:aws:cloudformation:us-east-1:123456789012:stack//id", "stack"},
		{"arn:aws:cloudformation:us-east-1:123456789012:stackset/ss:id", "stack"},
		{"arn:aws:sns:us-east-1:123456789012:stack/topic", "stack"}, // not a CloudFormation ARN
		{"not-an-arn:stack/name/id", "stack"},                       // not an ARN at all
		{"", "stack"},
	}
	for _, tt := range tests {
		if got := stackName(tt.stackID); got != tt.want {
			t.Errorf("stackName(%q) = %q, want %q", tt.stackID, got, tt.want)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Stack_1+=,.@-x", "Stack_1+=,.@-x"},
		{"a b/c:d*é", "abcd"},
		{"/:*", "x"},
		{"", "x"},
	}
	for _, tt := range tests {
		if got := clean(tt.in); got != tt.want {
			t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
