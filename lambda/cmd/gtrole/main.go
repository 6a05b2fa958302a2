// Command gtrole works with Ground Truth execution role specs outside CloudFormation.
//
//	gtrole render [--account ID] [--region R] [--role-name NAME] [--stack-name S] [--param K=V]... [FILE|-]
//	gtrole drift [--region R] [--path-prefix P] [--json] [ROLE_NAME...]
//	gtrole version | --version
//
// render prints the role the provider would create for a Custom::GroundTruthExecutionRole's Properties
// (JSON or YAML), shaped like AWS::IAM::Role properties, or for every such resource of a CloudFormation template. Provider settings come from the same environment
// variables the Lambda reads (ROLE_PATH_PREFIX, ALLOWED_MANAGED_POLICY_ARNS, REQUIRED_PERMISSIONS_BOUNDARY).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/gtrole/groundtruth-execution-role/internal/version"
)

const usage = `usage: gtrole <command> [arguments]

Commands:
  render   print the IAM role Custom::GroundTruthExecutionRole creates for some Properties
           (gtrole render --help lists its flags, defaults and environment variables)
  drift    compare the provider's roles with the record of what it wrote (read-only; exit 0 in sync, 2 drift, 1 error)
           (gtrole drift --help lists its flags)
  version  print gtrole's version (also gtrole --version)
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

// run is main with its dependencies passed in; it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return 0
	}
	switch args[0] {
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "gtrole %s\n", version.Version)
		return 0
	case "drift":
		return runDrift(context.Background(), args[1:], stdout, stderr, getenv)
	case "render":
		err := render(args[1:], stdin, stdout, stderr, getenv)
		var usageErr usageError
		switch {
		case err == nil, errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, &usageErr):
			fmt.Fprintf(stderr, "gtrole render: %v\n\n", err)
			renderUsage(stderr, renderFlags(&renderOptions{}))
			return 2
		default:
			return 1
		}
	default:
		fmt.Fprintf(stderr, "gtrole: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
}
