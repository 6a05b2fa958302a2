// Command coldstart measures the provider's cold start against the floor a Go Lambda calling IAM cannot go below
// (floor/: config.LoadDefaultConfig, iam.NewFromConfig, lambda.Start) and, with -peers, against the Node.js and
// Python IAM clients a user would otherwise run. Each subject is exec'd with the Lambda Runtime API pointing at a
// closed port, so the process loads, polls once, fails and exits: exec → exit is its cold start. Runs alternate
// between subjects, HOME has no ~/.aws, and the medians of wall and CPU time, the peak RSS and the provider/floor
// ratios are printed; -max-ratio applies to the wall-time ratio.
//
//	go run ./test/cmd/coldstart [-runs 31] [-peers] [-max-ratio 1.25]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
)

// nodeIAMClient is the pinned npm package the Node.js peer constructs.
const nodeIAMClient = "@aws-sdk/client-iam@3.1169.0"

func main() {
	runs := flag.Int("runs", 31, "measured runs of each subject (after one warm-up run each)")
	peers := flag.Bool("peers", false, "also measure Node.js (npm "+nodeIAMClient+") and Python (boto3) IAM clients")
	maxRatio := flag.Float64("max-ratio", 0, "exit 1 when provider/floor median exceeds this (0: report only)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *runs, *peers, *maxRatio, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "coldstart: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, runs int, peers bool, maxRatio float64, out io.Writer) error {
	if runs < 1 {
		return errors.New("-runs must be at least 1")
	}
	dir, err := os.MkdirTemp("", "gtrole-coldstart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	home := filepath.Join(dir, "home") // no ~/.aws: the SDKs find no shared config or credentials files
	if err := os.Mkdir(home, 0o700); err != nil {
		return err
	}
	subjects, err := build(ctx, dir, peers)
	if err != nil {
		return err
	}
	env := lambdaEnv(home)
	results, err := measure(ctx, subjects, env, runs)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "cold start, exec → first Runtime API poll fails → exit; %d alternating runs each, %s/%s, %d CPUs\n\n",
		runs, runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	report(out, results)
	ratio := results[0].medianMs() / results[1].medianMs()
	fmt.Fprintf(out, "\nprovider/floor median ratio: %.2f wall time, %.2f CPU time\n", ratio,
		results[0].medianCPUMs()/results[1].medianCPUMs())
	if maxRatio > 0 && ratio > maxRatio {
		return fmt.Errorf("provider/floor ratio %.2f exceeds %.2f", ratio, maxRatio)
	}
	return nil
}

// build compiles the provider and the floor as `make build` does, for this machine, and prepares the peers.
// The provider is always subjects[0] and the floor subjects[1].
func build(ctx context.Context, dir string, peers bool) ([]subject, error) {
	var subjects []subject
	for _, b := range []struct{ name, pkg string }{
		{"provider (lambda/cmd/bootstrap)", "./lambda/cmd/bootstrap"},
		{"floor (test/cmd/coldstart/floor)", "./test/cmd/coldstart/floor"},
	} {
		bin := filepath.Join(dir, filepath.Base(b.pkg))
		cmd := exec.CommandContext(ctx, "go", "build", "-tags", "lambda.norpc", "-trimpath", "-ldflags=-s -w -buildid=",
			"-o", bin, b.pkg)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if msg, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("go build %s: %v\n%s", b.pkg, err, msg)
		}
		subjects = append(subjects, subject{name: b.name, argv: []string{bin}})
	}
	if !peers {
		return subjects, nil
	}
	src, err := filepath.Abs("test/cmd/coldstart/peers")
	if err != nil {
		return nil, err
	}
	nodeDir := filepath.Join(dir, "node")
	install := exec.CommandContext(ctx, "npm", "install", "--prefix", nodeDir, "--no-audit", "--no-fund",
		"--loglevel=error", "--save-exact", nodeIAMClient)
	if msg, err := install.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("npm install %s: %v\n%s", nodeIAMClient, err, msg)
	}
	script, err := os.ReadFile(filepath.Join(src, "iam.mjs"))
	if err != nil {
		return nil, err
	}
	// The script sits beside node_modules so its import resolves there.
	if err := os.WriteFile(filepath.Join(nodeDir, "iam.mjs"), script, 0o600); err != nil {
		return nil, err
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, err
	}
	python, err := exec.LookPath("python3")
	if err != nil {
		return nil, err
	}
	return append(subjects,
		subject{name: "Node.js " + version(ctx, node, "--version") + " + " + nodeIAMClient,
			argv: []string{node, filepath.Join(nodeDir, "iam.mjs")}},
		subject{name: "Python " + version(ctx, python, "-c", "import sys, boto3; print(sys.version.split()[0], '+ boto3', boto3.__version__)"),
			argv: []string{python, filepath.Join(src, "iam.py")}},
	), nil
}

func version(ctx context.Context, bin string, args ...string) string {
	out, err := exec.CommandContext(ctx, bin, args...).Output()
	if err != nil {
		return "?"
	}
	return string(trimSpace(out))
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r' || b[len(b)-1] == ' ') {
		b = b[:len(b)-1]
	}
	return b
}

// lambdaEnv is what the provided.al2023 runtime hands a function, with the Runtime API on a closed port: the
// first poll is refused at once and the process exits.
func lambdaEnv(home string) []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"AWS_LAMBDA_RUNTIME_API=127.0.0.1:1",
		"AWS_REGION=us-east-1",
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
		"AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"AWS_SESSION_TOKEN=coldstart",
		"AWS_LAMBDA_FUNCTION_NAME=coldstart",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128",
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/coldstart",
		"AWS_LAMBDA_LOG_STREAM_NAME=coldstart",
		"ROLE_PATH_PREFIX=/groundtruth/",
	}
}
