package e2e

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gtrole/groundtruth-execution-role/test/harness"
	"github.com/gtrole/groundtruth-execution-role/test/runtimeapi"
)

func TestBadPropertiesFailNamingTheProperty(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	bad := map[string]any{
		"InputBuckets":       []any{"Not_A_Bucket"},
		"OutputBucket":       []any{"typo-of-a-property"},
		"KmsKeyArns":         []any{"arn:aws:kms:us-east-1:123456789012:alias/labels"},
		"MaxSessionDuration": "90000",
	}
	r := mustFail(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: bad}),
		`InputBuckets[0]: "Not_A_Bucket" is not a valid S3 bucket name`,
		"OutputBucket: is not a property of Custom::GroundTruthExecutionRole",
		"KmsKeyArns[0]", "IAM authorises use of a key on its key ARN",
		"MaxSessionDuration", "3600 to 43200",
		"OutputBuckets: is required")
	if w := h.Proxy.WriteCalls(); len(w) != 0 {
		t.Errorf("invalid properties still reached IAM: %v", w)
	}
	// CloudFormation rolls the failed Create back with a Delete of the answered id.
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: r.PhysicalResourceID, Props: bad}))
	if got := roleNames(t, h); len(got) != 0 {
		t.Errorf("roles: %v", got)
	}
}

func TestForeignRoleIsNeverTouched(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	if _, err := h.IAM.CreateRole(t.Context(), &iam.CreateRoleInput{RoleName: aws.String("taken"), Path: aws.String("/groundtruth/"), AssumeRolePolicyDocument: aws.String(trust)}); err != nil {
		t.Fatal(err)
	}
	before, err := h.Describe(t.Context(), "taken")
	if err != nil {
		t.Fatal(err)
	}
	p := harness.With(harness.Props(t, "non-streaming"), "RoleName", "taken")
	r := mustFail(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: p}), "already exists", "not owned by this stack")
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: r.PhysicalResourceID, Props: p}))
	mustFail(t, send(t, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: "taken", Props: p, OldProps: p}), "not owned")
	after, err := h.Describe(t.Context(), "taken")
	if err != nil {
		t.Fatalf("the foreign role is gone: %v", err)
	}
	if after.RoleID != before.RoleID || after.AssumeRolePolicyDocument.String() != before.AssumeRolePolicyDocument.String() || len(after.Policies) != 0 || len(after.Tags) != 0 {
		t.Errorf("the foreign role changed: before %+v, after %+v", before, after)
	}
}

func TestDeleteOfMissingRoleSucceeds(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	for _, id := range []string{"never-created", "ExecutionRole-5f2a9c0d1e3b7a64c8d2"} {
		mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: id, Props: harness.Props(t, "non-streaming")}))
	}
}

func TestProviderSettingsFenceEveryRole(t *testing.T) {
	t.Parallel()
	const boundary = "arn:aws:iam::123456789012:policy/gt-boundary"
	h, rt := fresh(t, 30*time.Second,
		"ROLE_PATH_PREFIX=/teams/vision/",
		"REQUIRED_PERMISSIONS_BOUNDARY="+boundary,
		"ALLOWED_MANAGED_POLICY_ARNS=arn:aws:iam::aws:policy/AmazonSageMakerGroundTruthExecution",
	)
	admin := harness.With(harness.Props(t, "non-streaming"), "ManagedPolicyArns", []any{"arn:aws:iam::aws:policy/AdministratorAccess"})
	mustFail(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: admin}), "ManagedPolicyArns[0]", "allow-list")
	outside := harness.With(harness.Props(t, "non-streaming"), "Path", "/groundtruth/")
	mustFail(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: outside}), `outside the provider's role path prefix "/teams/vision/"`)
	other := harness.With(harness.Props(t, "non-streaming"), "PermissionsBoundary", "arn:aws:iam::123456789012:policy/other")
	mustFail(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: other}), "differs from the boundary this provider requires")
	if got := roleNames(t, h); len(got) != 0 {
		t.Fatalf("refused requests left roles %v", got)
	}

	r := mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: harness.With(harness.Props(t, "non-streaming"), "UseManagedPolicy", "true")}))
	role, err := h.Describe(t.Context(), r.PhysicalResourceID)
	if err != nil {
		t.Fatal(err)
	}
	if role.Path != "/teams/vision/" || role.PermissionsBoundary != boundary {
		t.Errorf("role path %q, boundary %q: want the provider's prefix and required boundary", role.Path, role.PermissionsBoundary)
	}
	if !slices.Equal(role.ManagedPolicyArns, []string{"arn:aws:iam::aws:policy/AmazonSageMakerGroundTruthExecution"}) {
		t.Errorf("managed policies %v", role.ManagedPolicyArns)
	}
}

func TestMisconfiguredProviderAnswersInsteadOfHanging(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second, "ROLE_PATH_PREFIX=/")
	for _, typ := range []cfn.RequestType{cfn.RequestCreate, cfn.RequestUpdate} {
		mustFail(t, send(t, h, rt, harness.Request{Type: typ, PhysicalID: "some-role", Props: harness.Props(t, "non-streaming"), OldProps: harness.Props(t, "non-streaming")}), "ROLE_PATH_PREFIX")
	}
}

// TestDeleteWorksWithInvalidSettings: with invalid settings Create and Update fail with the settings' reason; the
// Delete CloudFormation sends next must still work, or every stack ends ROLLBACK_FAILED or DELETE_FAILED.
func TestDeleteWorksWithInvalidSettings(t *testing.T) {
	t.Parallel()
	p := harness.With(harness.Props(t, "non-streaming"), "RoleName", "gt-made-before")
	h, good := fresh(t, 30*time.Second)
	mustSucceed(t, send(t, h, good, harness.Request{Type: cfn.RequestCreate, Props: p}))
	for _, env := range []string{"ROLE_PATH_PREFIX=/", "ALLOWED_MANAGED_POLICY_ARNS=arn:aws:iam::aws:policy/*"} {
		rt, err := h.Runtime(t.Context(), runtimeapi.Options{Timeout: 30 * time.Second}, env)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _, _ = rt.Stop() })
		mustFail(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: harness.With(p, "RoleName", "gt-new")}), strings.SplitN(env, "=", 2)[0])
		mustFail(t, send(t, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: "gt-made-before", Props: p, OldProps: p}), strings.SplitN(env, "=", 2)[0])
		mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: "gt-new", Props: harness.With(p, "RoleName", "gt-new")}))
	}
	rt, err := h.Runtime(t.Context(), runtimeapi.Options{Timeout: 30 * time.Second}, "ROLE_PATH_PREFIX=/")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = rt.Stop() })
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: "gt-made-before", Props: p}))
	if got := roleNames(t, h); len(got) != 0 {
		t.Errorf("roles after the Delete: %v", got)
	}
}
