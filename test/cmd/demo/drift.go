package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gtrole/groundtruth-execution-role/test/harness"
	"github.com/gtrole/groundtruth-execution-role/test/runtimeapi"
)

// scheduledEvent is what EventBridge sends the provider function on the drift-audit schedule.
const scheduledEvent = `{"version":"0","id":"demo","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012",` +
	`"time":"2026-11-23T00:00:00Z","region":"us-east-1","resources":[],"detail":{}}`

// driftStep widens the role by hand, lets the scheduled audit find it, repairs it through CloudFormation with a new
// ReconcileToken and audits again. It returns the properties now deployed.
func driftStep(ctx context.Context, out io.Writer, h *harness.Harness, rt *runtimeapi.Runtime, name string, props map[string]any) (map[string]any, error) {
	step(out, "Drift", "someone attaches an inline policy granting s3:* on * to "+name+" by hand")
	if _, err := h.IAM.PutRolePolicy(ctx, &iam.PutRolePolicyInput{
		RoleName: aws.String(name), PolicyName: aws.String("Unblock"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`),
	}); err != nil {
		return nil, err
	}
	if err := audit(ctx, out, h, rt); err != nil {
		return nil, err
	}

	repaired := map[string]any{}
	for k, v := range props {
		repaired[k] = v
	}
	repaired["ReconcileToken"] = "repair-1"
	step(out, "Repair", "Update with a new ReconcileToken (no effect on the role): the reconcile restores the declared role")
	if _, err := send(ctx, out, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: name, Props: repaired, OldProps: props}); err != nil {
		return nil, err
	}
	return repaired, audit(ctx, out, h, rt)
}

// audit invokes the provider with a scheduled event and prints what it logged: a line per drifted role and the
// embedded-metric-format line with DriftedRoles.
func audit(ctx context.Context, out io.Writer, h *harness.Harness, rt *runtimeapi.Runtime) error {
	seenLogs, seenCalls := len(rt.Logs()), len(h.Proxy.Requests())
	inv, err := rt.Invoke(ctx, []byte(scheduledEvent))
	if err != nil {
		return err
	}
	if inv.Error != nil {
		return fmt.Errorf("drift audit failed: %v", inv.Error)
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	// Wait for this audit's own metric line: an earlier audit's is already in the logs.
	for !strings.Contains(rt.Logs()[seenLogs:], `"DriftedRoles"`) {
		select {
		case <-wctx.Done():
			return fmt.Errorf("wait for the audit's DriftedRoles line in the function logs: %w", wctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
	fmt.Fprintln(out, "Scheduled drift audit (EventBridge event to the provider function) logged:")
	for _, line := range strings.Split(rt.Logs()[seenLogs:], "\n") {
		if strings.Contains(line, `"role drifted"`) || strings.Contains(line, `"drift audit finished"`) || strings.Contains(line, `"_aws"`) {
			fmt.Fprintf(out, "  %s\n", line)
		}
	}
	var calls []string
	for _, r := range h.Proxy.Requests()[seenCalls:] {
		if r.IsWrite() {
			return fmt.Errorf("the audit made the write call %s", r.Action)
		}
		calls = append(calls, r.Action)
	}
	fmt.Fprintf(out, "IAM calls (%d, 0 writes): %s\n", len(calls), strings.Join(calls, ", "))
	return nil
}
