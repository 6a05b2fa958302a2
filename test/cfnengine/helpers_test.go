package cfnengine

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// stack starts a stack for one test on a harness of its own with an empty IAM; on failure the test logs every
// request and the provider's logs.
func stack(t *testing.T, cfg Config) *Engine {
	t.Helper()
	e, err := New(t.Context(), pool.Get(t), cfg)
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

// asDeclared fails the test unless IAM holds name as props declare it.
func asDeclared(t *testing.T, e *Engine, name string, props map[string]any, what string) {
	t.Helper()
	diffs, _, err := e.roleDiff(t.Context(), name, props)
	mustOK(t, err)
	for _, d := range diffs {
		t.Errorf("%s: %s", what, d)
	}
}

// mustOK fails the test on an infrastructure error of an operation.
func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// shortTimeout is the Lambda timeout of the deadline cases: long enough for a Create, short for the suite.
const shortTimeout = 8 * time.Second
