package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/gtrole/groundtruth-execution-role/cdk/gtrole"
	"github.com/gtrole/groundtruth-execution-role/cdk/internal/cdktest"
	"github.com/gtrole/groundtruth-execution-role/cdk/provider"
)

// cliSynthTimeout bounds the CLI run, which compiles the Go app once (`go run ./cdk`).
const cliSynthTimeout = 10 * time.Minute

// manifest is the part of the cloud assembly manifest the test reads.
type manifest struct {
	Artifacts map[string]struct {
		Type       string `json:"type"`
		Properties struct {
			TemplateFile string `json:"templateFile"`
		} `json:"properties"`
	} `json:"artifacts"`
}

// TestCLISynth runs the pinned CDK CLI from package.json the way `make synth` does and checks the
// cloud assembly. When build/bootstrap.zip is absent it passes a placeholder bundle with -c codePath.
func TestCLISynth(t *testing.T) {
	for _, tool := range []string{"node", "npm", "npx"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed; the CDK CLI needs Node.js, skipping the CLI synth test", tool)
		}
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatalf("repo root: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), cliSynthTimeout)
	defer cancel()
	run := func(name string, args ...string) {
		t.Helper()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(),
			"AWS_EC2_METADATA_DISABLED=true", // no credential probing: the stacks are environment-agnostic
			"CDK_DISABLE_CLI_TELEMETRY=true",
			"JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1",
		)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "node_modules", "aws-cdk", "package.json")); err != nil {
		run("npm", "ci", "--no-audit", "--no-fund")
	}

	out := t.TempDir()
	args := []string{"--no-install", "cdk", "synth", "--quiet", "--no-notices", "-o", out}
	code := filepath.Join(root, "build", "bootstrap.zip") // what `make synth` passes
	if _, err := os.Stat(code); err != nil {
		code = cdktest.PlaceholderZip(t, t.TempDir())
	}
	args = append(args, "-c", provider.CodePathContextKey+"="+code)
	run("npx", args...)

	raw, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatalf("read manifest: %v", err)
	}
	var m manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("decode manifest: %v", err)
	}
	want := map[string]map[string]int{
		providerStackName: {"AWS::Lambda::Function": 1, "AWS::IAM::Role": 1, "AWS::Logs::LogGroup": 1},
		examplesStackName: {gtrole.ResourceType: 5, "AWS::S3::Bucket": 4, "AWS::SNS::Topic": 2, "AWS::KMS::Key": 2},
	}
	for stack, types := range want {
		a, ok := m.Artifacts[stack]
		if !ok || a.Type != "aws:cloudformation:stack" {
			t.Errorf("manifest has no stack artifact %s", stack)
			continue
		}
		body, err := os.ReadFile(filepath.Join(out, a.Properties.TemplateFile))
		if err != nil {
			t.Errorf("template of %s: %v", stack, err)
			continue
		}
		var tpl templateResources
		if err := json.Unmarshal(body, &tpl); err != nil {
			t.Errorf("decode template of %s: %v", stack, err)
			continue
		}
		counts := tpl.countTypes()
		for typ, n := range types {
			if counts[typ] != n {
				t.Errorf("%s: %d %s, want %d", stack, counts[typ], typ, n)
			}
		}
	}
}
