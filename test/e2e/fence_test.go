package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/test/harness"
	"github.com/gtrole/groundtruth-execution-role/test/iamauthz"
)

const adminAccess = "arn:aws:iam::aws:policy/AdministratorAccess"

// attachByHand is drift: a person attaches AdministratorAccess and puts an inline policy on a provider-made role.
func attachByHand(t *testing.T, h *harness.Harness, role string) {
	t.Helper()
	if _, err := h.IAM.AttachRolePolicy(t.Context(), &iam.AttachRolePolicyInput{RoleName: aws.String(role), PolicyArn: aws.String(adminAccess)}); err != nil {
		t.Fatal(err)
	}
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
	if _, err := h.IAM.PutRolePolicy(t.Context(), &iam.PutRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String("ByHand"), PolicyDocument: aws.String(doc)}); err != nil {
		t.Fatal(err)
	}
}

// TestDriftIsRemovedUnderTheProviderPermissions: under the permissions provider.yaml grants, the next Update
// removes AdministratorAccess attached by hand, and so does the Delete.
func TestDriftIsRemovedUnderTheProviderPermissions(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	p := harness.With(harness.Props(t, "non-streaming"), "UseManagedPolicy", "true")
	name := mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: p})).PhysicalResourceID
	attachByHand(t, h, name)
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: name, Props: harness.With(p, "Description", "v2"), OldProps: p}))
	assertRole(t, h, desired(t, harness.With(p, "Description", "v2"), name))
	attachByHand(t, h, name)
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: name, Props: p}))
	if got := roleNames(t, h); len(got) != 0 {
		t.Errorf("roles left: %v", got)
	}
	if d := h.Authz.Denied(); len(d) != 0 {
		t.Errorf("calls denied: %+v", d)
	}
}

// TestOldFenceFailsTheDriftTest proves the authorization layer catches a fence that blocks the provider's own work:
// with the older statements (DetachRolePolicy only for allow-listed ARNs) the same Delete fails.
func TestOldFenceFailsTheDriftTest(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	current, err := harness.ProviderPolicy()
	if err != nil {
		t.Fatal(err)
	}
	var old []iamdoc.Statement
	for _, s := range current.Statements() {
		if s.Sid == "RemoveGrantsFromGroundTruthRoles" || s.Sid == "AttachAllowedManagedPolicies" {
			continue
		}
		old = append(old, s)
	}
	roles := "arn:aws:iam::123456789012:role/groundtruth/*"
	old = append(old,
		iamdoc.Statement{Sid: "AttachAllowedManagedPolicies", Effect: iamdoc.Allow,
			Action: iamdoc.Strings{"iam:AttachRolePolicy", "iam:DetachRolePolicy"}, Resource: iamdoc.Strings{roles},
			Condition: iamdoc.Condition{"ArnEquals": {"iam:PolicyARN": {"arn:aws:iam::aws:policy/AmazonSageMakerGroundTruthExecution"}}}},
		iamdoc.Statement{Sid: "DeleteInline", Effect: iamdoc.Allow, Action: iamdoc.Strings{"iam:DeleteRolePolicy"}, Resource: iamdoc.Strings{roles}},
	)
	oldFence, err := iamauthz.NewPolicy(iamdoc.Document{Statement: old})
	if err != nil {
		t.Fatal(err)
	}
	h.Authz.SetPolicy(&oldFence)

	p := harness.Props(t, "non-streaming")
	name := mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: p})).PhysicalResourceID
	attachByHand(t, h, name)
	mustFail(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: name, Props: p}), "AccessDenied")
	denied := h.Authz.Denied()
	if len(denied) == 0 || denied[0].Request.Action != "iam:DetachRolePolicy" || denied[0].Request.Context["iam:PolicyARN"] != adminAccess {
		t.Errorf("denied calls = %+v, want DetachRolePolicy of %s", denied, adminAccess)
	}
	if !slices.Contains(roleNames(t, h), name) {
		t.Errorf("the role is gone although its Delete failed")
	}
}
