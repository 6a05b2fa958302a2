package provider

import (
	"crypto/sha256"
	"encoding/base32"
	"regexp"
	"strings"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

const suffixLength = 12

var notNameChar = regexp.MustCompile(`[^\w+=,.@-]`)

// GeneratedName is the role name for a request without RoleName: <stack>-<logical id>-<suffix>, at most 64
// characters. The suffix hashes StackId, LogicalResourceId and RequestId, so a re-delivered Create makes the same
// name and a replacing Update a new one.
func GeneratedName(ev cfn.Event) string {
	sum := sha256.Sum256([]byte(ev.StackID + "\n" + ev.LogicalResourceID + "\n" + ev.RequestID))
	suffix := base32.StdEncoding.EncodeToString(sum[:])[:suffixLength]
	stack := clean(stackName(ev.StackID))
	logical := clean(ev.LogicalResourceID)
	budget := spec.MaxRoleNameLength - suffixLength - 2 // two hyphens
	logical = logical[:min(len(logical), max(budget/2, budget-len(stack)))]
	stack = stack[:min(len(stack), budget-len(logical))]
	return stack + "-" + logical + "-" + suffix
}

// stackName takes the name out of arn:PARTITION:cloudformation:REGION:ACCOUNT:stack/NAME/ID.
func stackName(stackID string) string {
	if _, rest, ok := strings.Cut(stackID, ":stack/"); ok {
		name, _, _ := strings.Cut(rest, "/")
		if name != "" {
			return name
		}
	}
	return "stack"
}

func clean(s string) string {
	s = notNameChar.ReplaceAllString(s, "")
	if s == "" {
		return "x"
	}
	return s
}
