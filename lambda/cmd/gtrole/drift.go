package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gtrole/groundtruth-execution-role/lambda/drift"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

const driftUsage = `usage: gtrole drift [--region REGION] [--path-prefix PREFIX] [--json] [ROLE_NAME...]

Compares every role under PREFIX (default: ROLE_PATH_PREFIX, else /groundtruth/) that carries the provider's
ownership tags, or only the named roles, with the record the provider wrote on it, using read-only IAM calls.
Credentials and endpoint come from the standard AWS SDK configuration (environment, profiles, AWS_ENDPOINT_URL).
Exit status: 0 all in sync, 2 drift found (MODIFIED or NOT_RECORDED), 1 error.
`

// defaultRegion is used when neither --region nor the SDK configuration names one (partition aws).
const defaultRegion = "us-east-1"

// Exit statuses of gtrole drift, after terraform plan -detailed-exitcode.
const (
	driftInSync = 0
	driftError  = 1
	driftFound  = 2
)

// runDrift audits the roles and writes the report to stdout; it returns the exit status.
func runDrift(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("drift", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	region := fs.String("region", "", "AWS region, which decides the partition (default: from the SDK configuration, else us-east-1)")
	prefix := fs.String("path-prefix", "", "path prefix of the roles to audit (default: ROLE_PATH_PREFIX, else /groundtruth/)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	usage := func(w io.Writer) {
		fmt.Fprint(w, driftUsage+"\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		usage(stdout)
		return driftInSync
	} else if err != nil {
		fmt.Fprintf(stderr, "gtrole drift: %v\n\n", err)
		usage(stderr)
		return driftError
	}
	var opts []func(*config.LoadOptions) error
	if *region != "" {
		opts = append(opts, config.WithRegion(*region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		fmt.Fprintf(stderr, "gtrole drift: load AWS configuration: %v\n", err)
		return driftError
	}
	if cfg.Region == "" {
		// IAM is global within a partition; the SDK still needs a region to find its endpoint.
		cfg.Region = defaultRegion
	}
	settings, err := spec.SettingsFromEnv(getenv, spec.PartitionOf(cfg.Region))
	if err != nil {
		fmt.Fprintf(stderr, "gtrole drift: %v\n", err)
		return driftError
	}
	if *prefix == "" {
		*prefix = settings.DefaultPath()
	}
	a := &drift.Auditor{IAM: iam.NewFromConfig(cfg), KnownManagedArns: settings.AllowedManagedPolicyArns}
	var rep drift.Report
	if names := fs.Args(); len(names) > 0 {
		rep, err = a.AuditRoles(ctx, names)
	} else {
		rep, err = a.Audit(ctx, *prefix)
	}
	if err != nil {
		fmt.Fprintf(stderr, "gtrole drift: %v\n", err)
		return driftError
	}
	if *asJSON {
		if err := writeJSON(stdout, rep); err != nil {
			fmt.Fprintf(stderr, "gtrole drift: %v\n", err)
			return driftError
		}
	} else {
		writeTable(stdout, rep)
	}
	if !rep.InSync() {
		return driftFound
	}
	return driftInSync
}

// writeJSON prints the report as indented JSON; no roles is an empty list, not null.
func writeJSON(w io.Writer, rep drift.Report) error {
	if rep.Findings == nil {
		rep.Findings = []drift.Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// writeTable prints one row per role, then what differs for each MODIFIED role.
func writeTable(w io.Writer, rep drift.Report) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ROLE\tSTACK\tLOGICAL ID\tSTATUS")
	for _, f := range rep.Findings {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.RoleName, stackName(f.StackID), f.LogicalID, f.Status)
	}
	_ = tw.Flush()
	for _, f := range rep.Findings {
		if len(f.Differences) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", f.RoleName)
		for _, d := range f.Differences {
			fmt.Fprintf(w, "  - %s\n", d)
		}
	}
	fmt.Fprintf(w, "\n%d in sync, %d modified, %d not recorded; %d unowned role(s) skipped; %d IAM read calls\n",
		rep.Count(drift.InSync), rep.Count(drift.Modified), rep.Count(drift.NotRecorded), rep.Skipped, rep.Calls)
	if rep.Count(drift.Modified) > 0 {
		fmt.Fprintln(w, "repair: change the resource's ReconcileToken property and update its stack")
	}
	if rep.Count(drift.NotRecorded) > 0 {
		fmt.Fprintln(w, "NOT_RECORDED: one stack update of the resource (e.g. a new ReconcileToken) records it")
	}
}

// stackName returns the stack's name from its StackId ARN (arn:...:stack/NAME/ID), or the id itself.
func stackName(stackID string) string {
	a, err := arn.Parse(stackID)
	if err != nil {
		return stackID
	}
	parts := strings.Split(a.Resource, "/")
	if len(parts) >= 2 && parts[0] == "stack" {
		return parts[1]
	}
	return stackID
}
