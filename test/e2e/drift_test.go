package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/drift"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/record"
	"github.com/gtrole/groundtruth-execution-role/test/harness"
	"github.com/gtrole/groundtruth-execution-role/test/moto"
	"github.com/gtrole/groundtruth-execution-role/test/runtimeapi"
)

var (
	cliOnce sync.Once
	cliPath string
	cliErr  error
)

// gtroleCLI builds lambda/cmd/gtrole once, next to the provider binary.
func gtroleCLI(t *testing.T, h *harness.Harness) string {
	t.Helper()
	cliOnce.Do(func() {
		dir := filepath.Join(filepath.Dir(h.Binary), "cli")
		if cliErr = os.MkdirAll(dir, 0o755); cliErr == nil {
			cliPath, cliErr = runtimeapi.Build(t.Context(), "github.com/gtrole/groundtruth-execution-role/lambda/cmd/gtrole", dir)
		}
	})
	if cliErr != nil {
		t.Fatal(cliErr)
	}
	return cliPath
}

// runDrift runs `gtrole drift --json ARGS` against moto through the proxy and returns its exit status and report.
func runDrift(t *testing.T, h *harness.Harness, args ...string) (int, drift.Report, string) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), gtroleCLI(t, h), append([]string{"drift", "--json"}, args...)...)
	cmd.Env = append(moto.EnvFor(h.Proxy.URL()), "HOME="+t.TempDir(), "PATH="+os.Getenv("PATH"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	var rep drift.Report
	if code != 1 {
		if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
			t.Fatalf("gtrole drift printed no JSON report (exit %d, stderr %s): %v\n%s", code, stderr.String(), err, stdout.String())
		}
	}
	return code, rep, stderr.String()
}

// create makes a role through the provider binary and returns its name.
func create(t *testing.T, h *harness.Harness, rt *runtimeapi.Runtime, p map[string]any, logicalID string) string {
	t.Helper()
	return mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: p, LogicalID: logicalID})).PhysicalResourceID
}

// assertNoWrites fails when the proxy saw any IAM write since its last reset.
func assertNoWrites(t *testing.T, h *harness.Harness, who string) {
	t.Helper()
	if w := h.Proxy.Writes(); len(w) > 0 {
		var actions []string
		for _, r := range w {
			actions = append(actions, r.Action)
		}
		t.Errorf("%s made write calls %v, want none", who, actions)
	}
}

const (
	adminPolicy = "arn:aws:iam::aws:policy/AdministratorAccess"
	gtPolicy    = "arn:aws:iam::aws:policy/AmazonSageMakerGroundTruthExecution"
	widePolicy  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
)

// TestDriftReportsEachKind changes a provider-made role by hand in each way and checks that gtrole drift names
// exactly that change with exit status 2, makes no write call, and reports its IAM calls truthfully. Each case
// has a role of its own in one moto account, audited by name.
func TestDriftReportsEachKind(t *testing.T) {
	t.Parallel()
	base := harness.With(harness.Props(t, "everything"), "UseManagedPolicy", "true")
	h, rt := fresh(t, 30*time.Second)
	var role *string // the case's role
	tests := []struct {
		name   string
		change func(*testing.T) error
		status drift.Status
		want   []string // differences; a trailing "…" matches a prefix
	}{
		{"in sync", func(*testing.T) error { return nil }, drift.InSync, nil},
		{"trust opened to another account", func(t *testing.T) error {
			_, err := h.IAM.UpdateAssumeRolePolicy(t.Context(), &iam.UpdateAssumeRolePolicyInput{RoleName: role, PolicyDocument: aws.String(
				`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":"sts:AssumeRole"}]}`)})
			return err
		}, drift.Modified, []string{"trust policy changed"}},
		{"inline added", func(t *testing.T) error {
			_, err := h.IAM.PutRolePolicy(t.Context(), &iam.PutRolePolicyInput{RoleName: role, PolicyName: aws.String("Unblock"), PolicyDocument: aws.String(widePolicy)})
			return err
		}, drift.Modified, []string{"inline policy Unblock added"}},
		{"inline changed", func(t *testing.T) error {
			_, err := h.IAM.PutRolePolicy(t.Context(), &iam.PutRolePolicyInput{RoleName: role, PolicyName: aws.String("GroundTruthS3"), PolicyDocument: aws.String(widePolicy)})
			return err
		}, drift.Modified, []string{"inline policy GroundTruthS3 changed"}},
		{"inline removed", func(t *testing.T) error {
			_, err := h.IAM.DeleteRolePolicy(t.Context(), &iam.DeleteRolePolicyInput{RoleName: role, PolicyName: aws.String("GroundTruthKms")})
			return err
		}, drift.Modified, []string{"inline policy GroundTruthKms removed"}},
		{"managed attached", func(t *testing.T) error {
			_, err := h.IAM.AttachRolePolicy(t.Context(), &iam.AttachRolePolicyInput{RoleName: role, PolicyArn: aws.String(adminPolicy)})
			return err
		}, drift.Modified, []string{"managed policy " + adminPolicy + " attached"}},
		{"managed detached", func(t *testing.T) error {
			_, err := h.IAM.DetachRolePolicy(t.Context(), &iam.DetachRolePolicyInput{RoleName: role, PolicyArn: aws.String(gtPolicy)})
			return err
		}, drift.Modified, []string{"managed policy " + gtPolicy + " detached"}},
		{"boundary added", func(t *testing.T) error {
			_, err := h.IAM.PutRolePermissionsBoundary(t.Context(), &iam.PutRolePermissionsBoundaryInput{RoleName: role, PermissionsBoundary: aws.String(adminPolicy)})
			return err
		}, drift.Modified, []string{"permissions boundary " + adminPolicy + " added"}},
		{"description", func(t *testing.T) error {
			_, err := h.IAM.UpdateRoleDescription(t.Context(), &iam.UpdateRoleDescriptionInput{RoleName: role, Description: aws.String("changed by hand")})
			return err
		}, drift.Modified, []string{"description changed"}},
		{"session duration", func(t *testing.T) error {
			_, err := h.IAM.UpdateRole(t.Context(), &iam.UpdateRoleInput{RoleName: role, MaxSessionDuration: aws.Int32(43200),
				Description: aws.String("Ground Truth execution role for the image labeling team")})
			return err
		}, drift.Modified, []string{"maximum session duration changed to 43200 s (recorded 7200 s)"}},
		{"tags", func(t *testing.T) error {
			_, err := h.IAM.TagRole(t.Context(), &iam.TagRoleInput{RoleName: role, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("audio")}}})
			return err
		}, drift.Modified, []string{"tags changed"}},
		{"record tags altered", func(t *testing.T) error {
			_, err := h.IAM.TagRole(t.Context(), &iam.TagRoleInput{RoleName: role, Tags: []types.Tag{{Key: aws.String(contract.RecordTagKey), Value: aws.String("v1 trust=0")}}})
			return err
		}, drift.Modified, []string{"record tags altered: …"}},
		{"record removed", func(t *testing.T) error {
			_, err := h.IAM.UntagRole(t.Context(), &iam.UntagRoleInput{RoleName: role, TagKeys: []string{contract.RecordTagKey, contract.RecordInlineTagKey, contract.RecordManagedTagKey}})
			return err
		}, drift.NotRecorded, nil},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			name := fmt.Sprintf("gt-drift-%02d", i)
			role = aws.String(name)
			if got := create(t, h, rt, harness.With(base, "RoleName", name), "LabelingRole"); got != name {
				t.Fatalf("created %s, want %s", got, name)
			}
			if err := tc.change(t); err != nil {
				t.Fatal(err)
			}
			h.Proxy.Reset()
			code, rep, stderr := runDrift(t, h, name)
			assertNoWrites(t, h, "gtrole drift")
			if want := map[bool]int{true: 0, false: 2}[tc.status == drift.InSync]; code != want {
				t.Errorf("exit status %d, want %d (stderr %s)", code, want, stderr)
			}
			if len(rep.Findings) != 1 {
				t.Fatalf("findings = %+v, want the one role", rep.Findings)
			}
			f := rep.Findings[0]
			if f.RoleName != name || f.StackID != harness.StackID || f.LogicalID != "LabelingRole" || f.Status != tc.status {
				t.Errorf("finding = %+v, want %s of %s/LabelingRole %s", f, name, harness.StackID, tc.status)
			}
			if !matches(f.Differences, tc.want) {
				t.Errorf("differences = %q, want %q", f.Differences, tc.want)
			}
			if calls := len(h.Proxy.Requests()); rep.Calls != calls {
				t.Errorf("report says %d IAM calls, the test IAM saw %d", rep.Calls, calls)
			}
			t.Logf("%s: %d IAM calls (%d ListRoles, %d GetRole, %d ListRolePolicies, %d GetRolePolicy, %d ListAttachedRolePolicies)",
				tc.name, rep.Calls, h.Proxy.Count("ListRoles"), h.Proxy.Count("GetRole"), h.Proxy.Count("ListRolePolicies"),
				h.Proxy.Count("GetRolePolicy"), h.Proxy.Count("ListAttachedRolePolicies"))
			// The bulk audit of the whole prefix reads the same role the same way.
			_, all, stderr := runDrift(t, h)
			i := slices.IndexFunc(all.Findings, func(g drift.Finding) bool { return g.RoleName == name })
			if i < 0 || !reflect.DeepEqual(all.Findings[i], f) {
				t.Errorf("bulk audit of the prefix found %+v for %s, the named audit %+v (stderr %s)", all.Findings, name, f, stderr)
			}
		})
	}
}

// matches compares differences with want, where a want ending in "…" matches any line it starts.
func matches(got, want []string) bool {
	return slices.EqualFunc(got, want, func(g, w string) bool {
		if p, ok := strings.CutSuffix(w, "…"); ok {
			return strings.HasPrefix(g, p)
		}
		return g == w
	})
}

// TestDriftSkipsUnownedAndPaginates audits more roles than one page of the old per-role audit's ListRoles held,
// most of them not the provider's, in two bulk reads, and audits named roles.
func TestDriftSkipsUnownedAndPaginates(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	mine := create(t, h, rt, harness.Props(t, "non-streaming"), "Mine")
	trust := aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)
	const unowned, unrecorded = 110, 5
	for i := range unowned + unrecorded {
		in := &iam.CreateRoleInput{RoleName: aws.String(fmt.Sprintf("other-%03d", i)), Path: aws.String("/groundtruth/"), AssumeRolePolicyDocument: trust}
		if i >= unowned { // the provider's tags, but no record: made by an older provider
			in.Tags = []types.Tag{{Key: aws.String(contract.StackIDTagKey), Value: aws.String(harness.StackID)},
				{Key: aws.String(contract.LogicalIDTagKey), Value: aws.String(fmt.Sprintf("Old%d", i))}}
		}
		if _, err := h.IAM.CreateRole(t.Context(), in); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.IAM.CreateRole(t.Context(), &iam.CreateRoleInput{RoleName: aws.String("elsewhere"), Path: aws.String("/other/"), AssumeRolePolicyDocument: trust,
		Tags: []types.Tag{{Key: aws.String(contract.StackIDTagKey), Value: aws.String(harness.StackID)}, {Key: aws.String(contract.LogicalIDTagKey), Value: aws.String("X")}}}); err != nil {
		t.Fatal(err)
	}

	h.Proxy.Reset()
	code, rep, stderr := runDrift(t, h)
	assertNoWrites(t, h, "gtrole drift")
	if code != 2 {
		t.Errorf("exit status %d, want 2 for the unrecorded roles (stderr %s)", code, stderr)
	}
	if rep.Skipped != unowned {
		t.Errorf("skipped %d unowned roles, want %d", rep.Skipped, unowned)
	}
	statuses := map[string]drift.Status{}
	for _, f := range rep.Findings {
		statuses[f.RoleName] = f.Status
	}
	if len(statuses) != 1+unrecorded || statuses[mine] != drift.InSync {
		t.Errorf("findings = %v, want %s IN_SYNC and %d NOT_RECORDED, nothing outside /groundtruth/", statuses, mine, unrecorded)
	}
	if rep.Count(drift.NotRecorded) != unrecorded {
		t.Errorf("%d NOT_RECORDED, want %d", rep.Count(drift.NotRecorded), unrecorded)
	}
	// The roles are read in bulk: one page each of ListRoles and GetAccountAuthorizationDetails, nothing per role
	// (paging itself is TestBulkAuditReadsAsPerRole's, in lambda/drift: moto answers in one page).
	if rep.Calls != 2 || h.Proxy.Count("ListRoles") != 1 || h.Proxy.Count("GetAccountAuthorizationDetails") != 1 {
		t.Errorf("%d IAM calls (%d ListRoles, %d GetAccountAuthorizationDetails, %d GetRole) for %d roles, want 2 bulk reads",
			rep.Calls, h.Proxy.Count("ListRoles"), h.Proxy.Count("GetAccountAuthorizationDetails"), h.Proxy.Count("GetRole"), unowned+unrecorded+2)
	}

	// Named roles: only those, and an unowned or missing one is an error.
	h.Proxy.Reset()
	if code, rep, _ := runDrift(t, h, mine); code != 0 || len(rep.Findings) != 1 || rep.Findings[0].RoleName != mine {
		t.Errorf("gtrole drift %s: exit %d, %+v", mine, code, rep.Findings)
	}
	if h.Proxy.Count("ListRoles") != 0 {
		t.Errorf("auditing a named role listed roles")
	}
	for _, bad := range []string{"other-000", "no-such-role"} {
		if code, _, stderr := runDrift(t, h, bad); code != 1 || !strings.Contains(stderr, bad) {
			t.Errorf("gtrole drift %s: exit %d, stderr %q; want 1 naming the role", bad, code, stderr)
		}
	}
	assertNoWrites(t, h, "gtrole drift")
}

// scheduledEvent is what EventBridge sends a target on a schedule.
const scheduledEvent = `{"version":"0","id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa","detail-type":"Scheduled Event",
"source":"aws.events","account":"123456789012","time":"2026-11-23T19:00:00Z","region":"us-east-1",
"resources":["arn:aws:events:us-east-1:123456789012:rule/drift-audit"],"detail":{}}`

// TestScheduledAuditWritesMetric invokes the provider binary with a scheduled event: it logs each drifted role and
// writes the DriftedRoles count in embedded metric format, without a write call.
func TestScheduledAuditWritesMetric(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second, "AWS_LAMBDA_FUNCTION_NAME=gt-provider")
	a := create(t, h, rt, harness.Props(t, "non-streaming"), "A")
	b := create(t, h, rt, harness.Props(t, "kms"), "B")
	c := create(t, h, rt, harness.Props(t, "custom-workflow"), "C")
	if _, err := h.IAM.AttachRolePolicy(t.Context(), &iam.AttachRolePolicyInput{RoleName: aws.String(a), PolicyArn: aws.String(adminPolicy)}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.IAM.UpdateRoleDescription(t.Context(), &iam.UpdateRoleDescriptionInput{RoleName: aws.String(b), Description: aws.String("x")}); err != nil {
		t.Fatal(err)
	}

	h.Proxy.Reset()
	inv, err := rt.Invoke(t.Context(), []byte(scheduledEvent))
	if err != nil {
		t.Fatal(err)
	}
	if inv.Error != nil {
		t.Fatalf("audit failed: %v", inv.Error)
	}
	assertNoWrites(t, h, "the scheduled audit")
	wctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := rt.WaitLog(wctx, `"_aws"`); err != nil {
		t.Fatalf("no embedded-metric-format line in the logs: %v", err)
	}

	var metric map[string]any
	drifted := map[string][]any{}
	for _, line := range strings.Split(rt.Logs(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) != nil {
			continue
		}
		if _, ok := m["_aws"]; ok {
			metric = m
		}
		if m["msg"] == "role drifted" {
			drifted[m["role"].(string)], _ = m["differences"].([]any)
		}
	}
	if metric == nil {
		t.Fatalf("no embedded-metric-format line in the logs:\n%s", rt.Logs())
	}
	if metric["DriftedRoles"] != float64(2) || metric["UnrecordedRoles"] != float64(0) || metric["FunctionName"] != "gt-provider" {
		t.Errorf("metric line = %v, want DriftedRoles 2, UnrecordedRoles 0, FunctionName gt-provider", metric)
	}
	directive := metric["_aws"].(map[string]any)["CloudWatchMetrics"].([]any)[0].(map[string]any)
	if directive["Namespace"] != drift.MetricNamespace {
		t.Errorf("namespace = %v", directive["Namespace"])
	}
	if want := map[string][]any{a: {"managed policy " + adminPolicy + " attached"}, b: {"description changed"}}; !maps.EqualFunc(drifted, want, slices.Equal) {
		t.Errorf("drifted-role log lines = %v, want %v (and none for %s)", drifted, want, c)
	}
}

// TestReconcileTokenRestoresDriftedRole widens a role by hand in several ways; a new ReconcileToken makes the
// Update restore exactly the declared role and its record, after which gtrole drift finds it in sync.
func TestReconcileTokenRestoresDriftedRole(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	p := harness.With(harness.Props(t, "everything"), "UseManagedPolicy", "true")
	name := create(t, h, rt, p, "LabelingRole")
	role := aws.String(name)
	ctx := t.Context()
	for _, err := range []error{
		func() error {
			_, err := h.IAM.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: role, PolicyArn: aws.String(adminPolicy)})
			return err
		}(),
		func() error {
			_, err := h.IAM.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: role, PolicyName: aws.String("GroundTruthS3"), PolicyDocument: aws.String(widePolicy)})
			return err
		}(),
		func() error {
			_, err := h.IAM.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: role, PolicyName: aws.String("Unblock"), PolicyDocument: aws.String(widePolicy)})
			return err
		}(),
		func() error {
			_, err := h.IAM.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: role, PolicyDocument: aws.String(
				`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":"sts:AssumeRole"}]}`)})
			return err
		}(),
		func() error {
			_, err := h.IAM.TagRole(ctx, &iam.TagRoleInput{RoleName: role, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("audio")}}})
			return err
		}(),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if code, rep, _ := runDrift(t, h); code != 2 || len(rep.Findings) != 1 || len(rep.Findings[0].Differences) != 5 {
		t.Fatalf("before repair: exit %d, %+v", code, rep.Findings)
	}

	repaired := harness.With(p, "ReconcileToken", "repair-2026-11-23")
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: name, Props: repaired, OldProps: p, LogicalID: "LabelingRole"}))
	want := desired(t, p, name)
	assertRole(t, h, want)
	got, err := h.Describe(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := record.Of(want).Encode()
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range rec {
		if !slices.Contains(got.Tags, iamdoc.Tag{Key: k, Value: v}) {
			t.Errorf("after repair the role lacks record tag %s=%q; tags %v", k, v, got.Tags)
		}
	}
	h.Proxy.Reset()
	if code, rep, stderr := runDrift(t, h); code != 0 || rep.Count(drift.InSync) != 1 {
		t.Errorf("after repair: exit %d, %+v, stderr %s", code, rep.Findings, stderr)
	}
	assertNoWrites(t, h, "gtrole drift")
}
