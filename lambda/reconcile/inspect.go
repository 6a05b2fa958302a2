package reconcile

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// Existing is what IAM holds under a role name, as far as a lifecycle decision needs it.
type Existing struct {
	Exists     bool   // a role of that name exists and the provider may read it
	Owned      bool   // it is the owner's (Owner.disowns finds nothing)
	Path       string // its path
	Unfinished bool   // it carries a creating token: a Create made it and never completed
}

// Inspect reads the role name for a decision: a name that cannot be a role, a missing role and one the provider may
// not read (outside its path prefix) are all reported as not existing.
func (r *Reconciler) Inspect(ctx context.Context, name string, owner Owner) (Existing, error) {
	if !ValidRoleName(name) {
		return Existing{}, nil
	}
	role, err := r.getRole(ctx, name)
	if isKind(err, KindNotFound) || isKind(err, KindAccessDenied) {
		return Existing{}, nil
	}
	if err != nil {
		return Existing{}, err
	}
	tags, err := r.listTags(ctx, name)
	if isKind(err, KindNotFound) {
		return Existing{}, nil
	}
	if err != nil {
		return Existing{}, err
	}
	_, unfinished := tags[contract.CreatingTagKey]
	return Existing{Exists: true, Owned: owner.disowns(role, tags) == "", Path: aws.ToString(role.Path), Unfinished: unfinished}, nil
}

// RemoveUnfinished deletes the role name if it is owner's and its Create never completed: what a request that
// answered FAILED may have left behind, for instance a CreateRole that landed in IAM after the answer. It reports
// whether it deleted the role. A complete role is never touched.
func (r *Reconciler) RemoveUnfinished(ctx context.Context, name string, owner Owner) (bool, error) {
	if err := checkOwner(fmt.Sprintf("remove unfinished role %q", name), name, owner); err != nil {
		return false, err
	}
	ex, err := r.Inspect(ctx, name, owner)
	if err != nil || !ex.Exists || !ex.Owned || !ex.Unfinished {
		return false, err
	}
	r.log().WarnContext(ctx, "removing a role an earlier request of this resource began creating and never completed", "role", name)
	if err := r.teardown(ctx, name, teardownPlan{instanceProfiles: true}); err != nil {
		return false, err
	}
	return true, nil
}
