package cdktest

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCDKTestsLeaveNoTempFiles runs a CDK test package's quickest synthesizing test in a child `go test` with a
// temporary directory of its own, and checks that nothing is left in it afterwards (the jsii runtime unpacks
// about 2.3 MB there per test binary). Every CDK test package runs under the same Main, which
// TestEveryCDKTestPackageRunsUnderMain checks, so one package stands for all.
func TestCDKTestsLeaveNoTempFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a child go test process")
	}
	tmp := t.TempDir()
	cmd := exec.Command("go", "test", "-count=1", "-run", "^TestProviderCodePathFromContext$", "../../provider")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go test ../../provider: %v\n%s", err, out)
	}
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range left {
		t.Errorf("left behind in the temp directory: %s", e.Name())
	}
}

// TestEveryCDKTestPackageRunsUnderMain: each package under cdk/ whose tests use the jsii runtime (they import the
// CDK or jsii) has a TestMain that calls Main, which gives the runtime a temporary directory and removes it.
func TestEveryCDKTestPackageRunsUnderMain(t *testing.T) {
	uses, runsMain := map[string]bool{}, map[string]bool{}
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		dir := filepath.Dir(path)
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(p, "github.com/aws/aws-cdk-go/") || p == "github.com/aws/jsii-runtime-go" {
				uses[dir] = true
			}
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(src), "func TestMain(m *testing.M) { os.Exit(cdktest.Main(m)) }") {
			runsMain[dir] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(uses) < 3 {
		t.Fatalf("found %d CDK test packages (%v), want cdk, cdk/gtrole and cdk/provider at least", len(uses), uses)
	}
	for dir := range uses {
		if !runsMain[dir] {
			t.Errorf("%s: its tests use the jsii runtime but its TestMain does not call cdktest.Main", dir)
		}
	}
}
