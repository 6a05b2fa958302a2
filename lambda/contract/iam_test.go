package contract_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

func TestRoleNamesAndPaths(t *testing.T) {
	roleName := regexp.MustCompile(contract.RoleNamePattern)
	path := regexp.MustCompile(contract.PathPattern)
	tests := []struct {
		value          string
		name, isPath   bool
		pathPrefixOnly bool // a valid path that is not a valid prefix
	}{
		{value: "gt-role", name: true},
		{value: "a+b=c,d.e@f_g-h", name: true},
		{value: strings.Repeat("r", contract.MaxRoleNameLength), name: true},
		{value: strings.Repeat("r", contract.MaxRoleNameLength+1)},
		{value: ""},
		{value: "role name"},
		{value: "röle"},
		{value: "role*"},
		{value: "/", isPath: true, pathPrefixOnly: true},
		{value: "/groundtruth/", isPath: true},
		{value: "/a/b.c/d@e/", isPath: true},
		{value: "/" + strings.Repeat("p", contract.MaxPathLength-2) + "/", isPath: true},
		{value: "/" + strings.Repeat("p", contract.MaxPathLength-1) + "/"},
		{value: "//"},
		{value: "/a//b/"},
		{value: "/a"},
		{value: "a/"},
		{value: "/gt*/"},
		{value: "/${aws:username}/"},
		{value: "/ä/"},
	}
	for _, tt := range tests {
		if got := contract.ValidRoleName(tt.value); got != tt.name {
			t.Errorf("ValidRoleName(%q) = %v, want %v", tt.value, got, tt.name)
		}
		if got := roleName.MatchString(tt.value) && len(tt.value) <= contract.MaxRoleNameLength; got != tt.name {
			t.Errorf("RoleNamePattern on %q = %v, want %v (the pattern and ValidRoleName disagree)", tt.value, got, tt.name)
		}
		if got := contract.ValidPath(tt.value); got != tt.isPath {
			t.Errorf("ValidPath(%q) = %v, want %v", tt.value, got, tt.isPath)
		}
		if got := path.MatchString(tt.value) && len(tt.value) <= contract.MaxPathLength; got != tt.isPath {
			t.Errorf("PathPattern on %q = %v, want %v (the pattern and ValidPath disagree)", tt.value, got, tt.isPath)
		}
		if got, want := contract.ValidPathPrefix(tt.value), tt.isPath && !tt.pathPrefixOnly; got != want {
			t.Errorf("ValidPathPrefix(%q) = %v, want %v", tt.value, got, want)
		}
	}
}

func TestReservedTagKeys(t *testing.T) {
	tests := []struct {
		key           string
		reserved, aws bool
	}{
		{key: "gtrole:x", reserved: true},
		{key: "GTROLE:x", reserved: true},
		{key: "GtRole:cloudformation:stack-id", reserved: true},
		{key: "gtrole", reserved: false},
		{key: "gtroles:x", reserved: false},
		{key: "aws:x", aws: true},
		{key: "AWS:x", aws: true},
		{key: "team"},
		{key: ""},
	}
	for _, tt := range tests {
		if got := contract.ReservedTagKey(tt.key); got != tt.reserved {
			t.Errorf("ReservedTagKey(%q) = %v, want %v", tt.key, got, tt.reserved)
		}
		if got := contract.AWSTagKey(tt.key); got != tt.aws {
			t.Errorf("AWSTagKey(%q) = %v, want %v", tt.key, got, tt.aws)
		}
	}
	if contract.MaxUserTags+contract.OwnershipTags+contract.CreatingTags+contract.RecordTags != contract.MaxTagsPerRole {
		t.Errorf("MaxUserTags %d + OwnershipTags %d + CreatingTags %d + RecordTags %d != MaxTagsPerRole %d", contract.MaxUserTags, contract.OwnershipTags, contract.CreatingTags, contract.RecordTags, contract.MaxTagsPerRole)
	}
}

func TestBadPolicyRune(t *testing.T) {
	tests := []struct {
		value string
		bad   rune
		ok    bool // no bad rune
	}{
		{value: "my-gt-input/images/", ok: true},
		{value: "tab\tlf\ncr\r", ok: true},
		{value: "latin-1 é ÿ ©", ok: true},
		{value: "my-gt-input/画像/", bad: '画'},
		{value: "emoji-🙂", bad: '🙂'},
		{value: "nul\x00", bad: 0},
		{value: "bell\a", bad: '\a'},
		{value: "euro €", bad: '€'},
		{value: "bad utf-8 \xff", bad: '\uFFFD'},
	}
	for _, tt := range tests {
		r, bad := contract.BadPolicyRune(tt.value)
		if bad == tt.ok || bad && r != tt.bad {
			t.Errorf("BadPolicyRune(%q) = %q, %v; want %q, %v", tt.value, r, bad, tt.bad, !tt.ok)
		}
	}
}
