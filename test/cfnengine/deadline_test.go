package cfnengine

import (
	"testing"

	"github.com/gtrole/groundtruth-execution-role/test/harness"

	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
)

// deadlineFault makes an IAM call run into the Lambda deadline.
type deadlineFault struct {
	name string
	rule faultproxy.Rule
}

// deadlineFaults: a call that lands in IAM while its answer never comes back; one that lands just after the caller
// gave up on it; and one that hangs without landing.
func deadlineFaults(action string) []deadlineFault {
	return []deadlineFault{
		{"lands, answer withheld", faultproxy.Rule{Action: action, Nth: 1, Kind: faultproxy.Land}},
		{"lands after the caller gave up", faultproxy.Rule{Action: action, Nth: 1, Kind: faultproxy.Land, Delay: -1}},
		{"hangs", faultproxy.Rule{Action: action, Nth: 1, Kind: faultproxy.Hang}},
	}
}

// TestCreateRunningIntoTheDeadlineLeavesNoRole: a Create whose CreateRole runs into the deadline answers FAILED;
// the sandbox is frozen right after the answer (a fresh process serves the next request), and after
// CloudFormation's rollback Delete no role is left.
func TestCreateRunningIntoTheDeadlineLeavesNoRole(t *testing.T) {
	t.Parallel()
	base := harness.With(harness.Props(t, "non-streaming"), "UseManagedPolicy", "true")
	for _, f := range deadlineFaults("CreateRole") {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			seq := sequence{name: f.name, last: op{kind: "create", props: base}}
			playSequence(t, seq, Config{Timeout: shortTimeout, Freeze: true}, func(h *harness.Harness) { h.Proxy.Add(f.rule) })
		})
	}
}

// TestReplacingUpdateTimeoutLeavesNoOrphan is issue 7 finding 3: a replacing Update (RoleName a → b) that runs
// into the deadline answers FAILED; with the sandbox frozen after the answer, nothing may be left of b once
// CloudFormation has rolled back and cleaned up.
func TestReplacingUpdateTimeoutLeavesNoOrphan(t *testing.T) {
	t.Parallel()
	a := harness.With(harness.Props(t, "non-streaming"), "RoleName", "gt-deadline-a", "UseManagedPolicy", "true")
	b := harness.With(a, "RoleName", "gt-deadline-b")
	faults := append(deadlineFaults("CreateRole"), deadlineFault{"PutRolePolicy of the new role hangs",
		faultproxy.Rule{Action: "PutRolePolicy", Nth: 1, Kind: faultproxy.Hang}})
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			seq := sequence{name: f.name, setup: []op{{kind: "create", props: a}}, last: op{kind: "update", props: b}}
			playSequence(t, seq, Config{Timeout: shortTimeout, Freeze: true}, func(h *harness.Harness) { h.Proxy.Add(f.rule) })
		})
	}
}
