// Package reconcile brings the role IAM holds to a desired policy.Role with only the IAM calls needed: it creates
// roles tagged with their owner, updates them in place by comparing policies by meaning, deletes only roles its owner
// created, and removes a half-created role when a create fails. It knows nothing of CloudFormation properties.
package reconcile

import (
	"context"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// Defaults for the Reconciler's bounds.
const (
	// DefaultRoleWait bounds waiting for a new role to become visible to GetRole.
	DefaultRoleWait = 60 * time.Second
	// DefaultCleanupTimeout bounds removing a half-created role after a failed Create.
	DefaultCleanupTimeout = 60 * time.Second
	// DefaultLandingWait bounds watching for a role whose CreateRole's answer was lost, in case the call still lands.
	DefaultLandingWait = 10 * time.Second
	// DefaultSettle is the first pause before retrying a call IAM rejects because a new role has not propagated.
	DefaultSettle = 2 * time.Second
	// settleAttempts is how many times a call on a just-created role is tried; pauses grow linearly.
	settleAttempts = 4
	// defaultMaxSessionDuration is the MaxSessionDuration IAM gives a role created without one.
	defaultMaxSessionDuration = contract.DefaultSessionSeconds
)

// Reconciler brings IAM roles to their desired state. The zero value of every field but IAM is usable.
type Reconciler struct {
	IAM    IAM          // the IAM client; its retryer handles throttling
	Logger *slog.Logger // where every IAM write is logged; nil discards

	RoleWait       time.Duration // bound on waiting for a new role to be visible; zero means DefaultRoleWait
	CleanupTimeout time.Duration // bound on undoing a failed Create when ctx records no budget; zero means DefaultCleanupTimeout
	LandingWait    time.Duration // bound on watching for a CreateRole that may still land; zero means DefaultLandingWait
	Settle         time.Duration // first pause of the eventual-consistency retries; zero means DefaultSettle
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

// settleRetry runs call on a role this Reconciler has just created, retrying a bounded number of times while IAM
// answers NoSuchEntity because the new role has not propagated yet.
func (r *Reconciler) settleRetry(ctx context.Context, action, role string, call func(context.Context) error) error {
	for attempt := 1; ; attempt++ {
		err := call(ctx)
		if err == nil || !isKind(err, KindNotFound) || attempt == settleAttempts {
			return err
		}
		pause := r.settle() * time.Duration(attempt)
		r.log().InfoContext(ctx, "role not visible yet, retrying", "action", action, "role", role,
			"attempt", attempt, "pause", pause.String())
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}
