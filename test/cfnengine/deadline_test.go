package cfnengine

import (
	"testing"

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
	base := with(props(t, "non-streaming"), "UseManagedPolicy", "true")
	for _, f := range deadlineFaults("CreateRole") {
		t.Run(f.name, func(t *testing.T) {
			seq := sequence{name: f.name, last: op{kind: "create", props: base}}
			playSequence(t, seq, Config{Timeout: shortTimeout, Freeze: true}, func() { h.Proxy.Add(f.rule) })
		})
	}
}
