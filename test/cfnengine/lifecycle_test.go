package cfnengine

import (
	"testing"

	"github.com/gtrole/groundtruth-execution-role/test/harness"
)

// scenarios are the sample properties under test/testdata/properties.
var scenarios = []string{"non-streaming", "streaming", "custom-workflow", "automated-labeling", "kms", "everything"}

// TestLifecycle takes every scenario through a stack's Create, an in-place Update, a replacing Update with the
// cleanup Delete of the old role, and Delete.
func TestLifecycle(t *testing.T) {
	t.Parallel()
	for _, scenario := range scenarios {
		t.Run(scenario, func(t *testing.T) {
			t.Parallel()
			e := stack(t, Config{})
			h := e.h
			ctx := t.Context()
			p := harness.Props(t, scenario)

			created, err := e.Create(ctx, p)
			mustOK(t, err)
			if !created {
				t.Fatalf("create failed: %s", trace(e))
			}
			check(t, e, "create")
			role, err := h.Describe(ctx, e.PhysicalID)
			mustOK(t, err)
			data := e.Steps[len(e.Steps)-1].Response.Data
			for attr, want := range map[string]string{"Arn": role.Arn, "RoleName": e.PhysicalID, "RoleId": role.RoleID, "Path": role.Path} {
				if data[attr] != want {
					t.Errorf("Data.%s = %v, want %s", attr, data[attr], want)
				}
			}

			inPlace := harness.With(p, "Description", "in place", "Tags", []any{map[string]any{"Key": "stage", "Value": "test"}},
				"OutputBuckets", []any{"my-gt-output/v2/", "another-output-bucket"}, "MaxSessionDuration", "10800")
			name := e.PhysicalID
			h.Proxy.Reset()
			updated, err := e.Update(ctx, inPlace, false)
			mustOK(t, err)
			if !updated {
				t.Fatalf("the in-place Update failed: %s", trace(e))
			}
			if e.PhysicalID != name {
				t.Fatalf("in-place Update changed the physical id: %s → %s", name, e.PhysicalID)
			}
			for _, r := range h.Proxy.Writes() {
				if r.Action == "CreateRole" || r.Action == "DeleteRole" {
					t.Errorf("in-place Update called %s", r.Action)
				}
			}
			check(t, e, "the in-place update") // the same RoleId, the declared state

			replacing := harness.With(inPlace, "RoleName", "replacement-role", "Path", "/groundtruth/v2/")
			e.OnNextAnswer(func(Step) {
				holds(t, e, "when the replacing Update answered (before the cleanup)", name, "replacement-role")
			})
			replaced, err := e.Update(ctx, replacing, false)
			mustOK(t, err)
			if !replaced {
				t.Fatalf("the replacing Update failed: %s", trace(e))
			}
			if e.PhysicalID != "replacement-role" {
				t.Fatalf("after the replacing Update the stack holds %q, want replacement-role", e.PhysicalID)
			}
			check(t, e, "the replacement and its cleanup") // the old role deleted, the new one as declared
			deleteStack(t, e)
		})
	}
}
