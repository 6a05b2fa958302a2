package e2e

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
	"github.com/gtrole/groundtruth-execution-role/test/harness"
	"github.com/gtrole/groundtruth-execution-role/test/runtimeapi"
)

// The tests in this file play the request sequences of issue 7 against the compiled provider: what CloudFormation
// sends after a failed Update, a timeout or invalid settings, and what must be true of IAM after each answer.

// roleID reads a role's RoleId, failing the test when the role is gone.
func roleID(t *testing.T, h *harness.Harness, name string) string {
	t.Helper()
	r, err := h.Describe(t.Context(), name)
	if err != nil {
		t.Fatalf("role %s: %v", name, err)
	}
	return r.RoleID
}

// A role with a generated name; an Update fails; CloudFormation's rollback Update carries the original properties
// (OldResourceProperties the failed ones). It must answer the same role, in place: answering another name would
// make CloudFormation's cleanup delete the live role.
func TestRollbackAfterFailedUpdateKeepsTheRole(t *testing.T) {
	t.Parallel()
	base := harness.Props(t, "non-streaming")
	foreignTrust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	tests := []struct {
		name    string
		failed  map[string]any
		arrange func(t *testing.T, h *harness.Harness)
		reason  string
	}{
		{"RoleName added that is taken", harness.With(base, "RoleName", "taken"), func(t *testing.T, h *harness.Harness) {
			if _, err := h.IAM.CreateRole(t.Context(), &iam.CreateRoleInput{RoleName: aws.String("taken"), Path: aws.String("/groundtruth/"), AssumeRolePolicyDocument: aws.String(foreignTrust)}); err != nil {
				t.Fatal(err)
			}
		}, "already exists"},
		{"Path outside the prefix", harness.With(base, "Path", "/elsewhere/"), nil, "outside the provider's role path prefix"},
		{"RoleName plus a bad bucket", harness.With(base, "RoleName", "chosen", "OutputBuckets", []any{"Not_A_Bucket"}), nil, "not a valid S3 bucket name"},
		{"Path change whose PutRolePolicy fails", harness.With(base, "Path", "/groundtruth/moved/"), func(t *testing.T, h *harness.Harness) {
			h.Proxy.Add(faultproxy.FailNth("PutRolePolicy", 1, http.StatusConflict, "LimitExceeded"))
		}, "LimitExceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, rt := fresh(t, 30*time.Second)
			g := mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: base})).PhysicalResourceID
			id := roleID(t, h, g)
			if tt.arrange != nil {
				tt.arrange(t, h)
			}
			failed := mustFail(t, send(t, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: g, Props: tt.failed, OldProps: base}), tt.reason)
			if failed.PhysicalResourceID != g {
				t.Errorf("failed Update answered %q, want %q", failed.PhysicalResourceID, g)
			}
			h.Proxy.Reset()
			rollback := mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: g, Props: base, OldProps: tt.failed}))
			if rollback.PhysicalResourceID != g {
				t.Fatalf("rollback Update answered %q, want the live role %q: CloudFormation would now delete it", rollback.PhysicalResourceID, g)
			}
			if got := roleID(t, h, g); got != id {
				t.Errorf("RoleId changed from %s to %s", id, got)
			}
			assertRole(t, h, desired(t, base, g))
			owned := slices.DeleteFunc(roleNames(t, h), func(n string) bool { return n == "taken" })
			if !slices.Equal(owned, []string{g}) {
				t.Errorf("roles after the rollback: %v, want only %s", owned, g)
			}
		})
	}
}

// A fixed RoleName with a new Path is refused (IAM cannot move a role); the rollback Update that follows, back to
// the role's actual path, must succeed, or the stack ends UPDATE_ROLLBACK_FAILED. Same for a rename plus a move to a
// name that is taken.
func TestRollbackOfRefusedFixedNameUpdateSucceeds(t *testing.T) {
	t.Parallel()
	base := harness.With(harness.Props(t, "non-streaming"), "RoleName", "gt-fixed")
	foreignTrust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	for _, tc := range []struct {
		failed  map[string]any
		taken   string // a role someone else holds
		because string
	}{
		{harness.With(base, "Path", "/groundtruth/moved/"), "", "change RoleName as well"},
		{harness.With(base, "RoleName", "gt-taken", "Path", "/groundtruth/moved/"), "gt-taken", "already exists"},
	} {
		failed := tc.failed
		h, rt := fresh(t, 30*time.Second)
		mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: base}))
		id := roleID(t, h, "gt-fixed")
		if tc.taken != "" {
			if _, err := h.IAM.CreateRole(t.Context(), &iam.CreateRoleInput{RoleName: aws.String(tc.taken), Path: aws.String("/groundtruth/moved/"), AssumeRolePolicyDocument: aws.String(foreignTrust)}); err != nil {
				t.Fatal(err)
			}
		}
		mustFail(t, send(t, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: "gt-fixed", Props: failed, OldProps: base}), tc.because)
		r := mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: "gt-fixed", Props: base, OldProps: failed}))
		if r.PhysicalResourceID != "gt-fixed" || roleID(t, h, "gt-fixed") != id {
			t.Errorf("rollback answered %q; want gt-fixed, unchanged", r.PhysicalResourceID)
		}
	}
}

// A successful replacement (generated name → RoleName) followed by a stack rollback: the Update that carries the
// old properties to the new role returns to the role it replaced, so whichever id CloudFormation then deletes, the
// original role and its RoleId survive.
func TestRollbackAfterReplacementReturnsToTheOldRole(t *testing.T) {
	t.Parallel()
	base := harness.Props(t, "non-streaming")
	named := harness.With(base, "RoleName", "gt-named")
	h, rt := fresh(t, 30*time.Second)
	g := mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: base})).PhysicalResourceID
	id := roleID(t, h, g)
	if r := mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: g, Props: named, OldProps: base})); r.PhysicalResourceID != "gt-named" {
		t.Fatalf("replacing Update answered %q", r.PhysicalResourceID)
	}
	back := mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: "gt-named", Props: base, OldProps: named}))
	if back.PhysicalResourceID != g || roleID(t, h, g) != id {
		t.Fatalf("rollback answered %q, want the original role %s", back.PhysicalResourceID, g)
	}
	// CloudFormation's cleanup deletes the id the rollback moved away from.
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: "gt-named", Props: named}))
	if got := roleNames(t, h); !slices.Equal(got, []string{g}) {
		t.Errorf("roles = %v, want only %s", got, g)
	}
}

// A replacing Update (RoleName a → b) runs into its deadline while populating b. The cleanup of b must finish
// before the FAILED answer: Lambda freezes the sandbox once the invocation returns. The deletion is slowed so a
// cleanup running after the answer would still be under way when the invocation returns.
func TestReplacingUpdateTimeoutRemovesTheNewRoleBeforeAnswering(t *testing.T) {
	t.Parallel()
	a := harness.With(harness.Props(t, "non-streaming"), "RoleName", "gt-a")
	b := harness.With(a, "RoleName", "gt-b")
	h, rt := fresh(t, 20*time.Second)
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: a}))
	h.Proxy.Reset()
	h.Proxy.Add(faultproxy.Rule{Action: "PutRolePolicy", Nth: 1, Kind: faultproxy.Hang})
	h.Proxy.Add(faultproxy.Rule{Action: "DeleteRole", Kind: faultproxy.Delay, Delay: time.Second})
	d := send(t, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: "gt-a", Props: b, OldProps: a})
	r := mustFail(t, d, "timed out")
	if r.PhysicalResourceID != "gt-a" {
		t.Errorf("failed Update answered %q, want gt-a", r.PhysicalResourceID)
	}
	if got := roleNames(t, h); !slices.Equal(got, []string{"gt-a"}) {
		t.Errorf("roles when the invocation returned: %v, want only gt-a (gt-b removed before the answer)", got)
	}
}

// A CreateRole whose answer is lost to the deadline lands in IAM later; the cleanup watches for it and removes it
// before answering, so nothing the failed Create made survives.
func TestCreateRoleLandingAfterTheDeadlineLeavesNoRole(t *testing.T) {
	t.Parallel()
	const timeout = 20 * time.Second // work ends at 7.5 s, the answer is due at 15 s
	h, rt := fresh(t, timeout)
	h.Proxy.Add(faultproxy.Rule{Action: "CreateRole", Nth: 1, Kind: faultproxy.Late, Delay: 9 * time.Second})
	start := time.Now()
	r := mustFail(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: harness.Props(t, "non-streaming")}), "timed out")
	time.Sleep(time.Until(start.Add(10 * time.Second))) // after the landing, whatever the answer's timing
	if got := roleNames(t, h); len(got) != 0 {
		t.Errorf("roles after the late CreateRole landed: %v", got)
	}
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: r.PhysicalResourceID}))
}

// RoleName given as a JSON number (docs/lifecycle.md: numbers are accepted): a Create that times out answers the name of the role it
// made, so CloudFormation's Delete finds it.
func TestRoleNameNumberTimeoutAnswersTheRoleMade(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 12*time.Second)
	ev, key, err := h.Event(t.Context(), harness.Request{Type: cfn.RequestCreate, Props: harness.Props(t, "non-streaming")})
	if err != nil {
		t.Fatal(err)
	}
	ev.ResourceProperties["RoleName"] = 12345 // unlike CloudFormation, a number, as the CLI and CDK may pass
	h.Proxy.Add(faultproxy.Rule{Action: "PutRolePolicy", Kind: faultproxy.Hang})
	h.Proxy.Add(faultproxy.Rule{Action: "DeleteRole", Kind: faultproxy.Hang}) // the role made stays: the id must find it
	d, err := h.SendEvent(t.Context(), rt, ev, key)
	if err != nil {
		t.Fatal(err)
	}
	r := mustFail(t, d, "timed out")
	if got := roleNames(t, h); !slices.Equal(got, []string{"12345"}) || r.PhysicalResourceID != "12345" {
		t.Fatalf("answered physical id %q; roles in IAM %v: the answered id must name the role made", r.PhysicalResourceID, got)
	}
	h.Proxy.Reset()
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: r.PhysicalResourceID}))
	if got := roleNames(t, h); len(got) != 0 {
		t.Errorf("roles after the Delete: %v", got)
	}
}

// With invalid settings Create and Update fail with the settings' reason; the Delete CloudFormation sends next must
// still work, or every stack ends ROLLBACK_FAILED or DELETE_FAILED.
func TestDeleteWorksWithInvalidSettings(t *testing.T) {
	t.Parallel()
	p := harness.With(harness.Props(t, "non-streaming"), "RoleName", "gt-made-before")
	h, good := fresh(t, 30*time.Second)
	mustSucceed(t, send(t, h, good, harness.Request{Type: cfn.RequestCreate, Props: p}))
	for _, env := range []string{"ROLE_PATH_PREFIX=/", "ALLOWED_MANAGED_POLICY_ARNS=arn:aws:iam::aws:policy/*"} {
		rt, err := h.Runtime(t.Context(), runtimeapi.Options{Timeout: 30 * time.Second}, env)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _, _ = rt.Stop() })
		mustFail(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: harness.With(p, "RoleName", "gt-new")}), strings.SplitN(env, "=", 2)[0])
		mustFail(t, send(t, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: "gt-made-before", Props: p, OldProps: p}), strings.SplitN(env, "=", 2)[0])
		mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: "gt-new", Props: harness.With(p, "RoleName", "gt-new")}))
	}
	rt, err := h.Runtime(t.Context(), runtimeapi.Options{Timeout: 30 * time.Second}, "ROLE_PATH_PREFIX=/")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = rt.Stop() })
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: "gt-made-before", Props: p}))
	if got := roleNames(t, h); len(got) != 0 {
		t.Errorf("roles after the Delete: %v", got)
	}
}

// Every log line of a request, the IAM writes, the replacement and the cleanup included, carries the request's ids.
func TestEveryRequestLogLineCarriesTheRequestIds(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	a := harness.With(harness.Props(t, "non-streaming"), "RoleName", "gt-log-a")
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: a}))
	h.Proxy.Add(faultproxy.FailNth("PutRolePolicy", 1, http.StatusConflict, "LimitExceeded"))
	mustFail(t, send(t, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: "gt-log-a", Props: harness.With(a, "RoleName", "gt-log-b"), OldProps: a}))
	seen := map[string]bool{}
	for _, line := range strings.Split(rt.Logs(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) != nil || rec["msg"] == nil {
			continue
		}
		msg, _ := rec["msg"].(string)
		if len(seen) == 0 && msg != "request received" {
			continue // the process's start-up lines belong to no request
		}
		seen[msg] = true
		for _, k := range []string{"RequestId", "StackId", "LogicalResourceId", "RequestType"} {
			if v, _ := rec[k].(string); v == "" {
				t.Errorf("log line %q has no %s", msg, k)
			}
		}
	}
	for _, msg := range []string{"iam write", "update replaces the role", "create failed; removing the role it created"} {
		if !seen[msg] {
			t.Errorf("no %q line logged; the check above did not cover it", msg)
		}
	}
}

// An event whose fields have the wrong JSON type but whose ResponseURL is readable gets a FAILED answer.
func TestMalformedEventIsAnswered(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	for _, change := range []map[string]any{
		{"ResourceProperties": "InputBuckets=my-gt-input"},
		{"PhysicalResourceId": 12345},
	} {
		ev, key, err := h.Event(t.Context(), harness.Request{Type: cfn.RequestUpdate, PhysicalID: "gt-some-role", Props: harness.Props(t, "non-streaming")})
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(ev)
		var fields map[string]any
		if err := json.Unmarshal(raw, &fields); err != nil {
			t.Fatal(err)
		}
		for k, v := range change {
			fields[k] = v
		}
		payload, _ := json.Marshal(fields)
		if _, err := rt.Invoke(t.Context(), payload); err != nil {
			t.Fatal(err)
		}
		body, err := h.Moto.GetObject(t.Context(), harness.ResponseBucket, key)
		if err != nil {
			t.Fatalf("no answer to an event with %v: %v", change, err)
		}
		var r cfn.Response
		if err := json.Unmarshal(body, &r); err != nil {
			t.Fatal(err)
		}
		if r.Status != cfn.StatusFailed || !strings.Contains(r.Reason, "malformed request") || r.RequestID != ev.RequestID {
			t.Errorf("answer to an event with %v: %+v", change, r)
		}
	}
}

// A replacing Update's CreateRole that lands after even the cleanup's watch ends escapes its request; it still
// carries the creating token, and the rollback Update that CloudFormation sends next removes it.
func TestRoleEscapingAFailedUpdateIsRemovedByTheRollback(t *testing.T) {
	t.Parallel()
	a := harness.With(harness.Props(t, "non-streaming"), "RoleName", "gt-a")
	b := harness.With(a, "RoleName", "gt-b")
	h, rt := fresh(t, 12*time.Second) // work ends at 3.5 s; the cleanup watches until about 5.3 s
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: a}))
	h.Proxy.Add(faultproxy.Rule{Action: "CreateRole", Nth: 1, Kind: faultproxy.Late, Delay: 6 * time.Second})
	start := time.Now()
	mustFail(t, send(t, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: "gt-a", Props: b, OldProps: a}), "timed out")
	deadline := start.Add(15 * time.Second)
	for !slices.Contains(roleNames(t, h), "gt-b") {
		if time.Now().After(deadline) {
			t.Fatal("the late CreateRole never landed; the test proves nothing")
		}
		time.Sleep(100 * time.Millisecond)
	}
	r := mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: "gt-a", Props: a, OldProps: b}))
	if r.PhysicalResourceID != "gt-a" {
		t.Errorf("rollback answered %q, want gt-a", r.PhysicalResourceID)
	}
	if got := roleNames(t, h); !slices.Equal(got, []string{"gt-a"}) {
		t.Errorf("roles after the rollback: %v, want only gt-a", got)
	}
}
