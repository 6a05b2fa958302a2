// Command bundle builds the provider Lambda as shipped: `go build` for linux with the project's flags, then a
// reproducible zip. `make build` runs it.
//
//	go run ./tools/bundle [-arch arm64] [-out build] [-name bootstrap.zip]
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gtrole/groundtruth-execution-role/internal/bundle"
)

func main() {
	arch := flag.String("arch", bundle.DefaultArch, "Lambda architecture: arm64 or amd64")
	out := flag.String("out", "build", "directory for the binary and the zip")
	name := flag.String("name", "bootstrap.zip", "file name of the zip inside -out")
	flag.Parse()
	if err := run(context.Background(), *arch, *out, *name); err != nil {
		fmt.Fprintf(os.Stderr, "bundle: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, arch, out, name string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	binary := filepath.Join(out, bundle.BinaryName)
	if err := bundle.Build(ctx, ".", arch, binary); err != nil {
		return err
	}
	data, err := os.ReadFile(binary)
	if err != nil {
		return err
	}
	var zipped bytes.Buffer
	if err := bundle.Zip(&zipped, data); err != nil {
		return err
	}
	zipPath := filepath.Join(out, name)
	if err := os.WriteFile(zipPath, zipped.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Printf("%s (%d bytes), %s (%d bytes)\n", binary, len(data), zipPath, zipped.Len())
	return nil
}
