package reconcile

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gtrole/groundtruth-execution-role/lambda/budget"
	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
)

// Create makes the desired role, tagged as owner's, with its inline and managed policies, and waits until IAM
// shows it. If a role of that name exists and carries owner's tags (a re-delivered Create) it is brought to the
// desired state in place; any other existing role is left untouched and reported. If a step fails, or CreateRole's
// answer is lost, the role this call created is removed before the error is returned, on the cleanup budget that
// outlives ctx (budget.Cleanup), unless another delivery of the same request adopted it meanwhile: that role is
// then brought to the desired state instead.
func (r *Reconciler) Create(ctx context.Context, desired iamdoc.Role, owner Owner) (Result, error) {
	name := desired.RoleName
	op := fmt.Sprintf("create role %q", name)
	if err := checkDesired(op, desired); err != nil {
		return Result{}, err
	}
	if err := checkOwner(op, name, owner); err != nil {
		return Result{}, err
	}
	trust, err := encodeDocument(fmt.Sprintf("encode trust policy of role %q", name), name, "", desired.AssumeRolePolicyDocument)
	if err != nil {
		return Result{}, err
	}
	inline, err := encodeInline(name, desired.Policies)
	if err != nil {
		return Result{}, err
	}
	slices.SortFunc(inline, func(a, b encodedPolicy) int { return strings.Compare(a.name, b.name) })
	token := newToken()
	tags := desiredTags(desired, owner)
	tags[contract.CreatingTagKey] = token
	in := &iam.CreateRoleInput{
		RoleName:                 aws.String(name),
		Path:                     aws.String(pathOf(desired)),
		AssumeRolePolicyDocument: aws.String(trust),
		Tags:                     sdkTags(tagList(tags)),
	}
	if desired.Description != "" {
		in.Description = aws.String(desired.Description)
	}
	if desired.MaxSessionDuration != 0 {
		in.MaxSessionDuration = aws.Int32(desired.MaxSessionDuration)
	}
	if desired.PermissionsBoundary != "" {
		in.PermissionsBoundary = aws.String(desired.PermissionsBoundary)
	}

	r.write(ctx, "CreateRole", name, "path", pathOf(desired))
	out, err := r.IAM.CreateRole(ctx, in)
	if isKind(err, KindAlreadyExists) {
		return r.adopt(ctx, op, desired, owner, err)
	}
	if err != nil {
		// The call may have reached IAM although its answer did not reach us (deadline, dropped connection):
		// the cleanup looks the role up by name and removes it only if it carries this call's token.
		cause := iamError("CreateRole", op, name, "", err)
		return r.undoCreate(ctx, op, desired, owner, token, inline, cause, outcomeUnknown(cause))
	}
	if err := r.populate(ctx, name, inline, iamdoc.NewStrings(desired.ManagedPolicyArns...)); err != nil {
		return r.undoCreate(ctx, op, desired, owner, token, inline, err, false)
	}
	if err := r.markCreated(ctx, name); err != nil {
		return r.undoCreate(ctx, op, desired, owner, token, inline, err, false)
	}
	return resultOf(out.Role), nil
}

// tagList turns a tag map into a list sorted by key, so requests are the same for the same role.
func tagList(tags map[string]string) []iamdoc.Tag {
	out := make([]iamdoc.Tag, 0, len(tags))
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		out = append(out, iamdoc.Tag{Key: k, Value: tags[k]})
	}
	return out
}

// populate gives a role this call just created its inline and managed policies, then waits until GetRole shows it.
// Calls IAM rejects with NoSuchEntity because the new role has not propagated yet are retried (onNewRole).
func (r *Reconciler) populate(ctx context.Context, name string, inline []encodedPolicy, managed []string) error {
	for _, p := range inline {
		if err := r.putInline(ctx, name, p, onNewRole); err != nil {
			return err
		}
	}
	for _, arn := range managed {
		if err := r.attach(ctx, name, arn, onNewRole); err != nil {
			return err
		}
	}
	// One read usually shows the role, since IAM has just accepted writes on it. It is made outside the waiter, whose
	// RoleWait bounds waiting for IAM to show the role, not the time a throttled read takes: that is bounded by ctx.
	_, err := r.IAM.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
	if err == nil {
		return nil
	}
	if !isKind(err, KindNotFound) {
		return iamError("GetRole", fmt.Sprintf("read new role %q", name), name, "", err)
	}
	waiter := iam.NewRoleExistsWaiter(r.IAM, func(o *iam.RoleExistsWaiterOptions) {
		o.MinDelay = r.settle() / 2
		o.MaxDelay = 5 * r.settle()
	})
	if err := waiter.Wait(ctx, &iam.GetRoleInput{RoleName: aws.String(name)}, r.roleWait()); err != nil {
		e := iamError("GetRole", fmt.Sprintf("wait for new role %q to become visible", name), name, "", err)
		var re *Error
		if errors.As(e, &re) && re.Kind == KindUnknown {
			re.Hint = fmt.Sprintf("IAM did not show the role within %s; retry the stack operation", r.roleWait())
		}
		return e
	}
	return nil
}

// adopt handles CreateRole's EntityAlreadyExists: a role carrying owner's tags is this resource's own role from an
// earlier or concurrent delivery of the same Create and is reconciled in place; any other role is reported and left
// untouched. While the role is still being created by another call, adopt first rewrites its creating token, so
// that call's cleanup sees the role is shared and does not delete the role this call reports.
func (r *Reconciler) adopt(ctx context.Context, op string, desired iamdoc.Role, owner Owner, exists error) (Result, error) {
	name := desired.RoleName
	role, err := r.getRole(ctx, name)
	if isKind(err, KindAccessDenied) {
		// The fence hides roles outside the provider's path prefix, so this one cannot be ours.
		return Result{}, &Error{
			Kind: KindNotOwned, Op: op, Role: name,
			Err:  fmt.Errorf("role %q already exists outside the provider's path prefix and is not owned by this stack (%s)", name, detail(exists)),
			Hint: "choose another RoleName or remove RoleName to get a generated one",
		}
	}
	if err != nil {
		return Result{}, err
	}
	tags, err := r.listTags(ctx, name)
	if err != nil {
		return Result{}, err
	}
	if why := owner.disowns(role, tags); why != "" {
		return Result{}, notOwned(op, name, "already exists and is", why)
	}
	r.log().InfoContext(ctx, "role exists and is owned by this resource; reconciling it in place",
		"role", name, "stack_id", owner.StackID, "logical_id", owner.LogicalID)
	_, unfinished := tags[contract.CreatingTagKey]
	if unfinished {
		if err := r.markCreating(ctx, name, newToken()); err != nil {
			return Result{}, err
		}
	}
	res, err := r.reconcileOwned(ctx, op, role, tags, desired, owner)
	if err != nil || !unfinished {
		return res, err
	}
	return res, r.markCreated(ctx, name)
}

// undoCreate runs after cause made a Create fail. It removes the role this call created, with everything on it,
// unless the role is gone, is not owner's, or no longer carries token because another delivery of the same request
// adopted it: then the shared role is brought to the desired state instead and, if that works, the Create
// succeeds. When CreateRole's own outcome is unknown (landing true), a missing role is looked for again for a while,
// since the call may still land in IAM. It runs on the cleanup budget even when ctx is done, and reports a failed
// cleanup together with cause.
func (r *Reconciler) undoCreate(ctx context.Context, op string, desired iamdoc.Role, owner Owner, token string, inline []encodedPolicy, cause error, landing bool) (Result, error) {
	cctx, cancel := budget.Cleanup(ctx, r.cleanupTimeout())
	defer cancel()
	name := desired.RoleName
	role, err := r.getRole(cctx, name)
	if landing && isKind(err, KindNotFound) {
		role, err = r.awaitLanding(cctx, name)
	}
	if isKind(err, KindNotFound) || isKind(err, KindAccessDenied) {
		return Result{}, cause // CreateRole did not make it, or made nothing this provider may see
	}
	var owned, mine bool
	if err == nil {
		owned, mine, err = r.holdsToken(cctx, name, owner, token)
	}
	switch {
	case err != nil:
		r.log().ErrorContext(ctx, "cleanup after failed create could not read the role", "role", name, "error", err.Error())
		return Result{}, fmt.Errorf("%w; cleanup could not read role %q, delete it by hand if it exists: %w", cause, name, err)
	case !owned:
		return Result{}, cause
	case !mine:
		return r.converge(cctx, op, role, desired, owner, cause)
	}
	r.log().WarnContext(ctx, "create failed; removing the role it created", "role", name, "error", cause.Error())
	names := make([]string, 0, len(inline))
	for _, p := range inline {
		names = append(names, p.name)
	}
	err = r.teardown(cctx, name, teardownPlan{
		knownInline: names, knownManaged: iamdoc.NewStrings(desired.ManagedPolicyArns...),
		token: token, owner: owner,
	})
	if errors.Is(err, errAdopted) {
		return r.converge(cctx, op, role, desired, owner, cause)
	}
	if err != nil {
		r.log().ErrorContext(ctx, "cleanup after failed create failed", "role", name, "error", err.Error())
		return Result{}, fmt.Errorf("%w; cleanup also failed, delete role %q by hand: %w", cause, name, err)
	}
	return Result{}, cause
}

// outcomeUnknown reports whether a failed call may still have taken effect: its answer was lost to the deadline,
// the network or an IAM failure, rather than IAM refusing it.
func outcomeUnknown(err error) bool {
	switch KindOf(err) {
	case KindTimeout, KindServiceFailure, KindUnknown:
		return true
	}
	return false
}

// awaitLanding looks for a role whose CreateRole may still be on its way to IAM, for LandingWait but at most half of
// what remains of ctx, leaving the rest for removing it; it returns GetRole's last answer.
func (r *Reconciler) awaitLanding(ctx context.Context, name string) (*types.Role, error) {
	until := time.Now().Add(r.landingWait())
	if deadline, ok := ctx.Deadline(); ok {
		until = minTime(until, time.Now().Add(time.Until(deadline)/2))
	}
	r.log().InfoContext(ctx, "CreateRole's outcome is unknown; watching for the role to appear before answering", "role", name,
		"for", time.Until(until).Round(time.Millisecond).String())
	for {
		pause := min(r.settle(), time.Until(until))
		if pause <= 0 {
			return r.getRole(ctx, name)
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return r.getRole(ctx, name)
		case <-t.C:
		}
		role, err := r.getRole(ctx, name)
		if !isKind(err, KindNotFound) {
			return role, err
		}
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// converge brings a role another delivery of the same request adopted to the desired state, so both deliveries
// answer alike, instead of deleting the role the other one reports.
func (r *Reconciler) converge(ctx context.Context, op string, role *types.Role, desired iamdoc.Role, owner Owner, cause error) (Result, error) {
	name := desired.RoleName
	r.log().InfoContext(ctx, "create failed but another delivery of the same request adopted the role; converging instead of removing it",
		"role", name, "error", cause.Error())
	tags, err := r.listTags(ctx, name)
	if err != nil {
		return Result{}, fmt.Errorf("%w; the role is shared with another delivery of this request and could not be read again: %w", cause, err)
	}
	res, err := r.reconcileOwned(ctx, op, role, tags, desired, owner)
	if err != nil {
		return Result{}, fmt.Errorf("%w; the role is shared with another delivery of this request and could not be converged: %w", cause, err)
	}
	return res, nil
}
