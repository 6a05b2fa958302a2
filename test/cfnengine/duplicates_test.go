package cfnengine

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
	"github.com/gtrole/groundtruth-execution-role/test/harness"
	"github.com/gtrole/groundtruth-execution-role/test/runtimeapi"
)

// delivery is one of two concurrent deliveries of a request, each in its own sandbox.
type delivery struct {
	resp cfn.Response
	err  error
}

// deliver invokes ev in a fresh sandbox and reads the answer at key.
func deliver(t *testing.T, h *harness.Harness, ev cfn.Event, key string, out chan<- delivery) {
	rt, err := h.Runtime(t.Context(), runtimeapi.Options{})
	if err != nil {
		out <- delivery{err: err}
		return
	}
	defer rt.Stop()
	payload, _ := json.Marshal(ev)
	if _, err := rt.Invoke(t.Context(), payload); err != nil {
		out <- delivery{err: err}
		return
	}
	var d delivery
	body, err := h.Moto.GetObject(t.Context(), harness.ResponseBucket, key)
	if err == nil {
		err = json.Unmarshal(body, &d.resp)
	}
	d.err = err
	out <- d
}

// TestRacingDuplicateCreatesConverge: two deliveries of one Create run at the same time; the
// first fails after CreateRole (its first PutRolePolicy fails, slowly), the second adopts the role and finishes
// first. Whatever each answers, CloudFormation acts on the first answer it gets; the answers must agree, and the
// stack must end holding one role equal to its properties (or, after a FAILED answer and its rollback Delete, none).
func TestRacingDuplicateCreatesConverge(t *testing.T) {
	t.Parallel()
	e := stack(t, Config{})
	h := e.h
	p := harness.With(harness.Props(t, "non-streaming"), "UseManagedPolicy", "true")
	req := harness.Request{Type: cfn.RequestCreate, RequestID: "5d7a8f4e-0000-4000-8000-00000000race", Props: p}
	evA, keyA, err := h.Event(t.Context(), req)
	mustOK(t, err)
	evB, keyB, err := h.Event(t.Context(), req) // the same request delivered again (its own response object, to see both)
	mustOK(t, err)
	h.Proxy.Add(faultproxy.Rule{Action: "PutRolePolicy", Nth: 1, Kind: faultproxy.Fail, Status: http.StatusConflict,
		Code: "LimitExceeded", Message: "injected LimitExceeded", Delay: 2 * time.Second})

	answers := make(chan delivery, 2)
	go deliver(t, h, evA, keyA, answers)
	deadline := time.Now().Add(30 * time.Second)
	for h.Proxy.Count("PutRolePolicy") == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the first delivery never reached PutRolePolicy")
		}
		time.Sleep(20 * time.Millisecond)
	}
	go deliver(t, h, evB, keyB, answers)
	first, second := <-answers, <-answers
	mustOK(t, first.err)
	mustOK(t, second.err)
	t.Logf("first answer: %s %s %s; second: %s %s %s", first.resp.Status, first.resp.PhysicalResourceID, first.resp.Reason,
		second.resp.Status, second.resp.PhysicalResourceID, second.resp.Reason)
	if first.resp.Status != second.resp.Status || first.resp.PhysicalResourceID != second.resp.PhysicalResourceID {
		t.Errorf("the two deliveries answered differently: %s %q, then %s %q", first.resp.Status, first.resp.PhysicalResourceID, second.resp.Status, second.resp.PhysicalResourceID)
	}
	h.Proxy.Reset()

	// CloudFormation acts on the first answer.
	e.Steps = append(e.Steps, Step{Phase: "create (first of two deliveries)", Type: cfn.RequestCreate, Response: first.resp})
	if first.resp.Status == cfn.StatusSuccess {
		e.PhysicalID, e.Props = first.resp.PhysicalResourceID, p
	} else {
		d, err := e.send(t.Context(), "rollback delete", cfn.RequestDelete, first.resp.PhysicalResourceID, p, nil)
		mustOK(t, err)
		if !succeeded(d) {
			t.Errorf("rollback Delete: %s", d)
		}
	}
	check(t, e, "two racing deliveries of one Create")
	deleteStack(t, e)
}

// TestDuplicateCreateMakesOneRole: CloudFormation delivers a Create again (the same RequestId) after the first
// delivery has answered, to the same sandbox or to another; the second answers the same role and IAM holds one.
func TestDuplicateCreateMakesOneRole(t *testing.T) {
	t.Parallel()
	for _, warm := range []bool{true, false} {
		t.Run(map[bool]string{true: "same sandbox", false: "another sandbox"}[warm], func(t *testing.T) {
			t.Parallel()
			e := stack(t, Config{})
			h := e.h
			p := harness.Props(t, "non-streaming")
			req := harness.Request{Type: cfn.RequestCreate, RequestID: "5d7a8f4e-0000-4000-8000-00000000dup1", Props: p}
			var answers []cfn.Response
			for range 2 {
				ev, key, err := h.Event(t.Context(), req)
				mustOK(t, err)
				var d delivery
				if warm {
					rt, err := e.runtime(t.Context())
					mustOK(t, err)
					sent, err := h.SendEvent(t.Context(), rt, ev, key)
					mustOK(t, err)
					d.resp = sent.Response
				} else {
					out := make(chan delivery, 1)
					deliver(t, h, ev, key, out)
					d = <-out
					mustOK(t, d.err)
				}
				if d.resp.Status != cfn.StatusSuccess {
					t.Fatalf("a delivery of the Create answered %s: %s", d.resp.Status, d.resp.Reason)
				}
				answers = append(answers, d.resp)
			}
			if answers[0].PhysicalResourceID != answers[1].PhysicalResourceID {
				t.Errorf("the re-delivered Create answered %s, then %s", answers[0].PhysicalResourceID, answers[1].PhysicalResourceID)
			}
			e.Steps = append(e.Steps, Step{Phase: "create (delivered twice)", Type: cfn.RequestCreate, Response: answers[0]})
			e.PhysicalID, e.Props = answers[0].PhysicalResourceID, p
			e.at("CREATE_COMPLETE", e.PhysicalID, "CREATE_COMPLETE")
			check(t, e, "a Create delivered twice") // one role, the stack's, equal to its properties
			deleteStack(t, e)
		})
	}
}
