package reconcile

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPureTestsNeedNoMoto runs this package's pure tests (TestDiff…) with every directory that holds moto_server
// taken off PATH: they must still pass, since moto starts only for the tests that use it. The rest of PATH stays,
// so the child builds with the same C toolchain as this test and reuses its build cache.
func TestPureTestsNeedNoMoto(t *testing.T) {
	var kept []string
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(dir, "moto_server")); err == nil {
			continue
		}
		kept = append(kept, dir)
	}
	path := strings.Join(kept, string(os.PathListSeparator))
	cmd := exec.Command("go", "test", "-count=1", "-run", "^TestDiff", ".")
	cmd.Env = append(os.Environ(), "PATH="+path)
	if cmd.Err != nil {
		t.Fatal(cmd.Err)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test -run ^TestDiff without moto_server on PATH: %v\n%s", err, out)
	}
	if !strings.HasPrefix(string(out), "ok") {
		t.Fatalf("unexpected go test output:\n%s", out)
	}
}
