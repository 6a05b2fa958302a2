package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
	"github.com/gtrole/groundtruth-execution-role/test/harness"
)

// TestRoleNameNumberTimeoutAnswersTheRoleMade: RoleName given as a JSON number (docs/lifecycle.md: numbers are
// accepted); a Create that times out answers the name of the role it made, so CloudFormation's Delete finds it.
func TestRoleNameNumberTimeoutAnswersTheRoleMade(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 12*time.Second)
	ev, key, err := h.Event(t.Context(), harness.Request{Type: cfn.RequestCreate, Props: harness.Props(t, "non-streaming")})
	if err != nil {
		t.Fatal(err)
	}
	ev.ResourceProperties["RoleName"] = 12345 // unlike CloudFormation, a number, as the CLI and CDK may pass
	h.Proxy.Add(faultproxy.Rule{Action: "PutRolePolicy", Kind: faultproxy.Hang})
	h.Proxy.Add(faultproxy.Rule{Action: "DeleteRole", Kind: faultproxy.Hang}) // the role made stays: the id must find it
	d, err := h.SendEvent(t.Context(), rt, ev, key)
	if err != nil {
		t.Fatal(err)
	}
	r := mustFail(t, d, "timed out")
	if got := roleNames(t, h); !slices.Equal(got, []string{"12345"}) || r.PhysicalResourceID != "12345" {
		t.Fatalf("answered physical id %q; roles in IAM %v: the answered id must name the role made", r.PhysicalResourceID, got)
	}
	h.Proxy.Reset()
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: r.PhysicalResourceID}))
	if got := roleNames(t, h); len(got) != 0 {
		t.Errorf("roles after the Delete: %v", got)
	}
}
