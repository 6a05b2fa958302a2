package reconcile

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
)

// Update brings the existing role name, which must carry owner's tags, to the desired state in place, writing only
// what differs by meaning: an Update that changes nothing makes no write call. Replacement is the caller's
// decision: desired must keep the role's name and path. A role that no longer exists is created again under its
// name, with a new RoleId.
func (r *Reconciler) Update(ctx context.Context, name string, desired iamdoc.Role, owner Owner) (Result, error) {
	op := fmt.Sprintf("update role %q", name)
	if desired.RoleName != name {
		return Result{}, &Error{
			Kind: KindInvalidRequest, Op: op, Role: name,
			Err: fmt.Errorf("the desired role is named %q; a new name needs a new role", desired.RoleName),
		}
	}
	if err := checkDesired(op, desired); err != nil {
		return Result{}, err
	}
	if err := checkOwner(op, name, owner); err != nil {
		return Result{}, err
	}
	role, tags, err := r.loadOwned(ctx, op, name, owner)
	if k := KindOf(err); err != nil && (k == KindNotFound || k == KindAccessDenied) {
		// The declared role was deleted outside CloudFormation (IAM may answer AccessDenied rather than
		// NoSuchEntity for a missing role, since a path-fenced caller cannot see it; a role that exists outside
		// the fence makes CreateRole answer EntityAlreadyExists, refused as not owned). Recreating it under the same name is the only way
		// forward: failing would fail this Update and, the role still missing, the rollback Update after it.
		r.log().WarnContext(ctx, "role does not exist (deleted outside CloudFormation?); recreating it", "role", name)
		return r.Create(ctx, desired, owner)
	}
	if err != nil {
		return Result{}, err
	}
	return r.reconcileOwned(ctx, op, role, tags, desired, owner)
}

// reconcileOwned brings a role already known to be owner's to the desired state.
func (r *Reconciler) reconcileOwned(ctx context.Context, op string, role *types.Role, tags map[string]string, desired iamdoc.Role, owner Owner) (Result, error) {
	name := aws.ToString(role.RoleName)
	if have, want := aws.ToString(role.Path), pathOf(desired); have != want {
		return Result{}, &Error{
			Kind: KindInvalidRequest, Op: op, Role: name,
			Err:  fmt.Errorf("the role's path is %q but the desired path is %q; a new path needs a new role", have, want),
			Hint: "IAM cannot move a role and IAM role names are unique: change RoleName as well, or remove it to get a generated name",
		}
	}
	a, err := r.readActual(ctx, role, tags)
	if err != nil {
		return Result{}, err
	}
	c := diff(a, desired, owner)
	r.log().InfoContext(ctx, "reconciling role", "role", name, "writes", c.count())
	if err := r.apply(ctx, name, c); err != nil {
		return Result{}, err
	}
	return resultOf(role), nil
}
