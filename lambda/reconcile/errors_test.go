package reconcile

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

func TestClassify(t *testing.T) {
	msg := aws.String("m")
	tests := []struct {
		name string
		err  error
		want Kind
	}{
		{"nil", nil, KindUnknown},
		{"plain", errors.New("boom"), KindUnknown},
		{"no such entity", &types.NoSuchEntityException{Message: msg}, KindNotFound},
		{"wrapped no such entity", fmt.Errorf("get role: %w", &types.NoSuchEntityException{Message: msg}), KindNotFound},
		{"already exists", &types.EntityAlreadyExistsException{Message: msg}, KindAlreadyExists},
		{"delete conflict", &types.DeleteConflictException{Message: msg}, KindDeleteConflict},
		{"malformed", &types.MalformedPolicyDocumentException{Message: msg}, KindMalformedPolicy},
		{"limit", &types.LimitExceededException{Message: msg}, KindLimitExceeded},
		{"invalid input", &types.InvalidInputException{Message: msg}, KindInvalidInput},
		{"not attachable", &types.PolicyNotAttachableException{Message: msg}, KindInvalidInput},
		{"unmodifiable", &types.UnmodifiableEntityException{Message: msg}, KindUnmodifiable},
		{"concurrent", &types.ConcurrentModificationException{Message: msg}, KindConcurrentModification},
		{"service failure", &types.ServiceFailureException{Message: msg}, KindServiceFailure},
		{"access denied code", &smithy.GenericAPIError{Code: "AccessDenied", Message: "no"}, KindAccessDenied},
		{"throttling code", &smithy.GenericAPIError{Code: "Throttling"}, KindThrottled},
		{"unmodelled concurrent code", &smithy.GenericAPIError{Code: "ConcurrentModification"}, KindConcurrentModification},
		{"unknown code", &smithy.GenericAPIError{Code: "SomethingNew"}, KindUnknown},
		{"deadline", fmt.Errorf("call: %w", context.DeadlineExceeded), KindTimeout},
		{"canceled by smithy", &smithy.CanceledError{Err: context.Canceled}, KindTimeout},
		{"message is not a code", errors.New("NoSuchEntity: role x"), KindUnknown},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := classify(tc.err); got != tc.want {
				t.Errorf("classify(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}

func TestErrorReadsAsReason(t *testing.T) {
	// An IAM error as the SDK returns it: operation error wrapping a response error wrapping the typed error.
	sdkErr := &smithy.OperationError{
		ServiceID: "IAM", OperationName: "PutRolePolicy",
		Err: &awshttp.ResponseError{
			ResponseError: &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: &http.Response{StatusCode: 400}},
				Err: &types.MalformedPolicyDocumentException{Message: aws.String("Policy document should not specify a principal.")}},
			RequestID: "req-1",
		},
	}
	tests := []struct {
		name   string
		err    error
		want   string
		kind   Kind
		unwrap error
	}{
		{
			name: "iam error",
			err:  iamError("PutRolePolicy", `put inline policy "S3" on role "r"`, "r", "S3", sdkErr),
			want: `put inline policy "S3" on role "r": IAM MalformedPolicyDocument: Policy document should not specify a principal. (request id req-1); ` +
				kindHints[KindMalformedPolicy],
			kind: KindMalformedPolicy,
		},
		{
			name: "access denied depends on the action",
			err:  iamError("AttachRolePolicy", "attach managed policy X to role \"r\"", "r", "X", &smithy.GenericAPIError{Code: "AccessDenied", Message: "not authorized"}),
			want: `attach managed policy X to role "r": IAM AccessDenied: not authorized; the provider may only attach managed policies on its ALLOWED_MANAGED_POLICY_ARNS list`,
			kind: KindAccessDenied,
		},
		{
			name: "missing managed policy",
			err:  iamError("AttachRolePolicy", "attach", "r", "X", &types.NoSuchEntityException{Message: aws.String("gone")}),
			want: "attach: IAM NoSuchEntity: gone; the managed policy does not exist",
			kind: KindNotFound,
		},
		{
			name: "reconciler's own refusal",
			err:  &Error{Kind: KindInvalidRequest, Op: "update role \"r\"", Err: errors.New("bad path")},
			want: `update role "r": bad path`,
			kind: KindInvalidRequest,
		},
		{
			name: "deadline",
			err:  iamError("GetRole", "read role \"r\"", "r", "", context.DeadlineExceeded),
			want: `read role "r": the call did not finish before the deadline (context deadline exceeded); the provider ran out of time`,
			kind: KindTimeout,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); !strings.HasPrefix(got, tc.want) {
				t.Errorf("Error() =\n%s\nwant prefix\n%s", got, tc.want)
			}
			if got := KindOf(tc.err); got != tc.kind {
				t.Errorf("KindOf = %v, want %v", got, tc.kind)
			}
		})
	}
	var malformed *types.MalformedPolicyDocumentException
	if !errors.As(tests[0].err, &malformed) {
		t.Error("the IAM error is not reachable through Unwrap")
	}
}

func TestKindString(t *testing.T) {
	for k := KindUnknown; k <= KindInvalidRequest; k++ {
		if s := k.String(); s == "" || (k != KindUnknown && s == "Unknown") {
			t.Errorf("Kind(%d).String() = %q", k, s)
		}
	}
	if s := Kind(99).String(); s != "Unknown" {
		t.Errorf("Kind(99).String() = %q, want Unknown", s)
	}
}
