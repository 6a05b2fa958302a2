package harness

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/test/runtimeapi"
)

// Main builds the provider binary, starts a Harness on it into *h, runs the package's tests and returns their exit
// code; a test package's TestMain calls it.
func Main(m *testing.M, h **Harness) int {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "gtrole-provider-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary, err := runtimeapi.Build(ctx, "github.com/gtrole/groundtruth-execution-role/lambda/cmd/bootstrap", dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	*h, err = Start(ctx, binary)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer (*h).Close()
	return m.Run()
}
