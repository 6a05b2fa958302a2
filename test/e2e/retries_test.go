package e2e

import (
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
	"github.com/gtrole/groundtruth-execution-role/test/harness"
)

// TestThrottledIAMStillSucceeds: throttled IAM calls are retried, and the Create succeeds.
func TestThrottledIAMStillSucceeds(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	h.Proxy.Add(faultproxy.Throttle("CreateRole", 2))
	h.Proxy.Add(faultproxy.Throttle("PutRolePolicy", 1))
	r := mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: harness.Props(t, "non-streaming")}))
	if n := h.Proxy.Count("CreateRole"); n != 3 {
		t.Errorf("CreateRole calls = %d, want 3 (two throttled, one through)", n)
	}
	assertRole(t, h, desired(t, harness.Props(t, "non-streaming"), r.PhysicalResourceID))
}

// TestResponseURLFailingTwiceIsStillDelivered: the answer is PUT again when the response bucket fails, without a
// Content-Type (the pre-signed URL is signed without one) and within 4,096 bytes.
func TestResponseURLFailingTwiceIsStillDelivered(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	h.Proxy.Add(faultproxy.Rule{Method: http.MethodPut, PathPrefix: "/" + harness.ResponseBucket + "/", First: 2, Kind: faultproxy.Fail, Status: http.StatusServiceUnavailable, Code: "SlowDown"})
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: harness.Props(t, "non-streaming")}))
	var puts []faultproxy.Request
	for _, r := range h.Proxy.Requests() {
		if r.Method == http.MethodPut {
			puts = append(puts, r)
		}
	}
	if len(puts) != 3 {
		t.Fatalf("response PUTs = %d, want 3 (two failed, one delivered)", len(puts))
	}
	for _, p := range puts {
		if ct, set := p.Header["Content-Type"]; set && len(ct) > 0 && ct[0] != "" {
			t.Errorf("response PUT carried Content-Type %q; CloudFormation's pre-signed URL is signed without one", ct)
		}
		if len(p.Body) > 4096 {
			t.Errorf("response body is %d bytes", len(p.Body))
		}
	}
}
