package reconcile

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPureTestsNeedNoMoto runs this package's pure tests (TestDiff…) with a PATH that holds only the go command:
// without moto_server they must still pass, since moto starts only for the tests that use it.
func TestPureTestsNeedNoMoto(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	if err := os.Symlink(goBin, filepath.Join(bin, "go")); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(bin, "go"), "test", "-count=1", "-run", "^TestDiff", ".")
	cmd.Env = append(os.Environ(), "PATH="+bin)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test -run ^TestDiff without moto_server on PATH: %v\n%s", err, out)
	}
	if !strings.HasPrefix(string(out), "ok") {
		t.Fatalf("unexpected go test output:\n%s", out)
	}
}
