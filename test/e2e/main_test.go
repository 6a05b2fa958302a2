// Package e2e runs the compiled provider binary through CloudFormation's lifecycle: a Lambda Runtime API serves it,
// moto plays IAM and S3 behind a fault-injecting proxy, and every answer is read back from a pre-signed S3 URL.
package e2e

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/test/harness"
	"github.com/gtrole/groundtruth-execution-role/test/runtimeapi"
)

var h *harness.Harness

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "gtrole-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary, err := runtimeapi.Build(ctx, "github.com/gtrole/groundtruth-execution-role/lambda/cmd/bootstrap", dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	h, err = harness.Start(ctx, binary)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer h.Close()
	return m.Run()
}
