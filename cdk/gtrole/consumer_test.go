package gtrole_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/test/buildlock"

	"github.com/gtrole/groundtruth-execution-role/internal/bundle"
)

// consumerMain is a CDK app in another Go module that leaves ServiceToken nil, as a new user's would.
const consumerMain = `package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"

	"github.com/gtrole/groundtruth-execution-role/cdk/gtrole"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Labeling"), nil)
	data := awss3.Bucket_FromBucketName(stack, jsii.String("Data"), jsii.String("my-labeling-data"))
	gtrole.NewGroundTruthExecutionRole(stack, "LabelingRole", &gtrole.Props{
		InputBuckets:  []gtrole.BucketAccess{{Bucket: data, Prefix: jsii.String("input/")}},
		OutputBuckets: []gtrole.BucketAccess{{Bucket: data, Prefix: jsii.String("labels/")}},
	})
	app.Synth(nil)
}
`

// TestConstructBuildsProviderInAnotherModule synthesizes a temporary consumer module (a replace directive points at
// this repository) whose role has no ServiceToken: the construct must build the provider from source, so the
// Lambda's asset holds an executable bootstrap and is keyed by the source hash.
func TestConstructBuildsProviderInAnotherModule(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles a CDK app and the provider")
	}
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	consumer := t.TempDir()
	goMod := "module example.com/labeling\n\ngo 1.26.0\n\nrequire github.com/gtrole/groundtruth-execution-role v0.0.0\n\n" +
		"replace github.com/gtrole/groundtruth-execution-role => " + repo + "\n"
	sums, err := os.ReadFile(filepath.Join(repo, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"go.mod": []byte(goMod), "go.sum": sums, "main.go": []byte(consumerMain)} {
		if err := os.WriteFile(filepath.Join(consumer, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	outdir := filepath.Join(consumer, "cdk.out")
	key := synthConsumer(t, consumer, outdir)
	hash := strings.TrimSuffix(key, ".zip")
	// The key is CDK's hash of the source hash and the bundling options: the same source, the same key.
	if again := synthConsumer(t, consumer, filepath.Join(consumer, "cdk.out.again")); again != key {
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

// synthConsumer runs the consumer app into outdir and returns the S3 key of its one Lambda function's code.
func synthConsumer(t *testing.T, consumer, outdir string) string {
	t.Helper()
	cmd := exec.Command("go", "run", ".")
	cmd.Dir = consumer
	// GOFLAGS=-mod=mod lets go record the requirements the consumer's go.mod does not list; GOPROXY and the module
	// cache come from the environment.
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "CDK_OUTDIR="+outdir, "TMPDIR="+t.TempDir(),
		"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20")
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
	raw, err := os.ReadFile(filepath.Join(outdir, "Labeling.template.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tpl struct {
		Resources map[string]struct {
			Type       string
			Properties struct {
				Code struct{ S3Key any }
			}
		}
	}
	if err := json.Unmarshal(raw, &tpl); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, r := range tpl.Resources {
		if r.Type == "AWS::Lambda::Function" {
			key, _ := r.Properties.Code.S3Key.(string)
			keys = append(keys, key)
		}
	}
	if len(keys) != 1 {
		t.Fatalf("the consumer stack has %d Lambda functions (S3 keys %q), want the one provider", len(keys), keys)
	}
	return keys[0]
}
