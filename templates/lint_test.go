package templates

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// lintFinding is the part of a cfn-lint JSON finding the test reports.
type lintFinding struct {
	Filename string
	Level    string
	Message  string
	Rule     struct {
		ID string `json:"Id"`
	}
	Location struct {
		Start struct{ LineNumber int }
	}
}

// TestCfnLint fails on any cfn-lint error or warning in templates/*.yaml in any of four Regions; informational
// findings are allowed.
func TestCfnLint(t *testing.T) {
	bin, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Skip("cfn-lint not on PATH; install it (pip install cfn-lint) to lint the templates")
	}
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("glob templates: %v (found %d)", err, len(files))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// Every template is linted against the resource specifications of Regions of three partitions, as the
	// organization rollout deploys them (templates/org_test.go binds them in the same Regions).
	args := append([]string{"--format", "json", "--regions", "us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1", "--"}, files...)
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var exitErr *exec.ExitError
	if runErr != nil && !errors.As(runErr, &exitErr) {
		t.Fatalf("run cfn-lint: %v\n%s", runErr, stderr.String())
	}
	var findings []lintFinding
	if err := json.Unmarshal(stdout.Bytes(), &findings); err != nil {
		t.Fatalf("decode cfn-lint output: %v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	for _, f := range findings {
		switch f.Level {
		case "Informational":
			t.Logf("%s:%d: %s %s (informational)", f.Filename, f.Location.Start.LineNumber, f.Rule.ID, f.Message)
		default:
			t.Errorf("%s:%d: %s %s: %s", f.Filename, f.Location.Start.LineNumber, f.Level, f.Rule.ID, f.Message)
		}
	}
	// Exit status bits: 2 errors, 4 warnings, 8 informational; 1 means cfn-lint itself failed.
	if exitErr != nil && exitErr.ExitCode()&^8 != 0 && !t.Failed() {
		t.Fatalf("cfn-lint exited %d without reporting a finding\nstderr: %s", exitErr.ExitCode(), stderr.String())
	}
}
