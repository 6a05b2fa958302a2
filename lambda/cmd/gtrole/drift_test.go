package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/drift"
)

func TestWriteTable(t *testing.T) {
	rep := drift.Report{
		Findings: []drift.Finding{
			{RoleName: "gt-a", StackID: "arn:aws:cloudformation:us-east-1:123456789012:stack/labeling/5b6a1e20", LogicalID: "RoleA", Status: drift.InSync},
			{RoleName: "gt-b", StackID: "arn:aws:cloudformation:us-east-1:123456789012:stack/labeling/5b6a1e20", LogicalID: "RoleB", Status: drift.Modified,
				Differences: []string{"trust policy changed", "managed policy arn:aws:iam::aws:policy/AdministratorAccess attached"}},
			{RoleName: "gt-c", StackID: "not-an-arn", LogicalID: "RoleC", Status: drift.NotRecorded},
		},
		Skipped: 4, Calls: 21,
	}
	var out bytes.Buffer
	writeTable(&out, rep)
	got := out.String()
	for _, want := range []string{
		"ROLE  STACK       LOGICAL ID  STATUS\n" +
			"gt-a  labeling    RoleA       IN_SYNC\n" +
			"gt-b  labeling    RoleB       MODIFIED\n" +
			"gt-c  not-an-arn  RoleC       NOT_RECORDED\n",
		"\ngt-b:\n  - trust policy changed\n  - managed policy arn:aws:iam::aws:policy/AdministratorAccess attached\n",
		"1 in sync, 1 modified, 1 not recorded; 4 unowned role(s) skipped; 21 IAM read calls\n",
		"repair: change the resource's ReconcileToken property",
		"NOT_RECORDED: one stack update",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
}

func TestDriftFlags(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"drift", "--help"}, nil, &stdout, &stderr, func(string) string { return "" }); code != 0 || !strings.Contains(stdout.String(), "usage: gtrole drift") {
		t.Errorf("drift --help: exit %d, stdout %q", code, stdout.String())
	}
	stdout.Reset()
	if code := run([]string{"drift", "--bogus"}, nil, &stdout, &stderr, func(string) string { return "" }); code != 1 || !strings.Contains(stderr.String(), "bogus") {
		t.Errorf("drift --bogus: exit %d, stderr %q; want 1 naming the flag", code, stderr.String())
	}
}
