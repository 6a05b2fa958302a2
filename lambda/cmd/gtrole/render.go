package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/policy"
	"github.com/gtrole/groundtruth-execution-role/lambda/propfile"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

type usageError struct{ error }

// renderOptions are render's flags.
type renderOptions struct {
	account, region, roleName, stackName string
	params                               params
}

// renderFlags defines render's flags, with their defaults, into o.
func renderFlags(o *renderOptions) *flag.FlagSet {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.account, "account", "123456789012", "AWS account ID the role is made in")
	fs.StringVar(&o.region, "region", "us-east-1", "AWS region of the stack; its partition, by the region patterns of aws-sdk-go-v2's partition metadata,\nis the one every ARN must be in (e.g. cn-north-1 aws-cn, us-iso-east-1 aws-iso, eusc-de-east-1 aws-eusc)")
	fs.StringVar(&o.roleName, "role-name", "GroundTruthExecutionRole", "stands in for the generated name when RoleName is absent")
	fs.StringVar(&o.stackName, "stack-name", "labeling", "a template's AWS::StackName")
	o.params = params{}
	fs.Var(o.params, "param", "a template's parameter value, KEY=VALUE (repeatable; a CommaDelimitedList as a,b);\nparameters not given take their Default")
	return fs
}

// renderUsage prints render's synopsis, flags with defaults, and the environment variables it reads.
func renderUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, `usage: gtrole render [--account ID] [--region REGION] [--role-name NAME]
                     [--stack-name NAME] [--param KEY=VALUE]... [FILE|-]

Prints the IAM role (AWS::IAM::Role properties) that Custom::GroundTruthExecutionRole creates
for the given Properties, read as JSON or YAML from FILE or standard input (-, or no FILE).
FILE may also be a CloudFormation template (YAML or JSON, with Resources): then every
Custom::GroundTruthExecutionRole in it is resolved as CloudFormation would (--param values, else
Defaults; pseudo parameters from --account, --region, --stack-name; Conditions; Ref, Fn::Sub,
Fn::If, Fn::Join, ...) and the roles are printed as an object keyed by logical ID.
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
`, contract.EnvRolePathPrefix, contract.DefaultRolePathPrefix, contract.EnvAllowedManagedPolicyArns, spec.GroundTruthManagedPolicy("PARTITION"),
		contract.EnvRequiredPermissionsBoundary, contract.EnvAllowedResourceAccounts)
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
	region := &o.region
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
	var result any
	if isTemplate(data) {
		result, err = renderTemplate(data, o, getenv, stderr)
	} else {
		result, err = renderProperties(data, o, getenv, stderr)
	}
	if err != nil {
		return err
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(result); err != nil {
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

// renderProperties renders one Properties object, or reports its problems on stderr.
func renderProperties(data []byte, o renderOptions, getenv func(string) string, stderr io.Writer) (iamdoc.Role, error) {
	if len(o.params) > 0 {
		return iamdoc.Role{}, usageError{errors.New("--param is for a template; the input is a Properties object")}
	}
	props, err := propfile.Decode(data)
	if err == nil {
		var role iamdoc.Role
		if role, err = build(props, o.account, o.region, o.roleName, getenv); err == nil {
			return role, nil
		}
	}
	report(stderr, err, "", data, o.region)
	return iamdoc.Role{}, err
}

// renderTemplate renders every Custom::GroundTruthExecutionRole in a template, by logical ID, or reports every
// resource's problems on stderr.
func renderTemplate(data []byte, o renderOptions, getenv func(string) string, stderr io.Writer) (map[string]iamdoc.Role, error) {
	partition := spec.PartitionOf(o.region)
	resources, err := templateProperties(data, o.params, o.stackName, o.account, o.region, partition)
	if err != nil {
		fmt.Fprintf(stderr, "gtrole render: %v\n", err)
		return nil, err
	}
	roles := map[string]iamdoc.Role{}
	var failed error
	for _, id := range sortedKeys(resources) {
		role, err := build(resources[id], o.account, o.region, o.roleName, getenv)
		if err != nil {
			report(stderr, err, "Resources."+id+": ", nil, o.region)
			failed = err
			continue
		}
		roles[id] = role
	}
	return roles, failed
}

// report writes an error to stderr, listing every problem of the properties with the hint for a partition mismatch.
func report(stderr io.Writer, err error, where string, data []byte, region string) {
	var problems spec.Problems
	if !errors.As(err, &problems) {
		fmt.Fprintf(stderr, "gtrole render: %s%v\n", where, err)
		return
	}
	fmt.Fprintf(stderr, "gtrole render: %s%d problem(s) in the properties:\n", where, len(problems))
	for _, p := range problems {
		fmt.Fprintf(stderr, "  - %s\n", p)
	}
	if data != nil {
		if hint := partitionHint(data, region); hint != "" {
			fmt.Fprintf(stderr, "%s\n", hint)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// build is the provider's path from properties to role, stopped before any AWS call.
func build(props map[string]any, account, region, roleName string, getenv func(string) string) (iamdoc.Role, error) {
	partition := spec.PartitionOf(region)
	settings, err := spec.SettingsFromEnv(getenv, partition)
	if err != nil {
		return iamdoc.Role{}, err
	}
	s, err := spec.Parse(props, spec.Target{Account: account, Region: region, Settings: settings})
	if err != nil {
		return iamdoc.Role{}, err
	}
	if s.RoleName != "" {
		roleName = s.RoleName
	}
	return policy.Build(s, policy.Scope{Account: account, Partition: partition, Region: region}, roleName)
}
