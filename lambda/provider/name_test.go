package provider

import (
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

const stackID = "arn:aws:cloudformation:us-east-1:123456789012:stack/labeling-stack/1c2fa620-982a-11e3-aff7-50e2416294e0"

func TestGeneratedName(t *testing.T) {
	name := GeneratedName(stackID, "LabelingRole", "/groundtruth/")
	if !strings.HasPrefix(name, "labeling-stack-LabelingRole-") || len(name) != len("labeling-stack-LabelingRole-")+suffixLength {
		t.Errorf("GeneratedName = %q", name)
	}
	if GeneratedName(stackID, "LabelingRole", "/groundtruth/") != name {
		t.Error("the same resource and path give a different name: a re-delivered Create or a rollback would not find its role")
	}
	if GeneratedName(stackID, "LabelingRole", "/groundtruth/a/") == name {
		t.Error("a new path gives the same name: the replacing role would collide with the old one")
	}
	if GeneratedName(stackID, "OtherRole", "/groundtruth/") == name || GeneratedName(strings.Replace(stackID, "1c2f", "ffff", 1), "LabelingRole", "/groundtruth/") == name {
		t.Error("another resource gives the same name")
	}
	long := []string{"arn:aws:cloudformation:us-east-1:123456789012:stack/" + strings.Repeat("s", 128) + "/id", strings.Repeat("L", 255), "/"}
	for _, in := range [][3]string{{long[0], long[1], long[2]}, {"", "Role", "/"}, {"not-an-arn", "", ""}, {}} {
		n := GeneratedName(in[0], in[1], in[2])
		if !contract.ValidRoleName(n) || len(n) > contract.MaxRoleNameLength {
			t.Errorf("GeneratedName(%q) = %q (%d chars): not a valid role name", in, n, len(n))
		}
	}
	if n := GeneratedName(long[0], long[1], long[2]); !strings.Contains(n, "sss") || !strings.Contains(n, "LLL") {
		t.Errorf("a long name keeps both the stack and the logical id: %q", n)
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
