// Command gtrole works with Ground Truth execution role specs outside CloudFormation.
//
//	gtrole render [--account ID] [--region R] [--role-name NAME] [FILE|-]
//
// render prints the role the provider would create for a Custom::GroundTruthExecutionRole's Properties
// (JSON or YAML), shaped like AWS::IAM::Role properties. Provider settings come from the same environment
// variables the Lambda reads (ROLE_PATH_PREFIX, ALLOWED_MANAGED_POLICY_ARNS, REQUIRED_PERMISSIONS_BOUNDARY).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

const usage = `usage: gtrole render [--account ID] [--region REGION] [--role-name NAME] [FILE|-]

Prints the IAM role (AWS::IAM::Role properties) that Custom::GroundTruthExecutionRole creates
for the given Properties, read as JSON or YAML from FILE or standard input.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

// run is main with its dependencies passed in; it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	switch args[0] {
	case "render":
		err := render(args[1:], stdin, stdout, stderr, getenv)
		var usageErr usageError
		switch {
		case err == nil:
			return 0
		case errors.As(err, &usageErr):
			fmt.Fprintf(stderr, "gtrole render: %v\n\n%s", err, usage)
			return 2
		default:
			return 1
		}
	default:
		fmt.Fprintf(stderr, "gtrole: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
}
