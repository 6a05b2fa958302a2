package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/gtrole/groundtruth-execution-role/lambda/policy"
	"github.com/gtrole/groundtruth-execution-role/lambda/propfile"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

type usageError struct{ error }

// render writes the role for the properties to stdout, or every problem to stderr and returns an error.
func render(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	account := fs.String("account", "123456789012", "AWS account ID the role is made in")
	region := fs.String("region", "us-east-1", "AWS region; decides the partition")
	roleName := fs.String("role-name", "GroundTruthExecutionRole", "stands in for the generated name when RoleName is absent")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if fs.NArg() > 1 {
		return usageError{errors.New("give at most one FILE")}
	}
	data, err := readInput(fs.Arg(0), stdin)
	if err != nil {
		fmt.Fprintf(stderr, "gtrole render: %v\n", err)
		return err
	}
	role, err := build(data, *account, *region, *roleName, getenv)
	if err != nil {
		var problems spec.Problems
		if errors.As(err, &problems) {
			fmt.Fprintf(stderr, "gtrole render: %d problem(s) in the properties:\n", len(problems))
			for _, p := range problems {
				fmt.Fprintf(stderr, "  - %s\n", p)
			}
		} else {
			fmt.Fprintf(stderr, "gtrole render: %v\n", err)
		}
		return err
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(role); err != nil {
		return fmt.Errorf("encode role: %w", err)
	}
	_, err = stdout.Write(out.Bytes())
	return err
}

func readInput(name string, stdin io.Reader) ([]byte, error) {
	if name == "" || name == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(name)
}

// build is the provider's path from properties to role, stopped before any AWS call.
func build(data []byte, account, region, roleName string, getenv func(string) string) (policy.Role, error) {
	props, err := propfile.Decode(data)
	if err != nil {
		return policy.Role{}, err
	}
	partition := spec.PartitionOf(region)
	settings, err := spec.SettingsFromEnv(getenv, partition)
	if err != nil {
		return policy.Role{}, err
	}
	s, err := spec.Parse(props, spec.Target{Account: account, Region: region, Settings: settings})
	if err != nil {
		return policy.Role{}, err
	}
	if s.RoleName != "" {
		roleName = s.RoleName
	}
	return policy.Build(s, policy.Scope{Account: account, Partition: partition}, roleName)
}
