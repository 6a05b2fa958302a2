package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/internal/version"
	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
	"github.com/gtrole/groundtruth-execution-role/test/harness"
	"github.com/gtrole/groundtruth-execution-role/test/runtimeapi"
)

// TestEveryRequestLogLineCarriesTheRequestIds: every log line of a request, the IAM writes, the replacement and the
// cleanup included, carries the request's ids.
func TestEveryRequestLogLineCarriesTheRequestIds(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	a := harness.With(harness.Props(t, "non-streaming"), "RoleName", "gt-log-a")
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: a}))
	h.Proxy.Add(faultproxy.FailNth("PutRolePolicy", 1, http.StatusConflict, "LimitExceeded"))
	mustFail(t, send(t, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: "gt-log-a", Props: harness.With(a, "RoleName", "gt-log-b"), OldProps: a}))
	seen := map[string]bool{}
	for _, line := range strings.Split(rt.Logs(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) != nil || rec["msg"] == nil {
			continue
		}
		msg, _ := rec["msg"].(string)
		if len(seen) == 0 && msg != "request received" {
			continue // the process's start-up lines belong to no request
		}
		seen[msg] = true
		for _, k := range []string{"RequestId", "StackId", "LogicalResourceId", "RequestType"} {
			if v, _ := rec[k].(string); v == "" {
				t.Errorf("log line %q has no %s", msg, k)
			}
		}
	}
	for _, msg := range []string{"iam write", "update replaces the role", "create failed; removing the role it created"} {
		if !seen[msg] {
			t.Errorf("no %q line logged; the check above did not cover it", msg)
		}
	}
}

// TestResponseURLNeverLogged: the ResponseURL is a bearer credential; no part of it reaches the logs.
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

// TestStartLogNamesVersion checks that the provider logs its version once, as one JSON line, when it starts.
func TestStartLogNamesVersion(t *testing.T) {
	t.Parallel()
	_, rt := fresh(t, 10*time.Second)
	// The child's output reaches the buffer through a pipe: wait for the line rather than race it.
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := rt.WaitLog(ctx, `"msg":"provider starting"`); err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, line := range strings.Split(rt.Logs(), "\n") {
		var entry struct {
			Msg     string `json:"msg"`
			Version string `json:"version"`
		}
		if json.Unmarshal([]byte(line), &entry) != nil || entry.Version == "" {
			continue
		}
		found++
		if entry.Version != version.Version {
			t.Errorf("start log names version %q, want %q: %s", entry.Version, version.Version, line)
		}
	}
	if found != 1 {
		t.Errorf("%d log lines name a version, want 1:\n%s", found, rt.Logs())
	}
}
