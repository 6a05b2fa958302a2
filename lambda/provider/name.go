package provider

import (
	"crypto/sha256"
	"encoding/base32"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

const suffixLength = 12

// GeneratedName is the role name for a resource without RoleName: <stack>-<logical id>-<suffix>, at most 64
// characters. The suffix hashes only what identifies the resource and where its role lives (StackId,
// LogicalResourceId, Path), never the request: a re-delivered Create makes the same name, a new Path a new one, and
// a rollback Update that returns to the old properties computes the old role's name.
func GeneratedName(stackID, logicalID, path string) string {
	sum := sha256.Sum256([]byte(stackID + "\n" + logicalID + "\n" + path))
	suffix := base32.StdEncoding.EncodeToString(sum[:])[:suffixLength]
	stack := clean(stackName(stackID))
	logical := clean(logicalID)
	budget := contract.MaxRoleNameLength - suffixLength - 2 // two hyphens
	logical = logical[:min(len(logical), max(budget/2, budget-len(stack)))]
	stack = stack[:min(len(stack), budget-len(logical))]
	return stack + "-" + logical + "-" + suffix
}

// stackName takes the name out of arn:PARTITION:cloudformation:REGION:ACCOUNT:stack/NAME/ID.
func stackName(stackID string) string {
	if a, err := arn.Parse(stackID); err == nil && a.Service == "cloudformation" {
		if rest, ok := strings.CutPrefix(a.Resource, "stack/"); ok {
			if name, _, _ := strings.Cut(rest, "/"); name != "" {
				return name
			}
		}
	}
	return "stack"
}

// clean keeps the characters IAM allows in a role name (letters, digits and _+=,.@-), or gives "x" for none.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if contract.NameRune(r) {
			return r
		}
		return -1
	}, s)
	if s == "" {
		return "x"
	}
	return s
}
