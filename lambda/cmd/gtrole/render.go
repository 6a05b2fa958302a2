package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gtrole/groundtruth-execution-role/lambda/policy"
	"github.com/gtrole/groundtruth-execution-role/lambda/propfile"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

type usageError struct{ error }

// renderOptions are render's flags.
type renderOptions struct{ account, region, roleName string }

// renderFlags defines render's flags, with their defaults, into o.
func renderFlags(o *renderOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.account, "account", "123456789012", "AWS account ID the role is made in")
	fs.StringVar(&o.region, "region", "us-east-1", "AWS region of the stack; its partition, by the region patterns of aws-sdk-go-v2's partition metadata,\nis the one every ARN must be in (e.g. cn-north-1 aws-cn, us-iso-east-1 aws-iso, eusc-de-east-1 aws-eusc)")
	fs.StringVar(&o.roleName, "role-name", "GroundTruthExecutionRole", "stands in for the generated name when RoleName is absent")
	return fs
}

// renderUsage prints render's synopsis, flags with defaults, and the environment variables it reads.
func renderUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, `usage: gtrole render [--account ID] [--region REGION] [--role-name NAME] [FILE|-]

Prints the IAM role (AWS::IAM::Role properties) that Custom::GroundTruthExecutionRole creates
for the given Properties, read as JSON or YAML from FILE or standard input (-, or no FILE).
Exit status: 0 rendered, 1 bad properties or settings (every problem on stderr), 2 bad usage.

Flags:
`)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprintf(w, `
Environment (the provider Lambda's settings, read the same way; empty = default):
  %s               IAM path every role must be under (default %s)
  %s    comma-separated managed policy ARNs roles may attach
                                 (default %s)
  %s  policy ARN every role must carry as its permissions boundary (default none)
  %s      comma-separated accounts besides --account whose resources roles may name
                                 (default none)
`, spec.EnvRolePathPrefix, spec.DefaultPath, spec.EnvAllowedManagedPolicyArns, spec.GroundTruthManagedPolicy("PARTITION"),
		spec.EnvRequiredPermissionsBoundary, spec.EnvAllowedResourceAccounts)
}

// render writes the role for the properties to stdout, or every problem to stderr and returns an error.
func render(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	var o renderOptions
	fs := renderFlags(&o)
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		renderUsage(stdout, fs)
		return err
	} else if err != nil {
		return usageError{err}
	}
	account, region, roleName := &o.account, &o.region, &o.roleName
	if fs.NArg() > 1 {
		return usageError{errors.New("give at most one FILE")}
	}
	if spec.PartitionOf(*region) == "" {
		return usageError{fmt.Errorf("--region %q is not a region of any partition the provider knows (%s)", *region, strings.Join(spec.Partitions(), ", "))}
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
			if hint := partitionHint(data, *region); hint != "" {
				fmt.Fprintf(stderr, "%s\n", hint)
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
	return policy.Build(s, policy.Scope{Account: account, Partition: partition, Region: region}, roleName)
}
