package bundle

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// listed is the part of `go list -json` output SourceHash reads.
type listed struct {
	ImportPath string
	Dir        string
	Standard   bool
	GoFiles    []string
	EmbedFiles []string
	Module     *struct{ Path, Version string }
}

// SourceHash is a SHA-256 (hex) of everything the binary for arch is built from, as built in moduleDir:
// the Go version, the flags, and the import path, module version and file contents of every non-standard package
// Package depends on, resolved by moduleDir's go.mod (this module's root, see ModuleDir). Equal hashes mean equal binaries, so it keys the construct's asset cache.
func SourceHash(ctx context.Context, moduleDir, arch string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "list", ModFlag, "-deps", "-json=ImportPath,Dir,Standard,GoFiles,EmbedFiles,Module",
		"-tags", "lambda.norpc", Package)
	cmd.Dir = moduleDir
	cmd.Env = append(moduleEnv(), Env(arch)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go list -deps %s (in %s): %w\n%s", Package, moduleDir, err, stderr.String())
	}
	version, err := exec.CommandContext(ctx, "go", "env", "GOVERSION").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOVERSION: %w", err)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%s\n", strings.TrimSpace(string(version)), strings.Join(Env(arch), " "), strings.Join(Flags, " "))
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p listed
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return "", fmt.Errorf("decode go list output: %w", err)
		}
		if p.Standard {
			continue
		}
		fmt.Fprintf(h, "package %s\n", p.ImportPath)
		if p.Module != nil {
			fmt.Fprintf(h, "module %s %s\n", p.Module.Path, p.Module.Version)
		}
		for _, name := range append(append([]string{}, p.GoFiles...), p.EmbedFiles...) {
			if err := hashFile(h, filepath.Join(p.Dir, name), name); err != nil {
				return "", err
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashFile adds a file's name, length and content to h.
func hashFile(h io.Writer, path, name string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("hash source: %w", err)
	}
	fmt.Fprintf(h, "file %s %d\n", name, len(data))
	_, err = h.Write(data)
	return err
}
