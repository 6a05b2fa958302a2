package harness

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/test/runtimeapi"
)

// Main builds the provider binary for pool, runs the package's tests and stops every harness they started; it
// returns their exit code. A test package's TestMain calls it: os.Exit(harness.Main(m, &pool)).
func Main(m *testing.M, pool *Pool) int {
	dir, err := os.MkdirTemp("", "gtrole-provider-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary, err := runtimeapi.Build(context.Background(), "github.com/gtrole/groundtruth-execution-role/lambda/cmd/bootstrap", dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	pool.binary, pool.held = binary, map[string]*Harness{}
	code := m.Run()
	if err := pool.close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		if code == 0 {
			code = 1
		}
	}
	return code
}
