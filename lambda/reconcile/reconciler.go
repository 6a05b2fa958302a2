// Package reconcile brings the role IAM holds to a desired iamdoc.Role with only the IAM calls needed: it creates
// roles tagged with their owner, updates them in place by comparing policies by meaning, deletes only roles its owner
// created, and removes a half-created role when a create fails. It knows nothing of CloudFormation properties.
package reconcile

import (
	"context"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// Defaults for the Reconciler's bounds.
const (
	// DefaultRoleWait bounds waiting for a new role to become visible to GetRole.
	DefaultRoleWait = 60 * time.Second
	// DefaultCleanupTimeout bounds removing a half-created role after a failed Create.
	DefaultCleanupTimeout = 60 * time.Second
	// DefaultLandingWait bounds watching for a role whose CreateRole's answer was lost, in case the call still lands.
	DefaultLandingWait = 10 * time.Second
	// DefaultSettle paces polling IAM for a new role: the role-exists waiter and the watch for a role whose
	// CreateRole's answer was lost.
	DefaultSettle = 2 * time.Second
)

// Reconciler brings IAM roles to their desired state. The zero value of every field but IAM is usable.
type Reconciler struct {
	IAM    IAM          // the IAM client; its retryer handles throttling
	Logger *slog.Logger // where every IAM write is logged; nil discards

	RoleWait       time.Duration // bound on waiting for a new role to be visible; zero means DefaultRoleWait
	CleanupTimeout time.Duration // bound on undoing a failed Create when ctx records no budget; zero means DefaultCleanupTimeout
	LandingWait    time.Duration // bound on watching for a CreateRole that may still land; zero means DefaultLandingWait
	Settle         time.Duration // pace of polling IAM for a new role; zero means DefaultSettle
}

// Result identifies the role IAM holds after a Create or Update; its fields are the Fn::GetAtt attributes.
type Result struct {
	Arn      string
	RoleID   string
	RoleName string
	Path     string
}

func resultOf(r *types.Role) Result {
	return Result{
		Arn:      aws.ToString(r.Arn),
		RoleID:   aws.ToString(r.RoleId),
		RoleName: aws.ToString(r.RoleName),
		Path:     aws.ToString(r.Path),
	}
}

func (r *Reconciler) log() *slog.Logger {
	if r.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Logger
}

func (r *Reconciler) roleWait() time.Duration { return orDefault(r.RoleWait, DefaultRoleWait) }

func (r *Reconciler) cleanupTimeout() time.Duration {
	return orDefault(r.CleanupTimeout, DefaultCleanupTimeout)
}

func (r *Reconciler) landingWait() time.Duration { return orDefault(r.LandingWait, DefaultLandingWait) }

func (r *Reconciler) settle() time.Duration { return orDefault(r.Settle, DefaultSettle) }

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// write logs an IAM write call before making it, so the log shows every change the reconciler attempted.
func (r *Reconciler) write(ctx context.Context, action, role string, attrs ...any) {
	r.log().InfoContext(ctx, "iam write", append([]any{"action", action, "role", role}, attrs...)...)
}

// newRoleRetries bounds the retries of NoSuchEntity on a new role: the client's retryer may retry throttling for as
// long as the request lasts, but a role that stays missing was deleted, and waiting for it would only spend the budget.
const newRoleRetries = 5

// onNewRole is the per-call option for calls on a role this Reconciler has just created: the client's retryer also
// retries IAM's NoSuchEntity, up to newRoleRetries times, which IAM may answer until the new role has propagated (IAM
// is eventually consistent:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency).
// The retryer's backoff applies, as for throttling. Per-call options make a new retryer for each call, so the count
// is the call's own.
func onNewRole(o *iam.Options) {
	// AddWithMaxAttempts keeps the retryer's own bound and gives its RetryerV2 (the SDK's wrappers all are one).
	if v2, ok := retry.AddWithMaxAttempts(o.Retryer, o.Retryer.MaxAttempts()).(aws.RetryerV2); ok {
		o.Retryer = &untilPropagated{RetryerV2: v2, left: newRoleRetries}
		return
	}
	o.Retryer = retry.AddWithMaxAttempts(retry.AddWithErrorCodes(o.Retryer, "NoSuchEntity"), newRoleRetries+1)
}

// untilPropagated also retries NoSuchEntity, a bounded number of times.
type untilPropagated struct {
	aws.RetryerV2
	left int
}

func (u *untilPropagated) IsErrorRetryable(err error) bool {
	if u.RetryerV2.IsErrorRetryable(err) {
		return true
	}
	if classify(err) == KindNotFound && u.left > 0 {
		u.left--
		return true
	}
	return false
}
