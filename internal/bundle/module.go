package bundle

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Module is the path of this project's Go module, the one that holds Package.
const Module = "github.com/gtrole/groundtruth-execution-role"

// ModuleDir is the directory of Module as the module at dir resolves it: the module cache's copy of the version
// dir requires (a module zip holds the module's own go.mod and go.sum), the target of a replace directive, or dir's
// own module when it is this one. The provider is built there, as its own main module, so its dependencies are
// resolved and verified by its own go.sum: a consumer's go.sum after `go mod tidy` lists only what the packages it
// imports need, which leaves out the Lambda's (aws-lambda-go, the IAM client).
func ModuleDir(ctx context.Context, dir string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "list", "-m", "-json", Module)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go list -m %s (in %s): %w\n%s", Module, dir, err, stderr.String())
	}
	var m struct{ Path, Version, Dir string }
	if err := json.Unmarshal(out, &m); err != nil {
		return "", fmt.Errorf("decode go list -m output: %w", err)
	}
	if m.Dir == "" {
		return "", fmt.Errorf("%s %s is required by the module at %s but not in the module cache: run `go mod download %s`", Module, m.Version, dir, Module)
	}
	return m.Dir, nil
}

// PackageDir is the directory of Package inside moduleDir.
func PackageDir(moduleDir string) string {
	return filepath.Join(moduleDir, filepath.FromSlash(strings.TrimPrefix(Package, Module+"/")))
}

// moduleEnv is the environment of a go command run in moduleDir as the main module, on top of the caller's: a
// consumer's go.work does not apply. Such commands also take -mod=readonly (ModFlag): go.mod and go.sum are only
// read (a module cache copy is read-only, and a GOFLAGS=-mod=mod of the caller's would try to write them).
func moduleEnv() []string { return append(os.Environ(), "GOWORK=off") }

// ModFlag is the go command flag that keeps go.mod and go.sum as they are; a flag on the command line overrides
// GOFLAGS without replacing the rest of it.
const ModFlag = "-mod=readonly"
