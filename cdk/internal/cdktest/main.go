package cdktest

import (
	"fmt"
	"os"
	"testing"

	"github.com/aws/jsii-runtime-go"
)

// Main runs a CDK test package's tests with its own temporary directory, stops the jsii runtime (which removes the
// runtime it unpacked there) and removes the directory, so a test run leaves nothing in the system temp directory.
// It returns the exit code: func TestMain(m *testing.M) { os.Exit(cdktest.Main(m)) }.
func Main(m *testing.M) int {
	dir, err := os.MkdirTemp("", "gtrole-cdk-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	// The jsii runtime and the Node.js process it starts take their temporary directory from TMPDIR.
	if err := os.Setenv("TMPDIR", dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer jsii.Close()
	return m.Run()
}
