package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/internal/version"
	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const properties = "../../../test/testdata/properties"

func noEnv(string) string { return "" }

func TestRenderGolden(t *testing.T) {
	tests := []struct {
		scenario string
		args     []string
		env      map[string]string // provider settings; nil: the defaults
	}{
		{"non-streaming", nil, nil},
		{"streaming", nil, nil},
		{"custom-workflow", nil, nil},
		{"automated-labeling", nil, nil},
		{"kms", nil, nil},
		{"everything", nil, nil},
		// The role in account 210987654321, its resources in 123456789012: a data-lake account the provider allows.
		{"aws-cn", []string{"--region", "cn-north-1", "--account", "210987654321"}, map[string]string{"ALLOWED_RESOURCE_ACCOUNTS": "123456789012"}},
		{"vpc", nil, nil},
		{"post-annotation-role", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			args := append(append([]string{"render"}, tt.args...), filepath.Join(properties, tt.scenario+".yaml"))
			getenv := func(k string) string { return tt.env[k] }
			var stdout, stderr bytes.Buffer
			if code := run(args, nil, &stdout, &stderr, getenv); code != 0 {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
			}
			golden := filepath.Join("testdata", tt.scenario+".golden.json")
			if *update {
				if err := os.WriteFile(golden, stdout.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden file (run go test -update to create it): %v", err)
			}
			if !bytes.Equal(stdout.Bytes(), want) {
				t.Errorf("render differs from %s (go test -update rewrites it after review):\n%s", golden, stdout.String())
			}
			var again bytes.Buffer
			run(args, nil, &again, &stderr, getenv)
			if !bytes.Equal(again.Bytes(), stdout.Bytes()) {
				t.Error("two renders of the same input differ")
			}
		})
	}
}

func TestRenderBadInput(t *testing.T) {
	input := `
InputBuckets: [Not_A_Bucket]
OutputBucket: [typo-property]
KmsKeyArns: ["arn:aws:kms:us-east-1:123456789012:alias/my-key"]
`
	var stdout, stderr bytes.Buffer
	code := run([]string{"render", "-"}, strings.NewReader(input), &stdout, &stderr, noEnv)
	if code != 1 {
		t.Errorf("exit status = %d, want 1", code)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout should be empty on bad input, got %q", stdout.String())
	}
	for _, want := range []string{
		`InputBuckets[0]: "Not_A_Bucket" is not a valid S3 bucket name`,
		`OutputBucket: is not a property of Custom::GroundTruthExecutionRole`,
		`KmsKeyArns[0]: "arn:aws:kms:us-east-1:123456789012:alias/my-key" is a KMS alias ARN`,
		`OutputBuckets: is required`,
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
}

func TestRunUsage(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stdout string // "" = nothing on stdout
	}{
		{nil, 2, ""},
		{[]string{"--help"}, 0, "Commands:"},
		{[]string{"help"}, 0, "Commands:"},
		{[]string{"frobnicate"}, 2, ""},
		{[]string{"render", "--help"}, 0, "usage: gtrole render"},
		{[]string{"render", "-h"}, 0, "usage: gtrole render"},
		{[]string{"render", "--no-such-flag"}, 2, ""},
		{[]string{"render", "a.yaml", "b.yaml"}, 2, ""},
		{[]string{"render", "does-not-exist.yaml"}, 1, ""},
		{[]string{"version"}, 0, "gtrole " + version.Version + "\n"},
		{[]string{"render", "--region", "xx-moon-1", "-"}, 2, ""},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if code := run(tt.args, strings.NewReader(""), &stdout, &stderr, noEnv); code != tt.code {
			t.Errorf("run(%q) = %d, want %d; stderr: %s", tt.args, code, tt.code, stderr.String())
		}
		if tt.stdout == "" && stdout.Len() != 0 {
			t.Errorf("run(%q) wrote to stdout: %q", tt.args, stdout.String())
		}
		if !strings.Contains(stdout.String(), tt.stdout) {
			t.Errorf("run(%q) stdout lacks %q:\n%s", tt.args, tt.stdout, stdout.String())
		}
	}
}

// TestRenderHelp checks that render --help shows every flag's default and every environment variable it reads.
func TestRenderHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"render", "--help"}, nil, &stdout, &stderr, noEnv); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{
		`(default "123456789012")`, `(default "us-east-1")`, `(default "GroundTruthExecutionRole")`,
		contract.EnvRolePathPrefix, "(default " + contract.DefaultRolePathPrefix + ")",
		contract.EnvAllowedManagedPolicyArns, contract.EnvRequiredPermissionsBoundary, contract.EnvAllowedResourceAccounts,
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("render --help lacks %q:\n%s", want, stdout.String())
		}
	}
}

// TestRenderPartitionHint checks that ARNs of another partition than --region's get a hint naming --region.
func TestRenderPartitionHint(t *testing.T) {
	sample := filepath.Join(properties, "aws-cn.yaml")
	tests := []struct {
		args []string
		code int
		hint string
	}{
		{[]string{"render", sample}, 1, `pass a region of aws-cn, for example --region cn-north-1`},
		{[]string{"render", "--region", "us-gov-west-1", sample}, 1, `but --region us-gov-west-1 is in partition "aws-us-gov"`},
		{[]string{"render", "--region", "cn-north-1", sample}, 0, ""},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if code := run(tt.args, nil, &stdout, &stderr, noEnv); code != tt.code {
			t.Errorf("run(%q) = %d, want %d: %s", tt.args, code, tt.code, stderr.String())
		}
		if tt.hint != "" && !strings.Contains(stderr.String(), tt.hint) {
			t.Errorf("run(%q) stderr lacks %q:\n%s", tt.args, tt.hint, stderr.String())
		}
		if tt.hint == "" && strings.Contains(stderr.String(), "hint:") {
			t.Errorf("run(%q) gave a hint although the partitions agree:\n%s", tt.args, stderr.String())
		}
	}
}

func TestRenderProviderSettings(t *testing.T) {
	env := map[string]string{
		"ROLE_PATH_PREFIX":              "/teams/vision/",
		"REQUIRED_PERMISSIONS_BOUNDARY": "arn:aws:iam::123456789012:policy/gt-boundary",
	}
	getenv := func(k string) string { return env[k] }
	var stdout, stderr bytes.Buffer
	input := "Path: /teams/vision/\nInputBuckets: [in-bucket]\nOutputBuckets: [out-bucket]\n"
	if code := run([]string{"render"}, strings.NewReader(input), &stdout, &stderr, getenv); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), `"PermissionsBoundary": "arn:aws:iam::123456789012:policy/gt-boundary"`) {
		t.Errorf("required boundary not applied:\n%s", stdout.String())
	}
	stdout.Reset()
	stderr.Reset()
	if code := run([]string{"render"}, strings.NewReader("InputBuckets: [a-bucket]\nOutputBuckets: [b-bucket]\n"), &stdout, &stderr, getenv); code != 0 {
		t.Fatalf("no Path: exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), `"Path": "/teams/vision/"`) {
		t.Errorf("an absent Path should default to the provider's prefix:\n%s", stdout.String())
	}
	stdout.Reset()
	if code := run([]string{"render"}, strings.NewReader("Path: /groundtruth/\nInputBuckets: [a-bucket]\nOutputBuckets: [b-bucket]\n"), &stdout, &stderr, getenv); code != 1 {
		t.Fatalf("a Path outside the prefix: exit %d, want 1", code)
	}
	if !strings.Contains(stderr.String(), `is outside the provider's role path prefix "/teams/vision/"`) {
		t.Errorf("stderr: %s", stderr.String())
	}
}
