package runtimeapi

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/test/buildlock"
)

// Build compiles the Go package pkg (an import path or ./dir) for Lambda,
// static and with -tags lambda.norpc, into dir/bootstrap and returns its path.
// Builds from parallel test packages take turns (buildlock), so a cold cache
// compiles the provider once.
func Build(ctx context.Context, pkg, dir string) (string, error) {
	out := filepath.Join(dir, "bootstrap")
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", "lambda.norpc", "-trimpath", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	err := buildlock.Do(ctx, func() error {
		if msg, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %w\n%s", pkg, err, msg)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return out, nil
}

// StartT starts a runtime for one test, stops it at cleanup, and prints the
// function's logs if the test failed.
func StartT(t testing.TB, opts Options) *Runtime {
	t.Helper()
	r, err := Start(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := r.Stop(); err != nil {
			t.Errorf("stop runtime: %v", err)
		}
		if t.Failed() {
			t.Logf("function logs:\n%s", r.Logs())
		}
	})
	return r
}
