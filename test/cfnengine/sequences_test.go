package cfnengine

import (
	"context"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/test/harness"

	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
)

// op is one stack operation.
type op struct {
	kind           string // "create", "update", "delete"
	props          map[string]any
	thenStackFails bool // update only: another resource fails afterwards
}

func (o op) play(ctx context.Context, e *Engine) error {
	switch o.kind {
	case "create":
		_, err := e.Create(ctx, o.props)
		return err
	case "update":
		_, err := e.Update(ctx, o.props, o.thenStackFails)
		return err
	default:
		_, err := e.Delete(ctx) // a Delete failing at an injected fault is retried by the final delete
		return err
	}
}

// sequence is a stack's history: setup operations, then the operation under test.
type sequence struct {
	name  string
	setup []op
	last  op
}

// sequences are the stack operations of issue 7 deliverable 8.
func sequences(t *testing.T) []sequence {
	base := harness.With(harness.Props(t, "non-streaming"), "UseManagedPolicy", "true")
	named := harness.With(base, "RoleName", "gt-seq-a")
	inPlace := harness.With(base, "Description", "changed", "MaxSessionDuration", "7200",
		"Tags", []any{map[string]any{"Key": "stage", "Value": "test"}},
		"UseManagedPolicy", "false", "PermissionsBoundary", "arn:aws:iam::123456789012:policy/gt-boundary",
		"OutputBuckets", []any{"my-gt-output/v2/", "another-output-bucket"})
	renamed := harness.With(named, "RoleName", "gt-seq-b")
	moved := harness.With(base, "Path", "/groundtruth/moved/")
	return []sequence{
		{name: "create", last: op{kind: "create", props: base}},
		{name: "update in place", setup: []op{{kind: "create", props: base}}, last: op{kind: "update", props: inPlace}},
		{name: "update replacing (rename)", setup: []op{{kind: "create", props: named}}, last: op{kind: "update", props: renamed}},
		{name: "update replacing (generated name, new path)", setup: []op{{kind: "create", props: base}}, last: op{kind: "update", props: moved}},
		{name: "update in place then stack rollback", setup: []op{{kind: "create", props: base}}, last: op{kind: "update", props: inPlace, thenStackFails: true}},
		{name: "replacement then stack rollback", setup: []op{{kind: "create", props: named}}, last: op{kind: "update", props: renamed, thenStackFails: true}},
		{name: "delete", setup: []op{{kind: "create", props: base}}, last: op{kind: "delete"}},
	}
}

// playSequence plays seq on a fresh stack; before the operation under test it calls arm, and the proxy's rules
// are lifted as soon as that operation's first request is answered, so the rollback and cleanup run clean. It
// checks the invariants after every operation and finally deletes the stack and checks that nothing is left.
func playSequence(t *testing.T, seq sequence, cfg Config, arm func(*harness.Harness)) *Engine {
	t.Helper()
	e := stack(t, cfg)
	h := e.h
	ctx := t.Context()
	for _, o := range seq.setup {
		mustOK(t, o.play(ctx, e))
		check(t, e, "setup "+o.kind)
	}
	h.Proxy.Reset()
	if arm != nil {
		arm(h)
	}
	first := len(e.Steps)
	e.OnAnswer = func(Step) {
		if len(e.Steps) == first+1 {
			h.Proxy.Reset()
		}
	}
	mustOK(t, seq.last.play(ctx, e))
	e.OnAnswer = nil
	check(t, e, seq.last.kind)
	deleteStack(t, e)
	return e
}

// deleteStack deletes the stack (or retries its failed Delete) and checks that nothing is left.
func deleteStack(t *testing.T, e *Engine) {
	t.Helper()
	ok, err := e.Delete(t.Context())
	mustOK(t, err)
	if !ok {
		t.Errorf("the stack's Delete failed: %s", e.Steps[len(e.Steps)-1])
	}
	check(t, e, "the stack's delete")
	if names, err := e.h.RoleNames(t.Context()); err != nil || len(names) != len(e.foreign) {
		t.Errorf("roles after the stack's delete: %v (err %v), want only %v", names, err, e.foreign)
	}
}

// TestSequencesWithAFaultAtEveryWrite plays every sequence clean, then again with a fault injected at each IAM
// write of the operation under test in turn (faultproxy's Nth-call rule).
func TestSequencesWithAFaultAtEveryWrite(t *testing.T) {
	t.Parallel()
	for _, seq := range sequences(t) {
		t.Run(seq.name, func(t *testing.T) {
			t.Parallel()
			var writes []faultproxy.WriteCall
			t.Run("clean", func(t *testing.T) {
				e := stack(t, Config{})
				h := e.h
				ctx := t.Context()
				for _, o := range seq.setup {
					mustOK(t, o.play(ctx, e))
				}
				h.Proxy.Reset()
				first := len(e.Steps)
				e.OnAnswer = func(Step) {
					if len(e.Steps) == first+1 {
						writes = h.Proxy.WriteCalls()
					}
				}
				mustOK(t, seq.last.play(ctx, e))
				for _, s := range e.Steps[first:] {
					if !succeeded(s) {
						t.Errorf("without a fault: %s", s)
					}
				}
				check(t, e, seq.last.kind)
				deleteStack(t, e)
			})
			if len(writes) == 0 {
				t.Fatalf("the operation under test made no IAM write: nothing to inject into")
			}
			t.Logf("writes of the operation under test: %v", writes)
			for _, c := range writes {
				t.Run(c.String(), func(t *testing.T) {
					t.Parallel()
					playSequence(t, seq, Config{}, func(h *harness.Harness) { h.Proxy.Add(faultproxy.FailCall(c)) })
				})
			}
		})
	}
}
