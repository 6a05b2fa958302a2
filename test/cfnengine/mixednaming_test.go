package cfnengine

import (
	"testing"

	"github.com/gtrole/groundtruth-execution-role/test/harness"
)

// TestMixedNamingSequences plays sequences that switch between a fixed RoleName and a generated name, with and
// without a Path change, each clean and followed by a stack rollback: the rollback must return to the role the
// stack held, and the stack's delete must leave nothing.
func TestMixedNamingSequences(t *testing.T) {
	t.Parallel()
	base := harness.With(harness.Props(t, "non-streaming"), "UseManagedPolicy", "true")
	named := harness.With(base, "RoleName", "gt-mix-a")
	moved := harness.With(base, "Path", "/groundtruth/moved/")
	namedMoved := harness.With(named, "Path", "/groundtruth/moved/")
	for _, seq := range []sequence{
		{name: "named to generated at a new path, stack rollback", setup: []op{{kind: "create", props: named}}, last: op{kind: "update", props: moved, thenStackFails: true}},
		{name: "generated to named, stack rollback", setup: []op{{kind: "create", props: base}}, last: op{kind: "update", props: named, thenStackFails: true}},
		{name: "generated to named at a new path, stack rollback", setup: []op{{kind: "create", props: base}}, last: op{kind: "update", props: namedMoved, thenStackFails: true}},
		{name: "path there and back", setup: []op{{kind: "create", props: base}, {kind: "update", props: moved}}, last: op{kind: "update", props: base, thenStackFails: true}},
		{name: "named dropped then restored", setup: []op{{kind: "create", props: named}, {kind: "update", props: base}}, last: op{kind: "update", props: named, thenStackFails: true}},
	} {
		t.Run(seq.name, func(t *testing.T) {
			t.Parallel()
			playSequence(t, seq, Config{}, fault{answered: func(t *testing.T, e *Engine, s Step) {
				// the Update succeeds, answering a role as declared, before the stack rolls it back
				if !succeeded(s) {
					t.Fatalf("the Update answered %s", s)
				}
				asDeclared(t, e, s.Response.PhysicalResourceID, seq.last.props, "the role the Update answered")
			}})
		})
	}
}
