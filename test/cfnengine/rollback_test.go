package cfnengine

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
	"github.com/gtrole/groundtruth-execution-role/test/harness"
)

// takenName is a role under the provider's prefix that this stack does not own.
const takenName = "gt-taken-by-someone"

// takeName makes takenName by hand, as another team would.
func takeName(t *testing.T, h *harness.Harness) {
	t.Helper()
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	if _, err := h.IAM.CreateRole(t.Context(), &iam.CreateRoleInput{RoleName: aws.String(takenName), Path: aws.String("/groundtruth/"), AssumeRolePolicyDocument: aws.String(trust)}); err != nil {
		t.Fatal(err)
	}
}

// failedUpdate is an Update that fails, followed by CloudFormation's rollback.
type failedUpdate struct {
	name    string
	from    map[string]any
	to      map[string]any
	taken   bool                   // takenName exists before the stack
	fault   func(*harness.Harness) // armed before the Update
	because []string               // what the failed Update's reason says
}

// playFailedUpdate creates the stack, plays the failing Update and its rollback, checks that the rollback answered
// the pre-update role (same physical id, same RoleId) and deletes the stack.
func playFailedUpdate(t *testing.T, tc failedUpdate) {
	t.Helper()
	e := stack(t, Config{})
	if tc.taken {
		takeName(t, e.h)
		e.foreign = append(e.foreign, takenName)
	}
	ctx := t.Context()
	created, err := e.Create(ctx, tc.from)
	mustOK(t, err)
	if !created {
		t.Fatalf("create failed: %s", trace(e))
	}
	check(t, e, "create")
	before := e.PhysicalID
	if tc.fault != nil {
		tc.fault(e.h)
	}
	first := len(e.Steps)
	e.OnNextAnswer(func(Step) {
		// A refused Update, or a replacement that failed, leaves the stack's role as it was.
		asDeclared(t, e, before, tc.from, "when the failed Update answered")
		e.h.Proxy.Reset()
	})
	ok, err := e.Update(ctx, tc.to, false)
	mustOK(t, err)
	if ok {
		t.Fatalf("the Update meant to fail succeeded: %s", e.Steps[first])
	}
	failed := e.Steps[first].Response
	for _, want := range tc.because {
		if !strings.Contains(failed.Reason, want) {
			t.Errorf("the failed Update's reason %q lacks %q", failed.Reason, want)
		}
	}
	if failed.PhysicalResourceID != before {
		t.Errorf("the failed Update answered %q, want the stack's role %q", failed.PhysicalResourceID, before)
	}
	check(t, e, "the failed update and its rollback") // includes: same physical id, same RoleId, declared state
	if e.PhysicalID != before {
		t.Errorf("after the rollback the stack holds %q, want the pre-update role %q", e.PhysicalID, before)
	}
	deleteStack(t, e)
}

// TestRollbackAfterFailedRenameKeepsRole: a role with a generated name, an Update that fails, and the rollback
// Update (PhysicalResourceId = the generated name, ResourceProperties = the original ones, OldResourceProperties =
// the failed ones) must answer the same role, not a new generated name whose cleanup deletes the live role.
func TestRollbackAfterFailedRenameKeepsRole(t *testing.T) {
	t.Parallel()
	base := harness.With(harness.Props(t, "non-streaming"), "UseManagedPolicy", "true")
	for _, tc := range []failedUpdate{
		{name: "adds a RoleName that is taken", from: base, to: harness.With(base, "RoleName", takenName), taken: true, because: []string{"already exists"}},
		{name: "Path outside the prefix", from: base, to: harness.With(base, "Path", "/elsewhere/"), because: []string{"outside the provider's role path prefix"}},
		{name: "RoleName plus a bad bucket", from: base, to: harness.With(base, "RoleName", "gt-renamed", "InputBuckets", []any{"Not_A_Bucket"}), because: []string{"not a valid S3 bucket name"}},
		{name: "Path change whose PutRolePolicy fails", from: base, to: harness.With(base, "Path", "/groundtruth/moved/"),
			fault: func(h *harness.Harness) {
				h.Proxy.Add(faultproxy.FailNth("PutRolePolicy", 1, http.StatusConflict, "LimitExceeded"))
			}, because: []string{"LimitExceeded"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			playFailedUpdate(t, tc)
		})
	}
}

// TestRollbackAfterRefusedMoveSucceeds: IAM cannot move a role, so an Update of a fixed RoleName to a new Path is
// refused (and keeps the role); the rollback Update that follows must not fail too (UPDATE_ROLLBACK_FAILED).
func TestRollbackAfterRefusedMoveSucceeds(t *testing.T) {
	t.Parallel()
	named := harness.With(harness.Props(t, "non-streaming"), "RoleName", "gt-fixed-name")
	for _, tc := range []failedUpdate{
		{name: "fixed RoleName with a new Path", from: named, to: harness.With(named, "Path", "/groundtruth/moved/"),
			because: []string{"IAM role names are unique", "change RoleName as well"}},
		{name: "rename and move to a taken name", from: named, to: harness.With(named, "RoleName", takenName, "Path", "/groundtruth/moved/"), taken: true,
			because: []string{"already exists"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			playFailedUpdate(t, tc)
		})
	}
}
