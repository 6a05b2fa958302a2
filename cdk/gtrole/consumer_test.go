package gtrole_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/internal/bundle"
	"github.com/gtrole/groundtruth-execution-role/test/buildlock"
	"github.com/gtrole/groundtruth-execution-role/test/modproxy"
)

// readmeExample is the Go program of the README's "Using the construct from another Go CDK app", verbatim.
func readmeExample(t *testing.T, readme string) string {
	t.Helper()
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "### Using the construct from another Go CDK app")
	if !ok {
		t.Fatal("README has no section on using the construct from another Go CDK app")
	}
	_, block, ok := strings.Cut(section, "```go\n")
	if !ok {
		t.Fatal("that README section has no Go block")
	}
	block, _, _ = strings.Cut(block, "```")
	if !strings.HasPrefix(block, "package main\n") || strings.Contains(block, "ServiceToken:") && !strings.Contains(block, "// ServiceToken:") {
		t.Fatalf("the README's Go example is not a main package that leaves ServiceToken nil:\n%s", block)
	}
	return block
}

// TestConstructBuildsProviderInAnotherModule does what a new user of the construct does, from nothing: a new module,
// `go get` of this module, the README's example as main.go, `go mod tidy`, and a synth with no ServiceToken, so the
// construct builds the provider from source. Nothing is copied from this repository into the consumer (no go.sum,
// no GOFLAGS). The module reaches the consumer as a published one would: test/modproxy serves the module zip that
// golang.org/x/mod/zip makes of this tree from a file:// GOPROXY, so `go` downloads, verifies and extracts it into
// the module cache (read-only, outside the repository), and the provider is built from that copy. A `replace`
// directive to this checkout would be friendlier than what a user has: the module's directory would be the
// repository, with its git metadata and whatever lies around in it. The only allowance is GONOSUMDB for this one
// module, which the checksum database has not seen.
func TestConstructBuildsProviderInAnotherModule(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles a CDK app and the provider")
	}
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	mod := modproxy.Serve(t, repo)
	consumer := t.TempDir()
	env := append(mod.Env(), "TMPDIR="+t.TempDir(), "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20")
	goCmd(t, consumer, env, "mod", "init", "example.com/labeling")
	goCmd(t, consumer, env, "get", mod.Path+"@"+mod.Version)
	if err := os.WriteFile(filepath.Join(consumer, "main.go"), []byte(readmeExample(t, filepath.Join(repo, "README.md"))), 0o644); err != nil {
		t.Fatal(err)
	}
	goCmd(t, consumer, env, "mod", "tidy")

	outdir := filepath.Join(consumer, "cdk.out")
	key := synthConsumer(t, consumer, env, outdir)
	hash := strings.TrimSuffix(key, ".zip")
	// The key is CDK's hash of the source hash and the bundling options: the same source, the same key.
	if again := synthConsumer(t, consumer, env, filepath.Join(consumer, "cdk.out.again")); again != key {
		t.Errorf("two synths of the same source give asset keys %s and %s", key, again)
	}

	binary := filepath.Join(outdir, "asset."+hash, bundle.BinaryName)
	info, err := os.Stat(binary)
	if err != nil {
		t.Fatalf("the provider asset holds no %s: %v", bundle.BinaryName, err)
	}
	if info.Mode()&0o111 == 0 || info.Size() < 1<<20 {
		t.Errorf("%s: mode %v, %d bytes; want an executable Go binary", binary, info.Mode(), info.Size())
	}
	if f, err := os.Open(binary); err == nil {
		head := make([]byte, 20)
		_, _ = f.Read(head)
		f.Close()
		// ELF, 64-bit, machine 0xB7 (AArch64) at offset 18: the linux/arm64 build Lambda runs.
		if string(head[:4]) != "\x7fELF" || head[18] != 0xB7 {
			t.Errorf("%s is not a linux/arm64 ELF binary (header % x)", binary, head)
		}
	}
}

// goCmd runs a go command in dir, as a user would type it.
func goCmd(t *testing.T, dir string, env []string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// synthConsumer runs the consumer app into outdir and returns the S3 key of its one Lambda function's code, after
// checking that the stack's one role names that function as its ServiceToken and the synth recorded no error.
func synthConsumer(t *testing.T, consumer string, env []string, outdir string) string {
	t.Helper()
	cmd := exec.Command("go", "run", ".")
	cmd.Dir = consumer
	cmd.Env = append(env, "CDK_OUTDIR="+outdir)
	// The app bundles the provider for arm64 as internal/bundle's tests do: take turns on the build cache.
	err := buildlock.Do(t.Context(), func() error {
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("synthesize the consumer app: %w\n%s", err, out)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if manifest, err := os.ReadFile(filepath.Join(outdir, "manifest.json")); err != nil {
		t.Fatal(err)
	} else if strings.Contains(string(manifest), `"aws:cdk:error"`) {
		t.Fatalf("the synth recorded an error (cdk synth would fail):\n%s", manifest)
	}
	raw, err := os.ReadFile(filepath.Join(outdir, "Labeling.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tpl struct {
		Resources map[string]struct {
			Type       string
			Properties struct {
				Code         struct{ S3Key any }
				ServiceToken struct {
					GetAtt []string `json:"Fn::GetAtt"`
				}
			}
		}
	}
	if err := json.Unmarshal(raw, &tpl); err != nil {
		t.Fatal(err)
	}
	var keys, functions, tokens []string
	for id, r := range tpl.Resources {
		switch r.Type {
		case "AWS::Lambda::Function":
			key, _ := r.Properties.Code.S3Key.(string)
			keys = append(keys, key)
			functions = append(functions, id)
		case "Custom::GroundTruthExecutionRole":
			tokens = append(tokens, strings.Join(r.Properties.ServiceToken.GetAtt, "."))
		}
	}
	if len(keys) != 1 {
		t.Fatalf("the consumer stack has %d Lambda functions (S3 keys %q), want the one provider", len(keys), keys)
	}
	if len(tokens) != 1 || tokens[0] != functions[0]+".Arn" {
		t.Errorf("the stack's roles have ServiceTokens %q, want the one role to name %s.Arn", tokens, functions[0])
	}
	return keys[0]
}
