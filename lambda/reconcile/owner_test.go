package reconcile

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// TestForgedOwnerTagsDoNotMakeARoleOurs (finding 5): a hand-made role that trusts the account root carries this
// resource's two ownership tags, as anyone allowed iam:TagRole can make it. A Create adopting it is refused, an
// Update of it is refused and a Delete leaves it; none writes to it. Only when CloudFormation's record of the
// resource names the role (Owner.Named) is it the resource's whatever its trust.
func TestForgedOwnerTagsDoNotMakeARoleOurs(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	const name = "gt-forged"
	rootTrust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account + `:root"},"Action":"sts:AssumeRole"}]}`
	if _, err := e.direct.CreateRole(ctx, &iam.CreateRoleInput{
		RoleName: aws.String(name), Path: aws.String("/groundtruth/"), AssumeRolePolicyDocument: aws.String(rootTrust),
		Tags: []types.Tag{{Key: aws.String(contract.StackIDTagKey), Value: aws.String(owner.StackID)}, {Key: aws.String(contract.LogicalIDTagKey), Value: aws.String(owner.LogicalID)}},
	}); err != nil {
		t.Fatal(err)
	}
	e.proxy.Reset()
	const why = "trust policy is not the provider's SageMaker trust"
	if _, err := e.rec.Create(ctx, fullRole(name), owner); KindOf(err) != KindNotOwned || !contains(err, why) {
		t.Errorf("Create adopting the forged role: %v, want NotOwned naming the trust", err)
	}
	if _, err := e.rec.Update(ctx, name, fullRole(name), owner); KindOf(err) != KindNotOwned || !contains(err, why) {
		t.Errorf("Update of the forged role: %v, want NotOwned naming the trust", err)
	}
	if err := e.rec.Delete(ctx, name, owner); err != nil {
		t.Errorf("Delete of the forged role: %v, want success leaving it", err)
	}
	if ex, err := e.rec.Inspect(ctx, name, owner); err != nil || !ex.Exists || ex.Owned {
		t.Errorf("Inspect = %+v, %v; want an existing role that is not owned", ex, err)
	}
	if w := e.writes(); len(w) != 1 || w[0] != "CreateRole" {
		t.Errorf("writes = %v, want only the refused CreateRole", w)
	}
	if _, err := e.direct.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)}); err != nil {
		t.Errorf("the forged role is gone: %v", err)
	}
	named := owner
	named.Named = name
	if err := e.rec.Delete(ctx, name, named); err != nil {
		t.Fatal(err)
	}
	if _, err := e.direct.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)}); err == nil {
		t.Error("the role the stack names and whose tags name it was not deleted")
	}
}

func contains(err error, s string) bool {
	return err != nil && strings.Contains(err.Error(), s)
}

// TestProviderTrustByMeaning: the trusts the provider writes count as its own, with and without confused-deputy
// protection and post-annotation Lambda roles of the role's account; a trust naming anyone else does not.
func TestProviderTrustByMeaning(t *testing.T) {
	const arnOf = "arn:aws:iam::" + account + ":role/groundtruth/gt"
	sm := `{"Sid":"SageMakerAssumeRole","Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}`
	post := func(p string) string {
		return `{"Sid":"PostAnnotationLambdaAssumeRole","Effect":"Allow","Principal":{"AWS":"` + p + `"},"Action":"sts:AssumeRole"}`
	}
	doc := func(sts ...string) string {
		return `{"Version":"2012-10-17","Statement":[` + strings.Join(sts, ",") + `]}`
	}
	tests := []struct {
		name, trust string
		want        bool
	}{
		{"SageMaker", doc(sm), true},
		{"with a post-annotation role of the account", doc(sm, post("arn:aws:iam::"+account+":role/post")), true},
		{"post-annotation role of another account", doc(sm, post("arn:aws:iam::999988887777:role/post")), false},
		{"the account root", doc(sm, post("arn:aws:iam::"+account+":root")), false},
		{"a user of the account", doc(sm, post("arn:aws:iam::"+account+":user/u")), false},
		{"only the root", doc(post("arn:aws:iam::" + account + ":root")), false},
		{"not JSON", "{", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			role := &types.Role{Arn: aws.String(arnOf), AssumeRolePolicyDocument: aws.String(tt.trust)}
			if got := providerTrust(role); got != tt.want {
				t.Errorf("providerTrust = %v, want %v for %s", got, tt.want, tt.trust)
			}
		})
	}
}
