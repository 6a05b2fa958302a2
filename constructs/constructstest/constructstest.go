// Package constructstest holds what the tests of the jsii construct library and of the TypeScript example share:
// running npm the way a user does, and checking that a synthesized provider asset is the shipped Lambda zip.
package constructstest

import (
	"archive/zip"
	"bytes"
	"debug/elf"
	"io"
	"os"
	"os/exec"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/internal/bundle"
)

// NeedNode skips the test when Node.js is missing: the construct library and the example need it.
func NeedNode(t testing.TB) {
	t.Helper()
	for _, tool := range []string{"node", "npm", "npx"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed; the construct library needs Node.js", tool)
		}
	}
}

// Run runs name with args in dir, with env added to the test's environment, and fails the test with the
// command's output when it fails.
func Run(t testing.TB, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), append([]string{"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20"}, env...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v (in %s): %v\n%s", name, args, dir, err, out)
	}
	return string(out)
}

// CheckProviderZip fails the test unless data is the provider's Lambda bundle: one executable `bootstrap`, an
// arm64 Linux binary (the architecture the constructs declare).
func CheckProviderZip(t testing.TB, data []byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("provider asset is not a zip: %v", err)
	}
	if len(zr.File) != 1 || zr.File[0].Name != bundle.BinaryName {
		t.Fatalf("provider zip holds %d entries (first %q), want only %q", len(zr.File), zr.File[0].Name, bundle.BinaryName)
	}
	f := zr.File[0]
	if f.Mode().Perm() != 0o755 {
		t.Errorf("%s has mode %v, want 0755", f.Name, f.Mode())
	}
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	bin, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	exe, err := elf.NewFile(bytes.NewReader(bin))
	if err != nil {
		t.Fatalf("%s is not an ELF binary: %v", f.Name, err)
	}
	if exe.Machine != elf.EM_AARCH64 || exe.OSABI != elf.ELFOSABI_NONE && exe.OSABI != elf.ELFOSABI_LINUX {
		t.Errorf("%s is %v/%v, want a linux/arm64 binary", f.Name, exe.Machine, exe.OSABI)
	}
}
