package reconcile

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net/url"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/trustpolicy"
	"github.com/gtrole/groundtruth-execution-role/test/logbuf"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
	"github.com/gtrole/groundtruth-execution-role/test/moto"
)

// These tests run the reconciler with the real SDK against moto over HTTP, through a fault-injecting proxy that
// also records every call. moto is one process for the package, started by the first test that needs it (the pure
// tests run without it), so the tests do not run in parallel.

var motoSrv moto.Lazy

func TestMain(m *testing.M) { os.Exit(motoSrv.Main(m)) }

const account = moto.AccountID

// Managed policies every test account holds; moto does not load AWS managed policies by default.
var (
	managedA  = "arn:aws:iam::" + account + ":policy/gt-managed-a"
	managedB  = "arn:aws:iam::" + account + ":policy/gt-managed-b"
	managedC  = "arn:aws:iam::" + account + ":policy/gt-managed-c"
	boundary1 = "arn:aws:iam::" + account + ":policy/gt-boundary-1"
	boundary2 = "arn:aws:iam::" + account + ":policy/gt-boundary-2"
)

var owner = Owner{
	StackID:   "arn:aws:cloudformation:us-east-1:" + account + ":stack/gt/11111111-2222-3333-4444-555555555555",
	LogicalID: "LabelingRole",
}

// clientAttempts is the test client's retryer bound on the tries of one IAM call.
const clientAttempts = 3

// noBackoff keeps the SDK's standard retryer but retries at once.
type noBackoff struct{}

func (noBackoff) BackoffDelay(int, error) (time.Duration, error) { return 0, nil }

// env is one test's view of a clean moto account.
type env struct {
	proxy  *faultproxy.Proxy
	rec    *Reconciler
	direct *iam.Client // bypasses the proxy: arranges and inspects without being recorded or faulted
	logs   *logbuf.Buffer
}

// newEnv resets moto, creates the shared managed policies and returns a reconciler talking through a new proxy.
func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := t.Context()
	srv := motoSrv.Get(t)
	if err := srv.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	p, err := faultproxy.New(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	client := iam.NewFromConfig(moto.ConfigFor(p.URL()), func(o *iam.Options) {
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = clientAttempts
			so.Backoff = noBackoff{}
		})
	})
	e := &env{proxy: p, direct: iam.NewFromConfig(srv.Config(ctx)), logs: &logbuf.Buffer{}}
	e.rec = &Reconciler{
		IAM:            client,
		Logger:         slog.New(slog.NewJSONHandler(io.MultiWriter(e.logs, t.Output()), nil)),
		RoleWait:       5 * time.Second,
		CleanupTimeout: 10 * time.Second,
		LandingWait:    time.Second,
		Settle:         5 * time.Millisecond,
	}
	for _, arn := range []string{managedA, managedB, managedC, boundary1, boundary2} {
		name := arn[len("arn:aws:iam::"+account+":policy/"):]
		_, err := e.direct.CreatePolicy(ctx, &iam.CreatePolicyInput{
			PolicyName:     aws.String(name),
			PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`),
		})
		if err != nil {
			t.Fatalf("create managed policy %s: %v", name, err)
		}
	}
	return e
}

// writes returns the actions of the recorded write calls, in order.
func (e *env) writes() []string {
	var out []string
	for _, r := range e.proxy.Writes() {
		out = append(out, r.Action)
	}
	return out
}

// roleNames lists every role in the account through the SDK.
func (e *env) roleNames(t *testing.T) []string {
	t.Helper()
	var names []string
	p := iam.NewListRolesPaginator(e.direct, &iam.ListRolesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Roles {
			names = append(names, aws.ToString(r.RoleName))
		}
	}
	return names
}

// held is a role as IAM holds it, read back directly.
type held struct {
	Path, Description, Boundary string
	MaxSession                  int32
	Trust                       iamdoc.Document
	Inline                      map[string]iamdoc.Document
	Managed                     []string
	Tags                        map[string]string
}

// readBack reads the role name as IAM holds it; documents that do not parse fail the test.
func (e *env) readBack(t *testing.T, name string) held {
	t.Helper()
	ctx := t.Context()
	out, err := e.direct.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
	if err != nil {
		t.Fatalf("read back role %s: %v", name, err)
	}
	r := out.Role
	h := held{
		Path:        aws.ToString(r.Path),
		Description: aws.ToString(r.Description),
		MaxSession:  aws.ToInt32(r.MaxSessionDuration),
		Trust:       mustDecode(t, aws.ToString(r.AssumeRolePolicyDocument)),
		Inline:      map[string]iamdoc.Document{},
		Tags:        map[string]string{},
	}
	if r.PermissionsBoundary != nil {
		h.Boundary = aws.ToString(r.PermissionsBoundary.PermissionsBoundaryArn)
	}
	names, err := e.direct.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names.PolicyNames {
		p, err := e.direct.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String(n)})
		if err != nil {
			t.Fatal(err)
		}
		h.Inline[n] = mustDecode(t, aws.ToString(p.PolicyDocument))
	}
	att, err := e.direct.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range att.AttachedPolicies {
		h.Managed = append(h.Managed, aws.ToString(a.PolicyArn))
	}
	slices.Sort(h.Managed)
	tags, err := e.direct.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range tags.Tags {
		h.Tags[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
	}
	return h
}

func mustDecode(t *testing.T, encoded string) iamdoc.Document {
	t.Helper()
	text, err := url.QueryUnescape(encoded)
	if err != nil {
		t.Fatalf("unescape %q: %v", encoded, err)
	}
	d, err := iamdoc.Parse(text)
	if err != nil {
		t.Fatalf("parse %s: %v", text, err)
	}
	return d
}

// assertHolds fails the test unless IAM holds role name exactly as desired, tagged as owner's.
func (e *env) assertHolds(t *testing.T, desired iamdoc.Role, o Owner) {
	t.Helper()
	h := e.readBack(t, desired.RoleName)
	if h.Path != pathOf(desired) {
		t.Errorf("path = %q, want %q", h.Path, pathOf(desired))
	}
	if h.Description != desired.Description {
		t.Errorf("description = %q, want %q", h.Description, desired.Description)
	}
	if h.MaxSession != maxSessionOf(desired) {
		t.Errorf("max session = %d, want %d", h.MaxSession, maxSessionOf(desired))
	}
	if h.Boundary != desired.PermissionsBoundary {
		t.Errorf("boundary = %q, want %q", h.Boundary, desired.PermissionsBoundary)
	}
	if !iamdoc.Equivalent(h.Trust, desired.AssumeRolePolicyDocument) {
		t.Errorf("trust = %s, want %s", h.Trust, desired.AssumeRolePolicyDocument)
	}
	if got, want := slices.Sorted(maps.Keys(h.Inline)), inlineNames(desired); !slices.Equal(got, want) {
		t.Errorf("inline policies = %v, want %v", got, want)
	}
	for _, p := range desired.Policies {
		if have, ok := h.Inline[p.PolicyName]; ok && !iamdoc.Equivalent(have, p.PolicyDocument) {
			t.Errorf("inline %s = %s, want %s", p.PolicyName, have, p.PolicyDocument)
		}
	}
	if want := []string(iamdoc.NewStrings(desired.ManagedPolicyArns...)); !slices.Equal(h.Managed, want) {
		t.Errorf("managed = %v, want %v", h.Managed, want)
	}
	if want := desiredTags(desired, o); !maps.Equal(h.Tags, want) {
		t.Errorf("tags = %v, want %v", h.Tags, want)
	}
}

func inlineNames(r iamdoc.Role) []string {
	var out []string
	for _, p := range r.Policies {
		out = append(out, p.PolicyName)
	}
	slices.Sort(out)
	return out
}

// doc builds a one-statement-per-entry Allow document.
func doc(stmts ...iamdoc.Statement) iamdoc.Document {
	return iamdoc.Document{Version: iamdoc.Version, Statement: stmts}
}

func allow(actions, resources []string) iamdoc.Statement {
	return iamdoc.Statement{Effect: iamdoc.Allow, Action: actions, Resource: resources}
}

// sagemakerTrust is the provider's trust policy for the test account, without confused-deputy protection.
func sagemakerTrust() iamdoc.Document { return trustpolicy.For(account, false, nil) }

// fullRole is a desired role using every field.
func fullRole(name string) iamdoc.Role {
	return iamdoc.Role{
		RoleName:                 name,
		Path:                     "/groundtruth/",
		Description:              "Ground Truth labeling",
		MaxSessionDuration:       7200,
		PermissionsBoundary:      boundary1,
		Tags:                     []iamdoc.Tag{{Key: "team", Value: "vision"}, {Key: "cost-center", Value: "42"}},
		AssumeRolePolicyDocument: trustpolicy.For(account, true, nil),
		Policies: []iamdoc.InlinePolicy{
			{PolicyName: "S3Output", PolicyDocument: doc(
				allow([]string{"s3:PutObject"}, []string{"arn:aws:s3:::out-bucket/labels/*"}),
			)},
			{PolicyName: "S3Input", PolicyDocument: doc(
				allow([]string{"s3:GetObject", "s3:GetBucketLocation"}, []string{"arn:aws:s3:::in-bucket", "arn:aws:s3:::in-bucket/*"}),
				allow([]string{"s3:ListBucket"}, []string{"arn:aws:s3:::in-bucket"}),
			)},
		},
		ManagedPolicyArns: []string{managedB, managedA},
	}
}

// kindOf returns the kind of err and fails the test when err is not an *Error.
func kindOf(t *testing.T, err error) Kind {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *reconcile.Error", err, err)
	}
	return e.Kind
}

// withTimeout is a context for one reconciler call.
func withTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}
