package reconcile

import (
	"fmt"
	"strings"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/record"
)

// ValidRoleName reports whether name could be an IAM role name (contract.ValidRoleName).
func ValidRoleName(name string) bool { return contract.ValidRoleName(name) }

// pathOf returns the role's path, IAM's default "/" when unset.
func pathOf(desired iamdoc.Role) string {
	if desired.Path == "" {
		return "/"
	}
	return desired.Path
}

// checkDesired refuses a desired role IAM could not hold as asked or that would fight the ownership tags.
func checkDesired(op string, desired iamdoc.Role) error {
	var problems []string
	if !ValidRoleName(desired.RoleName) {
		problems = append(problems, fmt.Sprintf("role name %q is not a valid IAM role name (1-64 of letters, digits and +=,.@_-)", desired.RoleName))
	}
	if !contract.ValidPath(pathOf(desired)) {
		problems = append(problems, fmt.Sprintf("path %q must be / or /segment/…/ of letters, digits and %s, at most %d characters", desired.Path, contract.PathSymbols, contract.MaxPathLength))
	}
	keys := map[string]bool{}
	for _, t := range desired.Tags {
		if contract.ReservedTagKey(t.Key) {
			problems = append(problems, fmt.Sprintf("tag key %q uses the reserved prefix %q (in any letter case)", t.Key, contract.ReservedTagPrefix))
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
	if _, err := record.Of(desired).Encode(); err != nil {
		problems = append(problems, err.Error())
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
