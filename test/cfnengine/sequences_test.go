package cfnengine

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
	"github.com/gtrole/groundtruth-execution-role/test/harness"
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
	// writes are IAM actions the operation under test must make when it runs clean, so that the fault sweep
	// covers each of them.
	writes []string
}

// fault is what the operation under test runs into.
type fault struct {
	arm func(*harness.Harness) // before the operation under test
	// answered, when set, runs on the operation's first answer, before the fault is lifted and before
	// CloudFormation sends anything else; s is that answer.
	answered func(t *testing.T, e *Engine, s Step)
}

// everything declares every kind of grant, a managed policy included: a Create makes CreateRole, PutRolePolicy
// and AttachRolePolicy calls, a Delete the matching removals.
func everything(t *testing.T) map[string]any {
	return harness.With(harness.Props(t, "everything"), "UseManagedPolicy", "true")
}

// everyChange differs from everything in every way an in-place Update can change a role.
func everyChange(t *testing.T) map[string]any {
	return harness.With(everything(t),
		"Description", "changed",
		"MaxSessionDuration", "14400",
		"Tags", []any{map[string]any{"Key": "team", "Value": "audio"}, map[string]any{"Key": "new", "Value": "tag"}},
		"ConfusedDeputyProtection", "false",
		"StreamingInputTopicArns", nil, "StreamingOutputTopicArns", nil,
		"PreAnnotationLambdaArns", []any{"arn:aws:lambda:us-east-1:123456789012:function:other-pre"},
		"UseManagedPolicy", "false",
		"PermissionsBoundary", "arn:aws:iam::123456789012:policy/gt-boundary",
	)
}

// sequences are the stack operations every change of the provider must survive.
func sequences(t *testing.T) []sequence {
	base := harness.With(harness.Props(t, "non-streaming"), "UseManagedPolicy", "true")
	named := harness.With(base, "RoleName", "gt-seq-a")
	inPlace := harness.With(base, "Description", "changed", "MaxSessionDuration", "7200",
		"Tags", []any{map[string]any{"Key": "stage", "Value": "test"}},
		"UseManagedPolicy", "false", "PermissionsBoundary", "arn:aws:iam::123456789012:policy/gt-boundary",
		"OutputBuckets", []any{"my-gt-output/v2/", "another-output-bucket"})
	renamed := harness.With(named, "RoleName", "gt-seq-b")
	moved := harness.With(base, "Path", "/groundtruth/moved/")
	all, changed := everything(t), everyChange(t)
	return []sequence{
		{name: "create", last: op{kind: "create", props: all}, writes: []string{"CreateRole", "PutRolePolicy", "AttachRolePolicy"}},
		{name: "update in place", setup: []op{{kind: "create", props: base}}, last: op{kind: "update", props: inPlace}},
		{name: "update in place (every change)", setup: []op{{kind: "create", props: all}}, last: op{kind: "update", props: changed},
			writes: []string{"UpdateAssumeRolePolicy", "PutRolePolicy", "DeleteRolePolicy", "DetachRolePolicy", "TagRole", "UntagRole", "UpdateRole", "PutRolePermissionsBoundary"}},
		{name: "update replacing (rename)", setup: []op{{kind: "create", props: named}}, last: op{kind: "update", props: renamed}},
		{name: "update replacing (generated name, new path)", setup: []op{{kind: "create", props: base}}, last: op{kind: "update", props: moved}},
		{name: "update in place then stack rollback", setup: []op{{kind: "create", props: base}}, last: op{kind: "update", props: inPlace, thenStackFails: true}},
		{name: "replacement then stack rollback", setup: []op{{kind: "create", props: named}}, last: op{kind: "update", props: renamed, thenStackFails: true}},
		{name: "delete", setup: []op{{kind: "create", props: all}}, last: op{kind: "delete"}, writes: []string{"DeleteRole", "DeleteRolePolicy", "DetachRolePolicy"}},
	}
}

// playSequence plays seq on a fresh stack with f armed before the operation under test; f's rules are lifted as
// soon as that operation's first request is answered, so the rollback and cleanup run clean. It checks the
// invariants after every operation and finally deletes the stack and checks that nothing is left.
func playSequence(t *testing.T, seq sequence, cfg Config, f fault) *Engine {
	t.Helper()
	e := stack(t, cfg)
	h := e.h
	ctx := t.Context()
	for _, o := range seq.setup {
		mustOK(t, o.play(ctx, e))
		check(t, e, "setup "+o.kind)
	}
	h.Proxy.Reset()
	if f.arm != nil {
		f.arm(h)
	}
	e.OnNextAnswer(func(s Step) {
		if f.answered != nil {
			f.answered(t, e, s)
		}
		h.Proxy.Reset()
	})
	mustOK(t, seq.last.play(ctx, e))
	e.OnNextAnswer(nil) // in case the operation sent nothing
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
	holds(t, e, "after the stack's delete")
}

// failedAt checks the answer to an operation that ran into an IAM error it cannot retry: FAILED with IAM's
// error code in the reason; a failed Update answers the role the stack holds, and a failed Create has removed
// what it made before it answers.
func failedAt(c faultproxy.WriteCall) func(t *testing.T, e *Engine, s Step) {
	return func(t *testing.T, e *Engine, s Step) {
		t.Helper()
		if succeeded(s) || !strings.Contains(s.Response.Reason, "LimitExceeded") {
			t.Errorf("with %s failing: %s, want FAILED naming LimitExceeded", c, s)
		}
		switch s.Type {
		case cfn.RequestUpdate:
			if s.Response.PhysicalResourceID != e.PhysicalID {
				t.Errorf("a failed Update answered %q, want the stack's role %q", s.Response.PhysicalResourceID, e.PhysicalID)
			}
		case cfn.RequestCreate:
			holds(t, e, "when a Create failing at "+c.String()+" answered")
		}
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
				e := playSequence(t, seq, Config{}, fault{answered: func(t *testing.T, e *Engine, s Step) {
					writes = e.h.Proxy.WriteCalls()
				}})
				for _, s := range e.Steps {
					if !succeeded(s) {
						t.Errorf("without a fault: %s", s)
					}
				}
			})
			if len(writes) == 0 {
				t.Fatalf("the operation under test made no IAM write: nothing to inject into")
			}
			t.Logf("writes of the operation under test: %v", writes)
			for _, want := range seq.writes {
				if !slices.ContainsFunc(writes, func(c faultproxy.WriteCall) bool { return c.Action == want }) {
					t.Errorf("the operation under test made no %s call; the sweep would not cover it", want)
				}
			}
			for _, c := range writes {
				t.Run(c.String(), func(t *testing.T) {
					t.Parallel()
					playSequence(t, seq, Config{}, fault{
						arm:      func(h *harness.Harness) { h.Proxy.Add(faultproxy.FailCall(c)) },
						answered: failedAt(c),
					})
				})
			}
		})
	}
}
