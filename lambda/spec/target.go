package spec

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// Target is where a role is made: the account, the region, the partition and the provider's settings.
type Target struct {
	Account string
	Region  string
	// Partition is the partition the role is made in, taken from a fact such as the Lambda's own function ARN;
	// empty means the region's partition (PartitionOf), for callers without such a fact.
	Partition string
	Settings  Settings
}

// partition is the target's partition: the given one, else the region's.
func (t Target) partition() string {
	if t.Partition != "" {
		return t.Partition
	}
	return PartitionOf(t.Region)
}

// Settings are the provider operator's limits on every role the provider makes.
type Settings struct {
	RolePathPrefix              string   // every role's Path must start with it
	AllowedManagedPolicyArns    []string // the only managed policies a role may have attached
	RequiredPermissionsBoundary string   // when set, every role gets this boundary and no other
	AllowedResourceAccounts     []string // accounts besides the role's own whose resources a role may name
}

// resourceAccounts are the accounts a role in account may name resources of: its own and the allowed ones, sorted.
func (s Settings) resourceAccounts(account string) []string {
	out := append([]string{account}, s.AllowedResourceAccounts...)
	slices.Sort(out)
	return slices.Compact(out)
}

// DefaultPath is the Path a role gets when the property is absent: the provider's prefix, else /groundtruth/.
func (s Settings) DefaultPath() string {
	if s.RolePathPrefix != "" {
		return s.RolePathPrefix
	}
	return contract.DefaultRolePathPrefix
}

// validAccount reports whether s is an AWS account ID: exactly 12 ASCII digits.
func validAccount(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// SettingsFromEnv reads the provider settings with getenv (os.Getenv in the Lambda), applying the defaults
// for the partition: path prefix /groundtruth/ and the Ground Truth managed policy as the only allowed one.
func SettingsFromEnv(getenv func(string) string, partition string) (Settings, error) {
	s := Settings{
		RolePathPrefix:              strings.TrimSpace(getenv(contract.EnvRolePathPrefix)),
		RequiredPermissionsBoundary: strings.TrimSpace(getenv(contract.EnvRequiredPermissionsBoundary)),
	}
	if s.RolePathPrefix == "" {
		s.RolePathPrefix = contract.DefaultRolePathPrefix
	}
	for _, arn := range strings.Split(getenv(contract.EnvAllowedManagedPolicyArns), ",") {
		if arn = strings.TrimSpace(arn); arn != "" {
			s.AllowedManagedPolicyArns = append(s.AllowedManagedPolicyArns, arn)
		}
	}
	for _, account := range strings.Split(getenv(contract.EnvAllowedResourceAccounts), ",") {
		if account = strings.TrimSpace(account); account != "" {
			s.AllowedResourceAccounts = append(s.AllowedResourceAccounts, account)
		}
	}
	if len(s.AllowedManagedPolicyArns) == 0 {
		s.AllowedManagedPolicyArns = []string{GroundTruthManagedPolicy(partition)}
	}
	var c collector
	if !contract.ValidPathPrefix(s.RolePathPrefix) {
		c.add(contract.EnvRolePathPrefix, s.RolePathPrefix, "is not a role path prefix the provider can be fenced to: want /segment/…/ of letters, digits and +=,.@_- (not / alone, which would cover every role in the account)")
	}
	for _, arn := range s.AllowedManagedPolicyArns {
		if msg := checkPolicyArn(arn, partition, "", true); msg != "" {
			c.add(contract.EnvAllowedManagedPolicyArns, arn, "%s", msg)
		}
	}
	for _, account := range s.AllowedResourceAccounts {
		if !validAccount(account) {
			c.add(contract.EnvAllowedResourceAccounts, account, "is not a 12-digit AWS account ID: want a comma-separated list of account IDs such as 111122223333,444455556666")
		}
	}
	if b := s.RequiredPermissionsBoundary; b != "" {
		if msg := checkPolicyArn(b, partition, "", true); msg != "" {
			c.add(contract.EnvRequiredPermissionsBoundary, b, "%s", msg)
		}
	}
	if c.problems != nil {
		return Settings{}, fmt.Errorf("provider settings: %w", c.problems)
	}
	return s, nil
}
