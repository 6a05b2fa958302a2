package harness

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/policy"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
	"github.com/gtrole/groundtruth-execution-role/test/moto"
)

// Desired is the role the provider should make for the properties under the provider settings in env
// (KEY=VALUE entries such as ROLE_PATH_PREFIX), rendered as `gtrole render` does.
func Desired(props map[string]any, name string, env ...string) (iamdoc.Role, error) {
	getenv := func(key string) string {
		for _, kv := range env {
			if k, v, ok := strings.Cut(kv, "="); ok && k == key {
				return v
			}
		}
		return ""
	}
	settings, err := spec.SettingsFromEnv(getenv, "aws")
	if err != nil {
		return iamdoc.Role{}, err
	}
	s, err := spec.Parse(Stringify(props).(map[string]any), spec.Target{Account: moto.AccountID, Region: moto.Region, Settings: settings})
	if err != nil {
		return iamdoc.Role{}, err
	}
	return policy.Build(s, policy.Scope{Account: moto.AccountID, Partition: "aws"}, name)
}

// RoleDiff lists how the role IAM holds differs from want, policies compared by meaning and the provider's own
// tags (contract.ReservedTagPrefix) ignored; nil when they are equal.
func RoleDiff(got *Role, want iamdoc.Role) []string {
	var diffs []string
	add := func(format string, args ...any) { diffs = append(diffs, fmt.Sprintf(format, args...)) }
	if got.Path != want.Path || got.Description != want.Description || got.PermissionsBoundary != want.PermissionsBoundary {
		add("role %s: path/description/boundary = %q/%q/%q, want %q/%q/%q", want.RoleName, got.Path, got.Description, got.PermissionsBoundary, want.Path, want.Description, want.PermissionsBoundary)
	}
	if wantSession := max(want.MaxSessionDuration, 3600); got.MaxSessionDuration != wantSession {
		add("MaxSessionDuration = %d, want %d", got.MaxSessionDuration, wantSession)
	}
	if !iamdoc.Equivalent(got.AssumeRolePolicyDocument, want.AssumeRolePolicyDocument) {
		add("trust policy = %s, want %s", got.AssumeRolePolicyDocument, want.AssumeRolePolicyDocument)
	}
	if len(got.Policies) != len(want.Policies) {
		add("inline policies: %d, want %d", len(got.Policies), len(want.Policies))
	}
	for i := range min(len(got.Policies), len(want.Policies)) {
		g, w := got.Policies[i], want.Policies[i]
		if g.PolicyName != w.PolicyName || !iamdoc.Equivalent(g.PolicyDocument, w.PolicyDocument) {
			add("inline policy %s = %s, want %s: %s", g.PolicyName, g.PolicyDocument, w.PolicyName, w.PolicyDocument)
		}
	}
	if !slices.Equal(got.ManagedPolicyArns, want.ManagedPolicyArns) {
		add("managed policies = %v, want %v", got.ManagedPolicyArns, want.ManagedPolicyArns)
	}
	var userTags []iamdoc.Tag
	for _, tag := range got.Tags {
		if !strings.HasPrefix(tag.Key, contract.ReservedTagPrefix) {
			userTags = append(userTags, tag)
		}
	}
	if !slices.Equal(userTags, want.Tags) {
		add("tags = %v, want %v", userTags, want.Tags)
	}
	return diffs
}
