package cfnengine

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gtrole/groundtruth-execution-role/lambda/propfile"
	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
)

// stack starts a stack for one test on an empty IAM; on failure the test logs every request and the provider's
// logs. moto is reset only when a role is left over: a reset makes moto reload AWS's managed policies, the
// costliest step of a short test.
func stack(t *testing.T, cfg Config) *Engine {
	t.Helper()
	h.Proxy.Reset()
	h.Authz.Reset()
	if names, err := h.RoleNames(t.Context()); err != nil || len(names) > 0 {
		if err := h.Reset(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	e, err := New(t.Context(), h, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("requests:\n%s\nprovider logs (last process):\n%s", trace(e), e.Logs())
		}
		if err := e.Close(); err != nil {
			t.Errorf("stop runtime: %v", err)
		}
	})
	return e
}

func trace(e *Engine) string {
	var b strings.Builder
	for _, s := range e.Steps {
		fmt.Fprintln(&b, "  ", s)
	}
	return b.String()
}

// check fails the test with every invariant violation after an operation.
func check(t *testing.T, e *Engine, after string, allowDenied ...string) {
	t.Helper()
	v, err := e.Check(t.Context(), allowDenied...)
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range v {
		t.Errorf("after %s: %s", after, msg)
	}
}

// mustOK fails the test on an infrastructure error of an operation.
func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func props(t testing.TB, scenario string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("../testdata/properties", scenario+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := propfile.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// with copies base and sets (or, for nil, removes) the given keys.
func with(base map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
			continue
		}
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// call is the nth call of an IAM action within one request.
type call struct {
	action string
	nth    int
}

func (c call) String() string { return fmt.Sprintf("%s#%d", c.action, c.nth) }

// writeCalls lists the IAM writes the proxy saw, numbering repeated actions.
func writeCalls() []call {
	seen := map[string]int{}
	var out []call
	for _, r := range h.Proxy.Writes() {
		seen[r.Action]++
		out = append(out, call{r.Action, seen[r.Action]})
	}
	return out
}

// injected fails one IAM call with an error the SDK does not retry.
func injected(c call) faultproxy.Rule {
	return faultproxy.FailNth(c.action, c.nth, http.StatusConflict, "LimitExceeded")
}

// shortTimeout is the Lambda timeout of the deadline cases: long enough for a Create, short for the suite.
const shortTimeout = 8 * time.Second
