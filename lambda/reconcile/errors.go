package reconcile

import (
	"context"
	"errors"
	"strconv"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// Kind says what went wrong, in terms a caller can act on.
type Kind int

// The kinds of failure the reconciler reports.
const (
	KindUnknown                Kind = iota // anything not listed below
	KindNotFound                           // IAM NoSuchEntity: the role or policy does not exist
	KindAlreadyExists                      // IAM EntityAlreadyExists
	KindNotOwned                           // the role exists but does not carry this owner's tags
	KindDeleteConflict                     // IAM DeleteConflict: the role is still in use
	KindMalformedPolicy                    // IAM MalformedPolicyDocument
	KindLimitExceeded                      // IAM LimitExceeded: a quota was reached
	KindInvalidInput                       // IAM InvalidInput or PolicyNotAttachable
	KindUnmodifiable                       // IAM UnmodifiableEntity: a protected or service-linked role
	KindConcurrentModification             // IAM ConcurrentModification
	KindAccessDenied                       // the provider's execution role is not allowed the call
	KindThrottled                          // IAM throttled beyond the SDK's retries
	KindServiceFailure                     // IAM ServiceFailure (HTTP 500) beyond the SDK's retries
	KindTimeout                            // the context ended before IAM answered
	KindInvalidRequest                     // the request to the reconciler itself is inconsistent
)

var kindNames = [...]string{
	KindUnknown:                "Unknown",
	KindNotFound:               "NotFound",
	KindAlreadyExists:          "AlreadyExists",
	KindNotOwned:               "NotOwned",
	KindDeleteConflict:         "DeleteConflict",
	KindMalformedPolicy:        "MalformedPolicy",
	KindLimitExceeded:          "LimitExceeded",
	KindInvalidInput:           "InvalidInput",
	KindUnmodifiable:           "Unmodifiable",
	KindConcurrentModification: "ConcurrentModification",
	KindAccessDenied:           "AccessDenied",
	KindThrottled:              "Throttled",
	KindServiceFailure:         "ServiceFailure",
	KindTimeout:                "Timeout",
	KindInvalidRequest:         "InvalidRequest",
}

// String returns the kind's name.
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "Unknown"
	}
	return kindNames[k]
}

// Error is a failed reconciler step; its message is written to be read as a CloudFormation Reason.
type Error struct {
	Kind   Kind   // what went wrong
	Op     string // the step, naming the role and policy, e.g. `put inline policy "S3" on role "r"`
	Role   string // the role's name
	Policy string // the inline policy name or managed policy ARN, empty when the step is not about one
	Hint   string // what to do about it, empty when there is nothing useful to say
	Err    error  // the underlying error, nil when the reconciler itself refused
}

// Error returns "op: IAM's code and message; what to do".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if d := detail(e.Err); d != "" {
		b.WriteString(": ")
		b.WriteString(d)
	}
	if e.Hint != "" {
		b.WriteString("; ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of the first *Error in err's chain, or the classification of err itself.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return classify(err)
}

// classify maps an error returned by an IAM call to a Kind; it is the only place that inspects IAM errors. It reads
// the error code once: every typed IAM exception (NoSuchEntityException and the rest) reports its code through
// smithy.APIError, and so do the codes an operation's model leaves out (AccessDenied, Throttling, and
// ConcurrentModification on DetachRolePolicy).
func classify(err error) Kind {
	if err == nil {
		return KindUnknown
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		if k, ok := codeKinds[apiErr.ErrorCode()]; ok {
			return k
		}
	}
	var canceled *smithy.CanceledError
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || errors.As(err, &canceled) {
		return KindTimeout
	}
	return KindUnknown
}

// codeKinds classifies IAM's error codes.
var codeKinds = map[string]Kind{
	"NoSuchEntity":             KindNotFound,
	"EntityAlreadyExists":      KindAlreadyExists,
	"DeleteConflict":           KindDeleteConflict,
	"MalformedPolicyDocument":  KindMalformedPolicy,
	"LimitExceeded":            KindLimitExceeded,
	"InvalidInput":             KindInvalidInput,
	"PolicyNotAttachable":      KindInvalidInput,
	"UnmodifiableEntity":       KindUnmodifiable,
	"ConcurrentModification":   KindConcurrentModification,
	"AccessDenied":             KindAccessDenied,
	"AccessDeniedException":    KindAccessDenied,
	"Throttling":               KindThrottled,
	"ThrottlingException":      KindThrottled,
	"RequestLimitExceeded":     KindThrottled,
	"TooManyRequestsException": KindThrottled,
	"ServiceFailure":           KindServiceFailure,
	"InternalFailure":          KindServiceFailure,
	"ServiceUnavailable":       KindServiceFailure,
}

// isKind reports whether err, as returned by an IAM call, is of kind k.
func isKind(err error, k Kind) bool { return err != nil && classify(err) == k }

// failedUnlessGone reports whether err is a failure other than NoSuchEntity: for reads and removals, what is
// already gone is fine.
func failedUnlessGone(err error) bool { return err != nil && !isKind(err, KindNotFound) }

// detail renders an underlying error briefly: IAM's code, message and request id rather than the SDK's long chain.
func detail(err error) string {
	if err == nil {
		return ""
	}
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		if classify(err) == KindTimeout {
			return "the call did not finish before the deadline (" + err.Error() + ")"
		}
		return err.Error()
	}
	var b strings.Builder
	b.WriteString("IAM ")
	b.WriteString(apiErr.ErrorCode())
	if msg := apiErr.ErrorMessage(); msg != "" {
		b.WriteString(": ")
		b.WriteString(strings.TrimSpace(msg))
	}
	var resp *awshttp.ResponseError
	if errors.As(err, &resp) && resp.ServiceRequestID() != "" {
		b.WriteString(" (request id ")
		b.WriteString(resp.ServiceRequestID())
		b.WriteString(")")
	}
	return b.String()
}

// kindHints say what to do about each kind of failure, unless hintFor knows better for the action.
var kindHints = map[Kind]string{
	KindNotFound:               "the role or policy does not exist; if it was deleted outside CloudFormation, change RoleName (or remove it) so CloudFormation creates a new role",
	KindAlreadyExists:          "choose another RoleName or remove RoleName to get a generated one",
	KindDeleteConflict:         "the role is still in use by something this stack does not manage (an instance profile outside the provider's path, or another attachment); remove that use and retry",
	KindMalformedPolicy:        "IAM rejected the policy document; check the ARNs, bucket names and keys given in the properties",
	KindLimitExceeded:          "an IAM quota was reached (inline policies share " + strconv.Itoa(contract.MaxInlinePolicySize) + " characters per role, managed policies per role, roles or tags per account); list fewer resources, use prefixes or wildcards, or request a quota increase",
	KindInvalidInput:           "IAM rejected a value; check RoleName, Path, Description, MaxSessionDuration (" + strconv.Itoa(contract.MinSessionSeconds) + "-" + strconv.Itoa(contract.MaxSessionSeconds) + "), PermissionsBoundary, ManagedPolicyArns and Tags",
	KindUnmodifiable:           "the role is protected (for example service-linked) and cannot be changed by this stack; use another RoleName",
	KindConcurrentModification: "another change to this role was in progress; retry the stack operation",
	KindThrottled:              "IAM throttled the provider beyond its retries; retry the stack operation later",
	KindServiceFailure:         "IAM failed internally; retry the stack operation",
	KindTimeout:                "the provider ran out of time; retry the stack operation",
}

// hintFor says what to do about a failure of kind k of an IAM action. AccessDenied and NoSuchEntity depend on the
// action: the provider is fenced to its path prefix, managed policy allow-list and required permissions boundary,
// and a missing entity may be the role or a policy it refers to.
func hintFor(action string, k Kind) string {
	switch {
	case k == KindAccessDenied && action == "AttachRolePolicy":
		return "the provider may only attach managed policies on its ALLOWED_MANAGED_POLICY_ARNS list; use an allowed ARN or ask the provider's owner to allow it"
	case k == KindAccessDenied && (action == "CreateRole" || action == "PutRolePermissionsBoundary" || action == "DeleteRolePermissionsBoundary"):
		return "the provider may only manage roles under its ROLE_PATH_PREFIX, and when it requires a permissions boundary every role must use exactly REQUIRED_PERMISSIONS_BOUNDARY; check Path and PermissionsBoundary"
	case k == KindAccessDenied && action == "RemoveRoleFromInstanceProfile":
		return "the provider may only remove roles from instance profiles under its ROLE_PATH_PREFIX; remove the role from that instance profile by hand and retry"
	case k == KindAccessDenied && (action == "ListRoles" || action == "GetAccountAuthorizationDetails"):
		return "the drift audit reads every role under the path prefix in bulk and needs iam:ListRoles and iam:GetAccountAuthorizationDetails on \"*\"; the provider template grants both while DriftAuditSchedule is set"
	case k == KindAccessDenied:
		return "the provider may only manage roles under its ROLE_PATH_PREFIX; check Path, or whether the role belongs to someone else"
	case k == KindNotFound && action == "AttachRolePolicy":
		return "the managed policy does not exist or cannot be attached; check ManagedPolicyArns and the partition of the ARN"
	case k == KindNotFound && (action == "CreateRole" || action == "PutRolePermissionsBoundary"):
		return "the permissions boundary policy does not exist; check PermissionsBoundary"
	}
	return kindHints[k]
}

// iamError wraps err from the IAM action on role (and policy, if any) with its kind and advice.
func iamError(action, op, role, policy string, err error) error {
	k := classify(err)
	return &Error{Kind: k, Op: op, Role: role, Policy: policy, Hint: hintFor(action, k), Err: err}
}
