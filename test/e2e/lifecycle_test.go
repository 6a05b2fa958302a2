package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/test/harness"
)

var scenarios = []string{"non-streaming", "streaming", "custom-workflow", "automated-labeling", "kms", "everything"}

// TestLifecycle takes every scenario through Create, an in-place Update, a replacing Update with the Delete of the
// old role CloudFormation sends after it, and Delete.
func TestLifecycle(t *testing.T) {
	t.Parallel()
	for _, scenario := range scenarios {
		t.Run(scenario, func(t *testing.T) {
			t.Parallel()
			h, rt := fresh(t, 30*time.Second)
			p := harness.Props(t, scenario)

			created := mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: p}))
			name := created.PhysicalResourceID
			role := assertRole(t, h, desired(t, p, name))
			for attr, want := range map[string]string{"Arn": role.Arn, "RoleName": name, "RoleId": role.RoleID, "Path": role.Path} {
				if created.Data[attr] != want {
					t.Errorf("Data.%s = %v, want %s", attr, created.Data[attr], want)
				}
			}

			inPlace := harness.With(p, "Description", "in place", "Tags", []any{map[string]any{"Key": "stage", "Value": "test"}},
				"OutputBuckets", []any{"my-gt-output/v2/", "another-output-bucket"}, "MaxSessionDuration", "10800")
			h.Proxy.Reset()
			updated := mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: name, Props: inPlace, OldProps: p}))
			if updated.PhysicalResourceID != name {
				t.Fatalf("in-place Update changed the physical id: %s → %s", name, updated.PhysicalResourceID)
			}
			for _, r := range h.Proxy.Writes() {
				if r.Action == "CreateRole" || r.Action == "DeleteRole" {
					t.Errorf("in-place Update called %s", r.Action)
				}
			}
			after := assertRole(t, h, desired(t, inPlace, name))
			if after.RoleID != role.RoleID {
				t.Errorf("in-place Update replaced the role: RoleId %s → %s", role.RoleID, after.RoleID)
			}

			replacing := harness.With(inPlace, "RoleName", "replacement-role", "Path", "/groundtruth/v2/")
			replaced := mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: name, Props: replacing, OldProps: inPlace}))
			newName := replaced.PhysicalResourceID
			if newName != "replacement-role" {
				t.Fatalf("replacing Update answered physical id %q, want replacement-role", newName)
			}
			assertRole(t, h, desired(t, replacing, newName))
			if got := roleNames(t, h); !slices.Equal(got, sorted(name, newName)) {
				t.Errorf("after replacement IAM holds %v, want the old and the new role", got)
			}
			mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: name, Props: inPlace}))
			if got := roleNames(t, h); !slices.Equal(got, []string{newName}) {
				t.Errorf("after deleting the old role IAM holds %v, want [%s]", got, newName)
			}

			mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: newName, Props: replacing}))
			if got := roleNames(t, h); len(got) != 0 {
				t.Errorf("after Delete IAM still holds %v", got)
			}
		})
	}
}

func sorted(s ...string) []string {
	slices.Sort(s)
	return s
}
