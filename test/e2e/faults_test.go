package e2e

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
	"github.com/gtrole/groundtruth-execution-role/test/harness"
	"github.com/gtrole/groundtruth-execution-role/test/runtimeapi"
)

// createProps uses every kind of write a Create makes: CreateRole, PutRolePolicy and AttachRolePolicy.
func createProps(t *testing.T) map[string]any {
	return harness.With(harness.Props(t, "everything"), "UseManagedPolicy", "true")
}

func TestCreateFaultOnEveryWriteLeavesNoRole(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	p := createProps(t)
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: p}))
	writes := h.Proxy.WriteCalls()
	if len(writes) < 3 {
		t.Fatalf("a Create made only %v", writes)
	}
	t.Logf("Create writes: %v", writes)
	for _, c := range writes {
		t.Run(c.String(), func(t *testing.T) {
			t.Parallel()
			h, rt := fresh(t, 30*time.Second)
			h.Proxy.Add(faultproxy.FailCall(c))
			r := mustFail(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: p}), "LimitExceeded")
			if got := roleNames(t, h); len(got) != 0 {
				t.Errorf("a Create failing at %s left roles %v", c, got)
			}
			// CloudFormation rolls back a failed Create with a Delete of the answered id.
			mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: r.PhysicalResourceID, Props: p}))
		})
	}
}

// updateFrom and updateTo differ in every way an in-place Update can change a role.
func updateFrom(t *testing.T) map[string]any {
	return harness.With(harness.Props(t, "everything"), "RoleName", "gt-update", "UseManagedPolicy", "true")
}

func updateTo(t *testing.T) map[string]any {
	return harness.With(updateFrom(t),
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

func TestUpdateFaultOnEveryWriteThenRollback(t *testing.T) {
	t.Parallel()
	from, to := updateFrom(t), updateTo(t)
	h, rt := fresh(t, 30*time.Second)
	name := mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: from})).PhysicalResourceID
	h.Proxy.Reset()
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: name, Props: to, OldProps: from}))
	assertRole(t, h, desired(t, to, name))
	writes := h.Proxy.WriteCalls()
	t.Logf("Update writes: %v", writes)
	for _, want := range []string{"UpdateAssumeRolePolicy", "PutRolePolicy", "DeleteRolePolicy", "DetachRolePolicy", "TagRole", "UntagRole", "UpdateRole", "PutRolePermissionsBoundary"} {
		if h.Proxy.Count(want) == 0 {
			t.Errorf("the Update made no %s call; the fault sweep would not cover it", want)
		}
	}
	for _, c := range writes {
		t.Run(c.String(), func(t *testing.T) {
			t.Parallel()
			h, rt := fresh(t, 30*time.Second)
			mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: from}))
			h.Proxy.Add(faultproxy.FailCall(c))
			failed := mustFail(t, send(t, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: name, Props: to, OldProps: from}), "LimitExceeded")
			if failed.PhysicalResourceID != name {
				t.Errorf("failed Update answered physical id %q, want %q", failed.PhysicalResourceID, name)
			}
			h.Proxy.Reset()
			// CloudFormation rolls back with an Update carrying the old properties.
			mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: name, Props: from, OldProps: to}))
			assertRole(t, h, desired(t, from, name))
			mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: name, Props: from}))
			if got := roleNames(t, h); len(got) != 0 {
				t.Errorf("roles left: %v", got)
			}
		})
	}
}

func TestDeleteFaultOnEveryWriteThenRetry(t *testing.T) {
	t.Parallel()
	p := createProps(t)
	h, rt := fresh(t, 30*time.Second)
	name := mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: p})).PhysicalResourceID
	h.Proxy.Reset()
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: name, Props: p}))
	writes := h.Proxy.WriteCalls()
	t.Logf("Delete writes: %v", writes)
	for _, c := range writes {
		t.Run(c.String(), func(t *testing.T) {
			t.Parallel()
			h, rt := fresh(t, 30*time.Second)
			mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: p}))
			h.Proxy.Add(faultproxy.FailCall(c))
			mustFail(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: name, Props: p}), "LimitExceeded")
			h.Proxy.Reset()
			mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: name, Props: p}))
			if got := roleNames(t, h); len(got) != 0 {
				t.Errorf("roles left after the retried Delete: %v", got)
			}
		})
	}
}

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

func TestIAMHangingAnswersBeforeTheDeadline(t *testing.T) {
	t.Parallel()
	const timeout = 8 * time.Second
	h, rt := fresh(t, timeout)
	h.Proxy.Add(faultproxy.Rule{Action: "CreateRole", Kind: faultproxy.Hang})
	d := send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: harness.Props(t, "non-streaming")})
	mustFail(t, d, "timed out")
	if d.Invocation.Error != nil {
		t.Errorf("the invocation failed instead of answering: %v", d.Invocation.Error)
	}
	if d.Invocation.Elapsed >= timeout || !time.Now().Before(d.Invocation.Deadline) {
		t.Errorf("answered after %s, the Lambda deadline was %s", d.Invocation.Elapsed, timeout)
	}
	if got := roleNames(t, h); len(got) != 0 {
		t.Errorf("roles left: %v", got)
	}
}

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

func TestDuplicateCreateMakesOneRole(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	req := harness.Request{Type: cfn.RequestCreate, RequestID: "5d7a8f4e-0000-4000-8000-00000000dup1", Props: harness.Props(t, "non-streaming")}
	first := mustSucceed(t, send(t, h, rt, req))
	second := mustSucceed(t, send(t, h, rt, req))
	if first.PhysicalResourceID != second.PhysicalResourceID {
		t.Errorf("re-delivered Create answered %s then %s", first.PhysicalResourceID, second.PhysicalResourceID)
	}
	if got := roleNames(t, h); len(got) != 1 {
		t.Errorf("IAM holds %v after a re-delivered Create, want one role", got)
	}
}

func TestNoOpUpdateMakesNoWrites(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	p := harness.Props(t, "everything")
	name := mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: p})).PhysicalResourceID
	h.Proxy.Reset()
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: name, Props: p, OldProps: p}))
	if w := h.Proxy.WriteCalls(); len(w) != 0 {
		t.Errorf("a no-op Update wrote %v", w)
	}
}

func TestAnswersStayUnder4KB(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	var buckets []any
	for i := range 300 {
		buckets = append(buckets, fmt.Sprintf("Bad_Bucket_Name_%03d", i))
	}
	d := send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: map[string]any{"InputBuckets": buckets, "OutputBuckets": buckets}})
	mustFail(t, d, "InputBuckets[0]", "truncated")
	if len(d.Body) > 4096 {
		t.Errorf("response body is %d bytes, CloudFormation accepts 4096", len(d.Body))
	}
}

func TestResponseURLNeverLogged(t *testing.T) {
	t.Parallel()
	h := pool.Get(t)
	rt, err := h.Runtime(t.Context(), runtimeapi.Options{Timeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	d := send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: map[string]any{"InputBuckets": []any{"x"}}})
	mustFail(t, d)
	if _, err := rt.Stop(); err != nil {
		t.Fatal(err)
	}
	logs := rt.Logs()
	if logs == "" {
		t.Fatal("the provider wrote no logs")
	}
	url := d.Event.ResponseURL
	for _, secret := range []string{url, url[len(url)/2:], queryParam(url, "X-Amz-Signature"), queryParam(url, "X-Amz-Credential")} {
		if secret != "" && contains(logs, secret) {
			t.Errorf("the logs contain the response URL's secret part %q", secret)
		}
	}
}
