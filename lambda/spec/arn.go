package spec

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// splitARN parses s with the SDK's aws/arn: arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE.
func splitARN(s string) (arn.ARN, bool) {
	a, err := arn.Parse(s)
	return a, err == nil
}

// wildcardProblem reports IAM wildcards and policy variables, which would widen a grant beyond what was declared.
func wildcardProblem(s string) string {
	switch {
	case strings.ContainsAny(s, "*?"):
		return "contains a wildcard (* or ?): name each resource exactly"
	case strings.Contains(s, "${"):
		return "contains an IAM policy variable (${…}): name each resource exactly"
	}
	return ""
}

// checkCommon verifies the parts every service ARN shares and returns what is wrong, or "".
func checkCommon(a arn.ARN, value, partition, service, want string) string {
	if msg := wildcardProblem(value); msg != "" {
		return msg
	}
	if a.Service != service {
		return fmt.Sprintf("is not a %s ARN: want %s", service, want)
	}
	if a.Partition != partition {
		return fmt.Sprintf("is in partition %q but the stack is in partition %q: every ARN must be in the stack's partition", a.Partition, partition)
	}
	if !ValidRegion(a.Region) || PartitionOf(a.Region) != partition {
		return fmt.Sprintf("has region %q, which is not a region of partition %q: want %s", a.Region, partition, want)
	}
	if !validAccount(a.AccountID) {
		return fmt.Sprintf("has account %q: want a 12-digit account ID (%s)", a.AccountID, want)
	}
	return ""
}

var snsTopicName = pattern(`^[A-Za-z0-9_-]{1,256}(\.fifo)?$`)

func checkTopicArn(value, partition string) string {
	want := fmt.Sprintf("arn:%s:sns:REGION:ACCOUNT:TOPIC_NAME (1-256 letters, digits, - and _, optionally ending .fifo)", partition)
	a, ok := splitARN(value)
	if !ok {
		return "is not an ARN: want " + want
	}
	if msg := checkCommon(a, value, partition, "sns", want); msg != "" {
		return msg
	}
	if !snsTopicName().MatchString(a.Resource) || len(a.Resource) > 256 {
		return "does not name an SNS topic: want " + want
	}
	return ""
}

var lambdaFunction = pattern(`^function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$`)

func checkFunctionArn(value, partition string) string {
	want := fmt.Sprintf("arn:%s:lambda:REGION:ACCOUNT:function:NAME[:VERSION_OR_ALIAS]", partition)
	a, ok := splitARN(value)
	if !ok {
		return "is not an ARN: want " + want
	}
	if msg := checkCommon(a, value, partition, "lambda", want); msg != "" {
		return msg
	}
	if !lambdaFunction().MatchString(a.Resource) {
		return "does not name a Lambda function: want " + want
	}
	return ""
}

var kmsKey = pattern(`^key/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$`)

func checkKeyArn(value, partition string) string {
	want := fmt.Sprintf("arn:%s:kms:REGION:ACCOUNT:key/KEY_ID", partition)
	a, ok := splitARN(value)
	if !ok {
		return "is not a KMS key ARN: want " + want + " (a key ID or alias name alone is not enough)"
	}
	if msg := checkCommon(a, value, partition, "kms", want); msg != "" {
		return msg
	}
	if strings.HasPrefix(a.Resource, "alias/") {
		return "is a KMS alias ARN: IAM authorises use of a key on its key ARN, not an alias; give " + want
	}
	if !kmsKey().MatchString(a.Resource) {
		return "does not name a KMS key: want " + want + " with a key ID such as 1234abcd-12ab-34cd-56ef-1234567890ab or mrk-…"
	}
	return ""
}

// validPolicyResource reports whether r is the resource of a managed policy ARN: policy/[PATH/]NAME, each path
// segment and the name of letters, digits and +=,.@_-, the name at most 128 characters. (A regexp with {1,128}
// costs milliseconds to compile, and the Lambda checks its settings before its first poll.)
func validPolicyResource(r string) bool {
	rest, ok := strings.CutPrefix(r, "policy/")
	if !ok {
		return false
	}
	segments := strings.Split(rest, "/")
	if len(segments[len(segments)-1]) > 128 {
		return false
	}
	for _, seg := range segments {
		if seg == "" || strings.IndexFunc(seg, func(c rune) bool { return !contract.NameRune(c) }) >= 0 {
			return false
		}
	}
	return true
}

// checkPolicyArn checks a managed policy ARN; account may be "" to accept any account, and allowAWS accepts
// AWS managed policies (account "aws").
func checkPolicyArn(value, partition, account string, allowAWS bool) string {
	want := fmt.Sprintf("arn:%s:iam::ACCOUNT:policy/[PATH/]NAME", partition)
	if msg := wildcardProblem(value); msg != "" {
		return msg
	}
	a, ok := splitARN(value)
	if !ok || a.Service != "iam" || a.Region != "" || !validPolicyResource(a.Resource) {
		return "is not an IAM managed policy ARN: want " + want
	}
	if a.Partition != partition {
		return fmt.Sprintf("is in partition %q but the stack is in partition %q: every ARN must be in the stack's partition", a.Partition, partition)
	}
	switch {
	case a.AccountID == "aws" && allowAWS:
	case validAccount(a.AccountID) && (account == "" || a.AccountID == account):
	default:
		return fmt.Sprintf("has account %q: want %s", a.AccountID, want)
	}
	return ""
}

// checkRoleArn checks an IAM role ARN: arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME, in the given account.
func checkRoleArn(value, partition, account string) string {
	want := fmt.Sprintf("arn:%s:iam::%s:role/[PATH/]NAME", partition, account)
	if msg := wildcardProblem(value); msg != "" {
		return msg
	}
	a, ok := splitARN(value)
	if !ok || a.Service != "iam" || a.Region != "" {
		return "is not an IAM role ARN: want " + want
	}
	rest, isRole := strings.CutPrefix(a.Resource, "role/")
	segments := strings.Split(rest, "/")
	if !isRole || len(segments[len(segments)-1]) > contract.MaxRoleNameLength ||
		slices.ContainsFunc(segments, func(seg string) bool {
			return seg == "" || strings.IndexFunc(seg, func(c rune) bool { return !contract.NameRune(c) }) >= 0
		}) {
		return "is not an IAM role ARN: want " + want + " (a role name of letters, digits and " + contract.RoleNameSymbols + ")"
	}
	if a.Partition != partition {
		return fmt.Sprintf("is in partition %q but the stack is in partition %q: every ARN must be in the stack's partition", a.Partition, partition)
	}
	if a.AccountID != account {
		return fmt.Sprintf("is a role of account %q: only roles of the role's own account %s may assume it (each gains sts:AssumeRole on it), and %s does not widen that: want %s", a.AccountID, account, contract.EnvAllowedResourceAccounts, want)
	}
	return ""
}
