package e2e

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
	"github.com/gtrole/groundtruth-execution-role/test/harness"
	"github.com/gtrole/groundtruth-execution-role/test/runtimeapi"
)

// fresh takes the test's harness from the pool, emptied, and starts the provider binary on it.
func fresh(t *testing.T, timeout time.Duration, env ...string) (*harness.Harness, *runtimeapi.Runtime) {
	t.Helper()
	h := pool.Get(t)
	rt, err := h.Runtime(t.Context(), runtimeapi.Options{Timeout: timeout}, env...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := rt.Stop(); err != nil {
			t.Errorf("stop runtime: %v", err)
		}
		if t.Failed() {
			t.Logf("provider logs:\n%s", rt.Logs())
		}
	})
	return h, rt
}

func send(t *testing.T, h *harness.Harness, rt *runtimeapi.Runtime, req harness.Request) *harness.Delivery {
	t.Helper()
	d, err := h.Send(t.Context(), rt, req)
	if err != nil {
		t.Fatalf("%s: %v", req.Type, err)
	}
	return d
}

func mustSucceed(t *testing.T, d *harness.Delivery) cfn.Response {
	t.Helper()
	if d.Response.Status != cfn.StatusSuccess {
		t.Fatalf("%s answered %s: %s", d.Event.RequestType, d.Response.Status, d.Response.Reason)
	}
	if d.Response.PhysicalResourceID == "" {
		t.Fatalf("%s answered an empty PhysicalResourceId", d.Event.RequestType)
	}
	return d.Response
}

func mustFail(t *testing.T, d *harness.Delivery, reasonHas ...string) cfn.Response {
	t.Helper()
	r := d.Response
	if r.Status != cfn.StatusFailed {
		t.Fatalf("%s answered %s, want FAILED", d.Event.RequestType, r.Status)
	}
	if r.PhysicalResourceID == "" {
		t.Errorf("FAILED answer has an empty PhysicalResourceId")
	}
	for _, want := range reasonHas {
		if !strings.Contains(r.Reason, want) {
			t.Errorf("Reason %q lacks %q", r.Reason, want)
		}
	}
	return r
}

// desired is the role the provider should have made for the properties, rendered as gtrole render does.
func desired(t *testing.T, p map[string]any, name string, env ...string) iamdoc.Role {
	t.Helper()
	r, err := harness.Desired(p, name, env...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// assertRole checks that IAM holds exactly the desired role, policies compared by meaning.
func assertRole(t *testing.T, h *harness.Harness, want iamdoc.Role) *harness.Role {
	t.Helper()
	got, err := h.Describe(t.Context(), want.RoleName)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range harness.RoleDiff(got, want) {
		t.Error(d)
	}
	return got
}

func roleNames(t *testing.T, h *harness.Harness) []string {
	t.Helper()
	names, err := h.RoleNames(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func actions(reqs []faultproxy.Request) []string {
	var out []string
	for _, r := range reqs {
		out = append(out, r.Action)
	}
	return out
}

func queryParam(rawURL, name string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return u.Query().Get(name)
}

func contains(haystack, needle string) bool { return strings.Contains(haystack, needle) }
