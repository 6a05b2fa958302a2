package reconcile

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// Delete removes the role name if it carries owner's tags: it takes the role out of its instance profiles, detaches
// its managed policies, deletes its inline policies and then the role. Deleting is idempotent: a missing role, a
// name that cannot be a role, a role another owner created, or one the provider may not read (outside its path
// prefix) is left alone and reported as success.
func (r *Reconciler) Delete(ctx context.Context, name string, owner Owner) error {
	log := r.log().With("role", name)
	if !ValidRoleName(name) {
		log.InfoContext(ctx, "not a role name; nothing to delete")
		return nil
	}
	op := fmt.Sprintf("delete role %q", name)
	if err := checkOwner(op, name, owner); err != nil {
		return err
	}
	role, err := r.getRole(ctx, name)
	switch {
	case isKind(err, KindNotFound):
		log.InfoContext(ctx, "role does not exist; nothing to delete")
		return nil
	case isKind(err, KindAccessDenied):
		log.InfoContext(ctx, "role cannot be read by the provider (outside its path prefix); not ours, leaving it", "error", err.Error())
		return nil
	case err != nil:
		return err
	}
	tags, err := r.listTags(ctx, name)
	if isKind(err, KindNotFound) {
		log.InfoContext(ctx, "role disappeared while being read; nothing to delete")
		return nil
	}
	if err != nil {
		return err
	}
	if why := owner.disowns(role, tags); why != "" {
		log.InfoContext(ctx, "role is not owned by this resource; leaving it", "owner", why,
			"stack_id", owner.StackID, "logical_id", owner.LogicalID)
		return nil
	}
	return r.teardown(ctx, name, teardownPlan{instanceProfiles: true})
}

// teardownPlan says what teardown removes besides the role itself.
type teardownPlan struct {
	instanceProfiles bool     // also take the role out of its instance profiles
	knownInline      []string // inline policies to delete if they cannot be listed
	knownManaged     []string // managed policies to detach if they cannot be listed
	token            string   // when set, the role is deleted only if it still carries this creating token
	owner            Owner    // the owner whose tags carry token
}

// teardown removes everything that keeps IAM from deleting the role, then the role. Anything already gone is fine.
func (r *Reconciler) teardown(ctx context.Context, name string, plan teardownPlan) error {
	if plan.instanceProfiles {
		profiles, err := r.listInstanceProfiles(ctx, name)
		if failedUnlessGone(err) {
			return err
		}
		for _, p := range profiles {
			r.write(ctx, "RemoveRoleFromInstanceProfile", name, "instance_profile", p)
			_, err := r.IAM.RemoveRoleFromInstanceProfile(ctx, &iam.RemoveRoleFromInstanceProfileInput{
				RoleName: aws.String(name), InstanceProfileName: aws.String(p),
			})
			if failedUnlessGone(err) {
				return iamError("RemoveRoleFromInstanceProfile", fmt.Sprintf("remove role %q from instance profile %q", name, p), name, "", err)
			}
		}
	}

	managed, err := r.listManaged(ctx, name)
	if failedUnlessGone(err) {
		if plan.knownManaged == nil {
			return err
		}
		r.log().WarnContext(ctx, "cannot list managed policies; detaching the known ones", "role", name, "error", err.Error())
		managed = plan.knownManaged
	}
	for _, arn := range managed {
		if err := r.detach(ctx, name, arn); err != nil {
			return err
		}
	}

	inline, err := r.listInlineNames(ctx, name)
	if failedUnlessGone(err) {
		if plan.knownInline == nil {
			return err
		}
		r.log().WarnContext(ctx, "cannot list inline policies; deleting the known ones", "role", name, "error", err.Error())
		inline = plan.knownInline
	}
	for _, n := range inline {
		if err := r.deleteInline(ctx, name, n); err != nil {
			return err
		}
	}

	if plan.token != "" {
		// Last look before the irreversible step: another delivery may have adopted the role meanwhile.
		if _, mine, err := r.holdsToken(ctx, name, plan.owner, plan.token); failedUnlessGone(err) {
			return err
		} else if err == nil && !mine {
			return errAdopted
		}
	}
	r.write(ctx, "DeleteRole", name)
	_, err = r.IAM.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String(name)})
	if failedUnlessGone(err) {
		return iamError("DeleteRole", fmt.Sprintf("delete role %q", name), name, "", err)
	}
	return nil
}
