package reconcile

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gtrole/groundtruth-execution-role/lambda/policy"
)

// Create makes the desired role, tagged as owner's, with its inline and managed policies, and waits until IAM
// shows it. If a role of that name exists and carries owner's tags (a re-delivered Create) it is brought to the
// desired state in place; any other existing role is left untouched and reported. If a step after CreateRole
// fails, everything this call created is removed before the error is returned.
func (r *Reconciler) Create(ctx context.Context, desired policy.Role, owner Owner) (Result, error) {
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
	in := &iam.CreateRoleInput{
		RoleName:                 aws.String(name),
		Path:                     aws.String(pathOf(desired)),
		AssumeRolePolicyDocument: aws.String(trust),
		Tags:                     sdkTags(tagList(desiredTags(desired, owner))),
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
		return Result{}, iamError("CreateRole", op, name, "", err)
	}
	if err := r.populate(ctx, name, inline, policy.NewStrings(desired.ManagedPolicyArns...)); err != nil {
		return Result{}, r.undoCreate(ctx, name, inline, desired.ManagedPolicyArns, err)
	}
	return resultOf(out.Role), nil
}

// tagList turns a tag map into a list sorted by key, so requests are the same for the same role.
func tagList(tags map[string]string) []policy.Tag {
	out := make([]policy.Tag, 0, len(tags))
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		out = append(out, policy.Tag{Key: k, Value: tags[k]})
	}
	return out
}

// populate gives a role this call just created its inline and managed policies, then waits until GetRole shows it.
// Calls IAM rejects with NoSuchEntity because the new role has not propagated yet are retried briefly.
func (r *Reconciler) populate(ctx context.Context, name string, inline []encodedPolicy, managed []string) error {
	for _, p := range inline {
		if err := r.settleRetry(ctx, "PutRolePolicy", name, func(ctx context.Context) error { return r.putInline(ctx, name, p) }); err != nil {
			return err
		}
	}
	for _, arn := range managed {
		if err := r.settleRetry(ctx, "AttachRolePolicy", name, func(ctx context.Context) error { return r.attach(ctx, name, arn) }); err != nil {
			return err
		}
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
// earlier delivery of the same Create and is reconciled in place; any other role is reported and left untouched.
func (r *Reconciler) adopt(ctx context.Context, op string, desired policy.Role, owner Owner, exists error) (Result, error) {
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
	if !owner.owns(tags) {
		return Result{}, notOwned(op, name, "already exists and is", tags)
	}
	r.log().InfoContext(ctx, "role exists and is owned by this resource; reconciling it in place",
		"role", name, "stack_id", owner.StackID, "logical_id", owner.LogicalID)
	return r.reconcileOwned(ctx, op, role, tags, desired, owner)
}

// undoCreate removes a role this call created, with everything on it, after cause made the Create fail. It runs on
// its own deadline even when ctx is done, and reports a failed cleanup together with cause.
func (r *Reconciler) undoCreate(ctx context.Context, name string, inline []encodedPolicy, managed []string, cause error) error {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.cleanupTimeout())
	defer cancel()
	r.log().WarnContext(ctx, "create failed; removing the role it created", "role", name, "error", cause.Error())
	names := make([]string, 0, len(inline))
	for _, p := range inline {
		names = append(names, p.name)
	}
	if err := r.teardown(cctx, name, teardownPlan{knownInline: names, knownManaged: policy.NewStrings(managed...)}); err != nil {
		r.log().ErrorContext(ctx, "cleanup after failed create failed", "role", name, "error", err.Error())
		return fmt.Errorf("%w; cleanup also failed, delete role %q by hand: %w", cause, name, err)
	}
	return cause
}
