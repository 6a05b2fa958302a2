package bundle

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
)

// Package is the import path of the provider's main package.
const Package = "github.com/gtrole/groundtruth-execution-role/lambda/cmd/bootstrap"

// BinaryName is the executable the provided.al2023 runtime starts.
const BinaryName = "bootstrap"

// DefaultArch is the Lambda architecture the provider is built for.
const DefaultArch = "arm64"

// Flags are the `go build` flags of the shipped binary: no RPC shim (provided runtime), no paths, no VCS stamp
// (a clone and a module zip of one source give the same binary), no build id, no symbol tables, so the same
// source gives the same bytes.
var Flags = []string{"-tags", "lambda.norpc", "-trimpath", "-buildvcs=false", "-ldflags=-s -w -buildid="}

// Env is the environment `go build` runs with for a Lambda of the given architecture, on top of the caller's.
func Env(arch string) []string {
	return []string{"CGO_ENABLED=0", "GOOS=linux", "GOARCH=" + arch}
}

// Build runs `go build` for Package in moduleDir (this module's root, see ModuleDir) as the main module, writing
// the binary to out.
func Build(ctx context.Context, moduleDir, arch, out string) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	args := append(append([]string{"build", ModFlag}, Flags...), "-o", abs, Package)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = moduleDir
	cmd.Env = append(moduleEnv(), Env(arch)...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %v (in %s): %w\n%s", args, moduleDir, err, msg)
	}
	return nil
}
