package cfnengine

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
	"github.com/gtrole/groundtruth-execution-role/test/harness"
)

// deadlineFault makes IAM calls run into the Lambda deadline.
type deadlineFault struct {
	name     string
	timeout  time.Duration // the Lambda timeout; shortTimeout when 0
	rules    []faultproxy.Rule
	answered func(t *testing.T, e *Engine, s Step) // checks on the operation's answer, before anything else is sent
}

// deadlineFaults: a call that lands in IAM while its answer never comes back; one that lands just after the caller
// gave up on it; and one that hangs without landing.
func deadlineFaults(action string) []deadlineFault {
	return []deadlineFault{
		{name: "lands, answer withheld", rules: []faultproxy.Rule{{Action: action, Nth: 1, Kind: faultproxy.Land}}},
		{name: "lands after the caller gave up", rules: []faultproxy.Rule{{Action: action, Nth: 1, Kind: faultproxy.Land, Delay: -1}}},
		{name: "hangs", rules: []faultproxy.Rule{{Action: action, Nth: 1, Kind: faultproxy.Hang}}},
	}
}

// play runs seq with the fault, the sandbox frozen right after each answer (a fresh process serves the next
// request, so nothing the provider does after answering survives).
func (f deadlineFault) play(t *testing.T, seq sequence) {
	timeout := f.timeout
	if timeout == 0 {
		timeout = shortTimeout
	}
	playSequence(t, seq, Config{Timeout: timeout, Freeze: true}, fault{
		arm: func(h *harness.Harness) {
			for _, r := range f.rules {
				h.Proxy.Add(r)
			}
		},
		answered: func(t *testing.T, e *Engine, s Step) {
			if succeeded(s) || !strings.Contains(s.Response.Reason, "timed out") {
				t.Errorf("running into the deadline: %s, want FAILED saying it timed out", s)
			}
			if inv := s.Invocation; inv == nil || inv.Error != nil || inv.Elapsed >= timeout || inv.Deadline.Before(time.Now()) {
				t.Errorf("the invocation must return, without an error, before the %s deadline: %+v", timeout, inv)
			}
			if f.answered != nil {
				f.answered(t, e, s)
			}
		},
	})
}

// landed waits until the Late call of action has taken effect in IAM (it lands whatever the caller does).
func landed(t *testing.T, h *harness.Harness, action string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !slices.ContainsFunc(h.Proxy.Requests(), func(r faultproxy.Request) bool {
		return r.Action == action && r.Injected == faultproxy.Late && r.Refused == "" && r.Status/100 == 2
	}) {
		if time.Now().After(deadline) {
			t.Fatalf("the late %s never landed; the test proves nothing", action)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// holds fails the test unless IAM holds exactly the roles that were there before the stack plus want.
func holds(t *testing.T, e *Engine, when string, want ...string) {
	t.Helper()
	want = append(slices.Clone(e.foreign), want...)
	slices.Sort(want)
	got, err := e.h.RoleNames(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("roles %s: %v, want %v", when, got, want)
	}
}

// TestCreateRunningIntoTheDeadlineLeavesNoRole: a Create whose CreateRole runs into the deadline answers FAILED,
// and after CloudFormation's rollback Delete no role is left. A CreateRole that lands after the work has stopped
// but before the answer is due is removed before the answer.
func TestCreateRunningIntoTheDeadlineLeavesNoRole(t *testing.T) {
	t.Parallel()
	base := harness.With(harness.Props(t, "non-streaming"), "UseManagedPolicy", "true")
	faults := append(deadlineFaults("CreateRole"), deadlineFault{
		name:    "lands after the work stopped, before the answer",
		timeout: 20 * time.Second, // the work stops at 7.5 s, the answer is due at 15 s
		rules:   []faultproxy.Rule{{Action: "CreateRole", Nth: 1, Kind: faultproxy.Late, Delay: 9 * time.Second}},
		answered: func(t *testing.T, e *Engine, s Step) {
			landed(t, e.h, "CreateRole")
			holds(t, e, "once the late CreateRole landed, before the rollback Delete")
		},
	})
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			f.play(t, sequence{name: f.name, last: op{kind: "create", props: base}})
		})
	}
}

// TestReplacingUpdateTimeoutLeavesNoOrphan: a replacing Update (RoleName a → b) that runs into the deadline answers
// FAILED on a; nothing may be left of b once CloudFormation has rolled back and cleaned up. The cleanup of b
// finishes before the answer (Lambda freezes the sandbox once the invocation returns); a b whose CreateRole lands
// after even the cleanup's watch has ended is removed by the rollback Update.
func TestReplacingUpdateTimeoutLeavesNoOrphan(t *testing.T) {
	t.Parallel()
	a := harness.With(harness.Props(t, "non-streaming"), "RoleName", "gt-deadline-a", "UseManagedPolicy", "true")
	b := harness.With(a, "RoleName", "gt-deadline-b")
	faults := append(deadlineFaults("CreateRole"),
		deadlineFault{name: "PutRolePolicy of the new role hangs", rules: []faultproxy.Rule{{Action: "PutRolePolicy", Nth: 1, Kind: faultproxy.Hang}}},
		deadlineFault{
			name:    "PutRolePolicy of the new role hangs, its removal slow",
			timeout: 20 * time.Second,
			rules: []faultproxy.Rule{
				{Action: "PutRolePolicy", Nth: 1, Kind: faultproxy.Hang},
				// slow, so a cleanup still running after the answer would be caught half done
				{Action: "DeleteRole", Kind: faultproxy.Delay, Delay: time.Second},
			},
			answered: func(t *testing.T, e *Engine, s Step) {
				holds(t, e, "when the failed Update answered (the new role removed before the answer)", "gt-deadline-a")
			},
		},
		deadlineFault{
			name:    "CreateRole lands after the cleanup's watch",
			timeout: 12 * time.Second, // the work stops at 3.5 s; the cleanup watches until about 5.3 s
			rules:   []faultproxy.Rule{{Action: "CreateRole", Nth: 1, Kind: faultproxy.Late, Delay: 6 * time.Second}},
			answered: func(t *testing.T, e *Engine, s Step) {
				landed(t, e.h, "CreateRole") // the escaped role is in IAM when the rollback Update arrives
				holds(t, e, "once the late CreateRole landed", "gt-deadline-a", "gt-deadline-b")
			},
		})
	for _, f := range faults {
		more := f.answered
		f.answered = func(t *testing.T, e *Engine, s Step) {
			if s.Response.PhysicalResourceID != "gt-deadline-a" {
				t.Errorf("the failed Update answered %q, want gt-deadline-a", s.Response.PhysicalResourceID)
			}
			if more != nil {
				more(t, e, s)
			}
		}
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			f.play(t, sequence{name: f.name, setup: []op{{kind: "create", props: a}}, last: op{kind: "update", props: b}})
		})
	}
}
