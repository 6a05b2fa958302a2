package cfnengine

import (
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
	"github.com/gtrole/groundtruth-execution-role/test/harness"
)

// TestRacingDuplicateDeletesBothSucceed: two deliveries of one Delete run at the same time, the first held at its
// DeleteRole while the second tears the role down; both must answer SUCCESS (a FAILED one could leave the stack
// DELETE_FAILED) and no role may be left.
func TestRacingDuplicateDeletesBothSucceed(t *testing.T) {
	t.Parallel()
	e := stack(t, Config{})
	h := e.h
	p := harness.With(harness.Props(t, "non-streaming"), "UseManagedPolicy", "true")
	created, err := e.Create(t.Context(), p)
	mustOK(t, err)
	if !created {
		t.Fatalf("create failed: %s", trace(e))
	}
	check(t, e, "create")
	req := harness.Request{Type: cfn.RequestDelete, RequestID: "5d7a8f4e-0000-4000-8000-0000000delrace", PhysicalID: e.PhysicalID, Props: p}
	evA, keyA, err := h.Event(t.Context(), req)
	mustOK(t, err)
	evB, keyB, err := h.Event(t.Context(), req)
	mustOK(t, err)
	h.Proxy.Add(faultproxy.Rule{Action: "DeleteRole", Nth: 1, Kind: faultproxy.Delay, Delay: 2 * time.Second})
	answers := make(chan delivery, 2)
	go deliver(t, h, evA, keyA, answers)
	deadline := time.Now().Add(30 * time.Second)
	for h.Proxy.Count("DeleteRole") == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the first delivery never reached DeleteRole")
		}
		time.Sleep(20 * time.Millisecond)
	}
	go deliver(t, h, evB, keyB, answers)
	for range 2 {
		d := <-answers
		mustOK(t, d.err)
		if d.resp.Status != cfn.StatusSuccess {
			t.Errorf("a delivery of the Delete answered %s: %s", d.resp.Status, d.resp.Reason)
		}
	}
	if n := h.Proxy.Count("DeleteRole"); n != 2 {
		t.Errorf("DeleteRole calls: %d, want one from each delivery (the second ran while the first was held)", n)
	}
	h.Proxy.Reset()
	e.PhysicalID, e.Props = "", nil
	check(t, e, "two racing deliveries of one Delete")
}
