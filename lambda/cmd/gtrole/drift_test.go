package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/internal/version"
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

// TestDriftHelpListsFlags checks that drift --help documents every flag drift accepts.
func TestDriftHelpListsFlags(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"drift", "--help"}, nil, &stdout, &stderr, func(string) string { return "" }); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, flag := range []string{"-region", "-path-prefix", "-json"} {
		if !strings.Contains(stdout.String(), "\n  "+flag) {
			t.Errorf("drift --help does not list %s:\n%s", flag, stdout.String())
		}
	}
}

// TestDriftJSONNoRoles checks that a report of no roles prints an empty list, which consumers can iterate.
func TestDriftJSONNoRoles(t *testing.T) {
	var out bytes.Buffer
	if err := writeJSON(&out, drift.Report{Calls: 1}); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if roles, ok := got["roles"].([]any); !ok || len(roles) != 0 {
		t.Errorf(`drift --json with no roles = %s, want "roles": []`, out.String())
	}
}

func TestVersionFlag(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		var stdout, stderr bytes.Buffer
		if code := run(args, nil, &stdout, &stderr, func(string) string { return "" }); code != 0 || stdout.String() != "gtrole "+version.Version+"\n" {
			t.Errorf("gtrole %s: exit %d, stdout %q, stderr %q", args[0], code, stdout.String(), stderr.String())
		}
	}
}
