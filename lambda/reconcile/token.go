package reconcile

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// A role whose Create has not completed carries contract.CreatingTagKey, with a token unique to the call that wrote
// it. CreateRole writes it, a Create that completes removes it, and a delivery adopting the role rewrites it with
// its own token, so a failing Create deletes the role only while it still carries that Create's token: nobody
// else has reported it since.

// errAdopted stops a cleanup that found the role taken over by another delivery of the same request.
var errAdopted = errors.New("the role was adopted by another delivery of the same request")

// newToken returns a token no other call makes.
func newToken() string { return rand.Text() }

// markCreating writes token as the role's creating token.
func (r *Reconciler) markCreating(ctx context.Context, name, token string) error {
	r.write(ctx, "TagRole", name, "keys", []string{contract.CreatingTagKey})
	_, err := r.IAM.TagRole(ctx, &iam.TagRoleInput{
		RoleName: aws.String(name), Tags: []types.Tag{{Key: aws.String(contract.CreatingTagKey), Value: aws.String(token)}},
	})
	if err != nil {
		return iamError("TagRole", fmt.Sprintf("mark role %q as being created", name), name, "", err)
	}
	return nil
}

// markCreated removes the creating token: the role is complete.
func (r *Reconciler) markCreated(ctx context.Context, name string) error {
	r.write(ctx, "UntagRole", name, "keys", []string{contract.CreatingTagKey})
	_, err := r.IAM.UntagRole(ctx, &iam.UntagRoleInput{RoleName: aws.String(name), TagKeys: []string{contract.CreatingTagKey}})
	if err != nil {
		return iamError("UntagRole", fmt.Sprintf("mark role %q as created", name), name, "", err)
	}
	return nil
}

// holdsToken reads the role's tags and reports whether it is owner's and still carries token.
func (r *Reconciler) holdsToken(ctx context.Context, name string, owner Owner, token string) (owned, mine bool, err error) {
	tags, err := r.listTags(ctx, name)
	if err != nil {
		return false, false, err
	}
	return owner.owns(tags), owner.owns(tags) && tags[contract.CreatingTagKey] == token, nil
}
