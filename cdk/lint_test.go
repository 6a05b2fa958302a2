package main

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// TestTemplatesPassCfnLint synthesizes every stack of the app and lints the templates with cfn-lint.
// No rule is ignored: every error and warning fails the test.
func TestTemplatesPassCfnLint(t *testing.T) {
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Skip("cfn-lint is not installed (pip install cfn-lint); skipping template linting")
	}
	app, _ := newTestApp(t)
	assembly := app.Synth(nil)
	var templates []string
	for _, stack := range *assembly.Stacks() {
		templates = append(templates, filepath.Join(*assembly.Directory(), *stack.TemplateFile()))
	}
	if len(templates) != 2 {
		t.Fatalf("synthesized %d stack templates, want 2", len(templates))
	}
	out, err := exec.Command(lint, append([]string{"--format", "parseable"}, templates...)...).CombinedOutput()
	if err != nil {
		t.Errorf("cfn-lint %v: %v\n%s", templates, err, out)
	}
}
