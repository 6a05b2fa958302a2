package main

import (
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/test/runtimeapi"
)

// maxInitAllocs bounds the heap allocations of any one of this module's packages at init. Allocation counts do not
// depend on the machine's speed; compiling the spec package's regular expressions at init took 9,673.
const maxInitAllocs = 200

// initLine is a GODEBUG=inittrace=1 line: "init PKG @T ms, D ms clock, B bytes, N allocs".
var initLine = regexp.MustCompile(`^init (\S+) @.* (\d+) bytes, (\d+) allocs$`)

// TestCheapInit runs the compiled Lambda with GODEBUG=inittrace=1 until its first Runtime API poll fails and checks
// that none of the module's packages does expensive work at init, which every cold start would pay for.
func TestCheapInit(t *testing.T) {
	bin, err := runtimeapi.Build(t.Context(), ".", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	run := exec.Command(bin)
	run.Env = []string{"GODEBUG=inittrace=1", "HOME=" + t.TempDir(), "AWS_LAMBDA_RUNTIME_API=127.0.0.1:1", "AWS_REGION=us-east-1"}
	out, _ := run.CombinedOutput() // it exits non-zero once the poll is refused
	const module = "github.com/gtrole/groundtruth-execution-role/"
	seen := 0
	for _, line := range strings.Split(string(out), "\n") {
		m := initLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		seen++
		if !strings.HasPrefix(m[1], module) {
			continue
		}
		if allocs, _ := strconv.Atoi(m[3]); allocs > maxInitAllocs {
			t.Errorf("%s allocates %d times (%s bytes) at init, want at most %d: defer the work to first use", m[1], allocs, m[2], maxInitAllocs)
		}
	}
	if seen == 0 {
		t.Fatalf("no inittrace lines in the output:\n%s", out)
	}
}
