package cfnengine

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gtrole/groundtruth-execution-role/test/harness"
)

// TestUpdateAfterRoleDeletedByHand: the stack's role is deleted outside CloudFormation, then an Update arrives. It
// recreates the role under its name instead of failing the Update and the rollback after it (UPDATE_ROLLBACK_FAILED).
func TestUpdateAfterRoleDeletedByHand(t *testing.T) {
	t.Parallel()
	e := stack(t, Config{})
	h := e.h
	ctx := t.Context()
	base := harness.With(harness.Props(t, "non-streaming"), "UseManagedPolicy", "true")
	created, err := e.Create(ctx, base)
	mustOK(t, err)
	if !created {
		t.Fatalf("create failed: %s", trace(e))
	}
	check(t, e, "create")
	name := aws.String(e.PhysicalID)
	att, err := h.IAM.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: name})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range att.AttachedPolicies {
		if _, err := h.IAM.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: name, PolicyArn: p.PolicyArn}); err != nil {
			t.Fatal(err)
		}
	}
	in, err := h.IAM.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: name})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range in.PolicyNames {
		if _, err := h.IAM.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: name, PolicyName: aws.String(p)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.IAM.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: name}); err != nil {
		t.Fatal(err)
	}
	e.RoleDeletedOutOfBand()
	_, err = e.Update(ctx, harness.With(base, "Description", "changed"), false)
	mustOK(t, err)
	for _, s := range e.Steps {
		t.Logf("%s", s)
	}
	v, err := e.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range v {
		t.Errorf("after the update: %s", msg)
	}
}
