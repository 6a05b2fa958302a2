package reconcile

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/gtrole/groundtruth-execution-role/lambda/policy"
)

var (
	// roleNamePattern is IAM's RoleName constraint.
	roleNamePattern = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	// rolePathPattern is IAM's Path constraint: "/" or slash-delimited printable ASCII, at most 512 characters.
	rolePathPattern = regexp.MustCompile(`^(/|/[\x21-\x7E]{1,510}/)$`)
)

// ValidRoleName reports whether name could be an IAM role name.
func ValidRoleName(name string) bool { return roleNamePattern.MatchString(name) }

// pathOf returns the role's path, IAM's default "/" when unset.
func pathOf(desired policy.Role) string {
	if desired.Path == "" {
		return "/"
	}
	return desired.Path
}

// checkDesired refuses a desired role IAM could not hold as asked or that would fight the ownership tags.
func checkDesired(op string, desired policy.Role) error {
	var problems []string
	if !ValidRoleName(desired.RoleName) {
		problems = append(problems, fmt.Sprintf("role name %q is not a valid IAM role name (1-64 of letters, digits and +=,.@_-)", desired.RoleName))
	}
	if !rolePathPattern.MatchString(pathOf(desired)) {
		problems = append(problems, fmt.Sprintf("path %q must be / or start and end with / (printable ASCII, at most 512 characters)", desired.Path))
	}
	keys := map[string]bool{}
	for _, t := range desired.Tags {
		if strings.HasPrefix(t.Key, OwnerTagPrefix) {
			problems = append(problems, fmt.Sprintf("tag key %q uses the reserved prefix %q", t.Key, OwnerTagPrefix))
		}
		if keys[t.Key] {
			problems = append(problems, fmt.Sprintf("tag key %q is given twice", t.Key))
		}
		keys[t.Key] = true
	}
	names := map[string]bool{}
	for _, p := range desired.Policies {
		if p.PolicyName == "" {
			problems = append(problems, "an inline policy has no name")
		}
		if names[p.PolicyName] {
			problems = append(problems, fmt.Sprintf("inline policy %q is given twice", p.PolicyName))
		}
		names[p.PolicyName] = true
	}
	if len(problems) == 0 {
		return nil
	}
	return &Error{
		Kind: KindInvalidRequest,
		Op:   op,
		Role: desired.RoleName,
		Err:  fmt.Errorf("%s", strings.Join(problems, "; ")),
		Hint: "fix the role properties",
	}
}

// checkOwner refuses an owner that cannot mark a role as its own.
func checkOwner(op, role string, owner Owner) error {
	if err := owner.validate(); err != nil {
		return &Error{Kind: KindInvalidRequest, Op: op, Role: role, Err: err}
	}
	return nil
}
