package cdktest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestCDKTestsLeaveNoTempFiles runs each CDK test package's quickest synthesizing test in a child `go test` with a
// temporary directory of its own, and checks that nothing is left in it afterwards (the jsii runtime unpacks
// about 2.3 MB there per test binary).
func TestCDKTestsLeaveNoTempFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child go test processes")
	}
	tests := []struct{ pkg, run string }{
		{"../../gtrole", "^TestAttributesAreGetAtts$"},
		{"../../provider", "^TestProviderCodePathFromContext$"},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.pkg), func(t *testing.T) {
			tmp := t.TempDir()
			cmd := exec.Command("go", "test", "-count=1", "-run", tt.run, tt.pkg)
			cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("go test %s: %v\n%s", tt.pkg, err, out)
			}
			left, err := os.ReadDir(tmp)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range left {
				t.Errorf("left behind in the temp directory: %s", e.Name())
			}
		})
	}
}
