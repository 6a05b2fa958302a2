package spec_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

func wantField[T comparable](name string, get func(spec.Spec) T, want T) func(*testing.T, spec.Spec) {
	return func(t *testing.T, s spec.Spec) {
		t.Helper()
		if got := get(s); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
}

func roleName(s spec.Spec) string       { return s.RoleName }
func rolePath(s spec.Spec) string       { return s.Path }
func description(s spec.Spec) string    { return s.Description }
func sessionDuration(s spec.Spec) int32 { return s.MaxSessionDuration }
func boundary(s spec.Spec) string       { return s.PermissionsBoundary }

func TestRoleName(t *testing.T) {
	long := strings.Repeat("r", contract.MaxRoleNameLength)
	const msg = "is not a valid IAM role name: want 1-64 letters, digits and +=,.@_-"
	runCases(t, []problemCase{
		{name: "absent means generated", check: wantField("RoleName", roleName, "")},
		{name: "blank means generated", props: map[string]any{"RoleName": "  "}, check: wantField("RoleName", roleName, "")},
		{name: "every allowed character", props: map[string]any{"RoleName": "Gt_role-1+=,.@"}, check: wantField("RoleName", roleName, "Gt_role-1+=,.@")},
		{name: "64 characters", props: map[string]any{"RoleName": long}, check: wantField("RoleName", roleName, long)},
		{name: "65 characters", props: map[string]any{"RoleName": long + "r"}, property: "RoleName", value: long + "r", message: msg},
		{name: "space", props: map[string]any{"RoleName": "gt role"}, property: "RoleName", value: "gt role", message: msg},
		{name: "wildcard", props: map[string]any{"RoleName": "gt-*"}, property: "RoleName", value: "gt-*", message: msg},
		{name: "slash", props: map[string]any{"RoleName": "team/gt"}, property: "RoleName", value: "team/gt", message: msg},
		{name: "policy variable", props: map[string]any{"RoleName": "${aws:username}"}, property: "RoleName", value: "${aws:username}", message: msg},
		{name: "non-ASCII letter", props: map[string]any{"RoleName": "rôle"}, property: "RoleName", value: "rôle", message: msg},
		{name: "surrounding space is not trimmed", props: map[string]any{"RoleName": " gt "}, property: "RoleName", value: " gt ", message: msg},
	})
}

func TestPath(t *testing.T) {
	const bad = "is not an allowed role path: want / or /segment/…/"
	const outside = `is outside the provider's role path prefix "/groundtruth/"`
	teams := defaultTarget(t, "us-east-1")
	teams.Settings.RolePathPrefix = "/teams/"
	root := defaultTarget(t, "us-east-1")
	root.Settings.RolePathPrefix = "/"
	longest := "/groundtruth/ab/" + strings.Repeat("a/", 248) // 512 characters
	long := "/groundtruth/" + strings.Repeat("a/", 250)       // 513 characters
	runCases(t, []problemCase{
		{name: "default", check: wantField("Path", rolePath, contract.DefaultRolePathPrefix)},
		{name: "blank is the default", props: map[string]any{"Path": ""}, check: wantField("Path", rolePath, "/groundtruth/")},
		{name: "the prefix itself", props: map[string]any{"Path": "/groundtruth/"}, check: wantField("Path", rolePath, "/groundtruth/")},
		{name: "below the prefix", props: map[string]any{"Path": "/groundtruth/team-a/v1.2/"}, check: wantField("Path", rolePath, "/groundtruth/team-a/v1.2/")},
		{name: "custom prefix", target: &teams, props: map[string]any{"Path": "/teams/vision/"}, check: wantField("Path", rolePath, "/teams/vision/")},
		{name: "root prefix allows root", target: &root, props: map[string]any{"Path": "/"}, check: wantField("Path", rolePath, "/")},
		{name: "512 characters", props: map[string]any{"Path": longest}, check: wantField("Path", rolePath, longest)},
		{name: "root outside the prefix", props: map[string]any{"Path": "/"}, property: "Path", value: "/", message: outside},
		{name: "sibling path", props: map[string]any{"Path": "/other/"}, property: "Path", value: "/other/", message: outside},
		{name: "prefix of a segment", props: map[string]any{"Path": "/groundtruthx/"}, property: "Path", value: "/groundtruthx/", message: outside},
		{name: "default outside a custom prefix", target: &teams, props: map[string]any{"Path": "/groundtruth/"}, property: "Path", value: "/groundtruth/", message: `prefix "/teams/"`},
		{name: "no leading slash", props: map[string]any{"Path": "groundtruth/"}, property: "Path", value: "groundtruth/", message: bad},
		{name: "no trailing slash", props: map[string]any{"Path": "/groundtruth"}, property: "Path", value: "/groundtruth", message: bad},
		{name: "empty segment", props: map[string]any{"Path": "/groundtruth//"}, property: "Path", value: "/groundtruth//", message: bad},
		{name: "wildcard", props: map[string]any{"Path": "/groundtruth/*/"}, property: "Path", value: "/groundtruth/*/", message: bad},
		{name: "policy variable", props: map[string]any{"Path": "/groundtruth/${aws:username}/"}, property: "Path", value: "/groundtruth/${aws:username}/", message: bad},
		{name: "513 characters", props: map[string]any{"Path": long}, property: "Path", value: shortened(long), message: bad},
	})
}

func TestDescription(t *testing.T) {
	longest := strings.Repeat("d", 1000)
	latin := "Rôle für Ground Truth\twith a tab\nand a newline ¡¿ÿ"
	runCases(t, []problemCase{
		{name: "absent", check: wantField("Description", description, "")},
		{name: "Latin-1, tab and newline", props: map[string]any{"Description": latin}, check: wantField("Description", description, latin)},
		{name: "1000 characters", props: map[string]any{"Description": longest}, check: wantField("Description", description, longest)},
		{name: "1000 two-byte characters", props: map[string]any{"Description": strings.Repeat("é", 1000)}, check: wantField("Description", description, strings.Repeat("é", 1000))},
		{name: "1001 characters", props: map[string]any{"Description": longest + "d"}, property: "Description", value: shortened(longest + "d"), message: "is 1001 characters long: IAM allows at most 1000"},
		{name: "emoji", props: map[string]any{"Description": "labels 😀"}, property: "Description", value: "labels 😀", message: "has characters IAM does not allow in a description"},
		{name: "beyond Latin-1", props: map[string]any{"Description": "Ā"}, property: "Description", value: "Ā", message: "printable Latin-1 characters"},
		{name: "control character", props: map[string]any{"Description": "a\x00b"}, property: "Description", value: "a\x00b", message: "has characters IAM does not allow"},
	})
}

func TestMaxSessionDuration(t *testing.T) {
	const rangeMsg = "is out of range: IAM allows 3600 to 43200 seconds"
	runCases(t, []problemCase{
		{name: "absent is IAM's default", check: wantField("MaxSessionDuration", sessionDuration, int32(0))},
		{name: "minimum as string", props: map[string]any{"MaxSessionDuration": "3600"}, check: wantField("MaxSessionDuration", sessionDuration, int32(3600))},
		{name: "maximum as string", props: map[string]any{"MaxSessionDuration": "43200"}, check: wantField("MaxSessionDuration", sessionDuration, int32(43200))},
		{name: "padded string", props: map[string]any{"MaxSessionDuration": " 7200 "}, check: wantField("MaxSessionDuration", sessionDuration, int32(7200))},
		{name: "JSON number", props: map[string]any{"MaxSessionDuration": json.Number("7200")}, check: wantField("MaxSessionDuration", sessionDuration, int32(7200))},
		{name: "float64", props: map[string]any{"MaxSessionDuration": float64(7200)}, check: wantField("MaxSessionDuration", sessionDuration, int32(7200))},
		{name: "int", props: map[string]any{"MaxSessionDuration": 7200}, check: wantField("MaxSessionDuration", sessionDuration, int32(7200))},
		{name: "below", props: map[string]any{"MaxSessionDuration": "3599"}, property: "MaxSessionDuration", value: "3599", message: rangeMsg},
		{name: "above", props: map[string]any{"MaxSessionDuration": "43201"}, property: "MaxSessionDuration", value: "43201", message: rangeMsg},
		{name: "zero", props: map[string]any{"MaxSessionDuration": "0"}, property: "MaxSessionDuration", value: "0", message: rangeMsg},
		{name: "negative", props: map[string]any{"MaxSessionDuration": "-3600"}, property: "MaxSessionDuration", value: "-3600", message: rangeMsg},
		{name: "above as JSON number", props: map[string]any{"MaxSessionDuration": json.Number("86400")}, property: "MaxSessionDuration", value: "86400", message: rangeMsg},
		{name: "beyond int32", props: map[string]any{"MaxSessionDuration": "4294967296"}, property: "MaxSessionDuration", value: "4294967296", message: rangeMsg},
		{name: "words", props: map[string]any{"MaxSessionDuration": "one hour"}, property: "MaxSessionDuration", value: "one hour", message: "is not a whole number"},
		{name: "fraction as string", props: map[string]any{"MaxSessionDuration": "3600.5"}, property: "MaxSessionDuration", value: "3600.5", message: "is not a whole number"},
		{name: "fraction as float64", props: map[string]any{"MaxSessionDuration": 3600.5}, property: "MaxSessionDuration", value: "3600.5", message: "is not a whole number"},
		{name: "boolean", props: map[string]any{"MaxSessionDuration": true}, property: "MaxSessionDuration", message: "must be a whole number, got a boolean"},
		{name: "list", props: map[string]any{"MaxSessionDuration": []any{"3600"}}, property: "MaxSessionDuration", message: "must be a whole number, got a list"},
	})
}

func TestPermissionsBoundary(t *testing.T) {
	const own = "arn:aws:iam::123456789012:policy/gt-boundary"
	const required = "arn:aws:iam::123456789012:policy/org/required-boundary"
	withRequired := defaultTarget(t, "us-east-1")
	withRequired.Settings.RequiredPermissionsBoundary = required
	runCases(t, []problemCase{
		{name: "absent", check: wantField("PermissionsBoundary", boundary, "")},
		{name: "customer managed in the account", props: map[string]any{"PermissionsBoundary": own}, check: wantField("PermissionsBoundary", boundary, own)},
		{name: "with a path", props: map[string]any{"PermissionsBoundary": required}, check: wantField("PermissionsBoundary", boundary, required)},
		{name: "AWS managed", props: map[string]any{"PermissionsBoundary": "arn:aws:iam::aws:policy/PowerUserAccess"}, check: wantField("PermissionsBoundary", boundary, "arn:aws:iam::aws:policy/PowerUserAccess")},
		{name: "another account", props: map[string]any{"PermissionsBoundary": "arn:aws:iam::210987654321:policy/b"}, property: "PermissionsBoundary", value: "arn:aws:iam::210987654321:policy/b", message: `has account "210987654321": want arn:aws:iam::ACCOUNT:policy/`},
		{name: "short account", props: map[string]any{"PermissionsBoundary": "arn:aws:iam::12345678901:policy/b"}, property: "PermissionsBoundary", value: "arn:aws:iam::12345678901:policy/b", message: `has account "12345678901"`},
		{name: "other partition", props: map[string]any{"PermissionsBoundary": "arn:aws-cn:iam::123456789012:policy/b"}, property: "PermissionsBoundary", value: "arn:aws-cn:iam::123456789012:policy/b", message: `is in partition "aws-cn" but the stack is in partition "aws"`},
		{name: "wildcard", props: map[string]any{"PermissionsBoundary": "arn:aws:iam::123456789012:policy/*"}, property: "PermissionsBoundary", value: "arn:aws:iam::123456789012:policy/*", message: "contains a wildcard"},
		{name: "bare wildcard", props: map[string]any{"PermissionsBoundary": "*"}, property: "PermissionsBoundary", value: "*", message: "contains a wildcard"},
		{name: "policy variable", props: map[string]any{"PermissionsBoundary": "arn:aws:iam::123456789012:policy/${aws:username}"}, property: "PermissionsBoundary", value: "arn:aws:iam::123456789012:policy/${aws:username}", message: "policy variable"},
		{name: "a role ARN", props: map[string]any{"PermissionsBoundary": "arn:aws:iam::123456789012:role/r"}, property: "PermissionsBoundary", value: "arn:aws:iam::123456789012:role/r", message: "is not an IAM managed policy ARN"},
		{name: "with a region", props: map[string]any{"PermissionsBoundary": "arn:aws:iam:us-east-1:123456789012:policy/b"}, property: "PermissionsBoundary", value: "arn:aws:iam:us-east-1:123456789012:policy/b", message: "is not an IAM managed policy ARN"},
		{name: "a name", props: map[string]any{"PermissionsBoundary": "gt-boundary"}, property: "PermissionsBoundary", value: "gt-boundary", message: "is not an IAM managed policy ARN"},
		{name: "required applied when absent", target: &withRequired, check: wantField("PermissionsBoundary", boundary, required)},
		{name: "required given", target: &withRequired, props: map[string]any{"PermissionsBoundary": required}, check: wantField("PermissionsBoundary", boundary, required)},
		{name: "other than required", target: &withRequired, props: map[string]any{"PermissionsBoundary": own}, property: "PermissionsBoundary", value: own, message: "differs from the boundary this provider requires (" + required + ")"},
		{name: "invalid when required", target: &withRequired, props: map[string]any{"PermissionsBoundary": "nope"}, property: "PermissionsBoundary", value: "nope", message: "is not an IAM managed policy ARN"},
	})
}

// shortened is how a problem quotes a long value: its first 120 characters and an ellipsis.
func shortened(s string) string {
	r := []rune(s)
	if len(r) <= 120 {
		return s
	}
	return string(r[:120]) + "…"
}

// TestRequiredBoundaryGivenOrAbsentAgree checks that writing the required boundary out gives the same result as
// leaving it out. SettingsFromEnv accepts a required boundary in any account, and Parse applies it when
// PermissionsBoundary is absent, but rejects the very same ARN when a template states it.
func TestRequiredBoundaryGivenOrAbsentAgree(t *testing.T) {
	for _, required := range []string{
		"arn:aws:iam::123456789012:policy/org/boundary",
		"arn:aws:iam::aws:policy/PowerUserAccess",
		"arn:aws:iam::210987654321:policy/org/boundary",
	} {
		t.Run(required, func(t *testing.T) {
			settings, err := spec.SettingsFromEnv(env(map[string]string{contract.EnvRequiredPermissionsBoundary: required}), "aws")
			if err != nil {
				t.Fatalf("SettingsFromEnv: %v", err)
			}
			target := spec.Target{Account: testAccount, Region: "us-east-1", Settings: settings}
			left, leftErr := spec.Parse(props(nil), target)
			given, givenErr := spec.Parse(props(map[string]any{"PermissionsBoundary": required}), target)
			if (leftErr == nil) != (givenErr == nil) || !reflect.DeepEqual(left, given) {
				t.Errorf("PermissionsBoundary left out: %+v, %v\nPermissionsBoundary = the required %s: %+v, %v", left.PermissionsBoundary, leftErr, required, given.PermissionsBoundary, givenErr)
			}
		})
	}
}
