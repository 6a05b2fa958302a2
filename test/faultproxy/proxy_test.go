package faultproxy

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/gtrole/groundtruth-execution-role/test/moto"
)

var motoSrv moto.Lazy

func TestMain(m *testing.M) { os.Exit(motoSrv.Main(m)) }

const trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// noBackoff keeps the SDK's standard retryer but retries at once.
type noBackoff struct{}

func (noBackoff) BackoffDelay(int, error) (time.Duration, error) { return 0, nil }

// setup resets moto and returns a proxy in front of it and an IAM client
// that talks through the proxy with at most attempts tries per call.
func setup(t *testing.T, attempts int) (*Proxy, *iam.Client) {
	t.Helper()
	if err := motoSrv.Get(t).Reset(t.Context()); err != nil {
		t.Fatal(err)
	}
	p, err := New(motoSrv.Get(t).URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	client := iam.NewFromConfig(moto.ConfigFor(p.URL()), func(o *iam.Options) {
		o.Retryer = retry.NewStandard(func(so *retry.StandardOptions) {
			so.MaxAttempts = attempts
			so.Backoff = noBackoff{}
		})
	})
	return p, client
}

func createRole(ctx context.Context, c *iam.Client, name string) error {
	_, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)})
	return err
}

// direct is an IAM client that bypasses the proxy.
func direct(t *testing.T) *iam.Client { return iam.NewFromConfig(motoSrv.Get(t).Config(t.Context())) }

func statuses(reqs []Request) []int {
	out := make([]int, len(reqs))
	for i, r := range reqs {
		out[i] = r.Status
	}
	return out
}

func TestFailFirstCreateRoleIsTypedAndNotApplied(t *testing.T) {
	p, client := setup(t, 3)
	p.Add(FailNth("CreateRole", 1, http.StatusConflict, "EntityAlreadyExists"))
	ctx := t.Context()

	err := createRole(ctx, client, "fp-role")
	var exists *types.EntityAlreadyExistsException
	if !errors.As(err, &exists) {
		t.Fatalf("CreateRole err = %v, want *types.EntityAlreadyExistsException", err)
	}
	var nse *types.NoSuchEntityException
	if _, err := direct(t).GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("fp-role")}); !errors.As(err, &nse) {
		t.Fatalf("moto GetRole after injected failure: err = %v, want NoSuchEntity (role must not exist)", err)
	}
	if got := p.Count("CreateRole"); got != 1 {
		t.Errorf("Count(CreateRole) = %d, want 1 (NoSuchEntity is not retryable)", got)
	}
	if reqs := p.Requests(); len(reqs) != 1 || reqs[0].Injected != Fail || reqs[0].Status != http.StatusConflict {
		t.Errorf("recorded %+v, want one injected 409", reqs)
	}

	// Only the first call was targeted: the second reaches moto.
	if err := createRole(ctx, client, "fp-role"); err != nil {
		t.Fatalf("second CreateRole: %v", err)
	}
	if _, err := direct(t).GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("fp-role")}); err != nil {
		t.Errorf("moto GetRole after second CreateRole: %v", err)
	}
}

func TestFailGetRoleNoSuchEntity(t *testing.T) {
	p, client := setup(t, 3)
	ctx := t.Context()
	if err := createRole(ctx, client, "exists"); err != nil {
		t.Fatal(err)
	}
	p.Add(FailNth("GetRole", 1, http.StatusNotFound, "NoSuchEntity"))
	_, err := client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("exists")})
	var nse *types.NoSuchEntityException
	if !errors.As(err, &nse) {
		t.Fatalf("GetRole err = %v, want *types.NoSuchEntityException", err)
	}
	if nse.ErrorMessage() != "injected NoSuchEntity" {
		t.Errorf("message = %q, want %q", nse.ErrorMessage(), "injected NoSuchEntity")
	}
	if _, err := client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("exists")}); err != nil {
		t.Errorf("second GetRole: %v", err)
	}
}

func TestThrottlingIsRetriedBySDK(t *testing.T) {
	p, client := setup(t, 3)
	p.Add(Throttle("CreateRole", 2))
	if err := createRole(t.Context(), client, "throttled"); err != nil {
		t.Fatalf("CreateRole through 2 throttles: %v", err)
	}
	if got, want := statuses(p.Requests()), []int{400, 400, 200}; !slices.Equal(got, want) {
		t.Errorf("statuses = %v, want %v", got, want)
	}
}

func TestThrottlingExhaustsRetries(t *testing.T) {
	p, client := setup(t, 2)
	p.Add(Throttle("CreateRole", 5))
	err := createRole(t.Context(), client, "throttled")
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "Throttling" {
		t.Fatalf("err = %v, want APIError Throttling", err)
	}
	if got := p.Count("CreateRole"); got != 2 {
		t.Errorf("Count(CreateRole) = %d, want 2 (MaxAttempts)", got)
	}
}

func TestDelay(t *testing.T) {
	p, client := setup(t, 1)
	const d = 300 * time.Millisecond
	p.Add(Rule{Action: "ListRoles", Kind: Delay, Delay: d})
	start := time.Now()
	if _, err := client.ListRoles(t.Context(), &iam.ListRolesInput{}); err != nil {
		t.Fatalf("ListRoles: %v", err)
	}
	if el := time.Since(start); el < d {
		t.Errorf("ListRoles took %v, want at least %v", el, d)
	}
	if reqs := p.Requests(); len(reqs) != 1 || reqs[0].Injected != Delay || reqs[0].Status != http.StatusOK {
		t.Errorf("recorded %+v, want one delayed 200", reqs)
	}
}

func TestHangRespectsClientTimeout(t *testing.T) {
	p, client := setup(t, 1)
	p.Add(Rule{Action: "CreateRole", Kind: Hang})
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := createRole(ctx, client, "hung")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("hung call returned after %v, want about 300ms", el)
	}
	var nse *types.NoSuchEntityException
	if _, err := direct(t).GetRole(t.Context(), &iam.GetRoleInput{RoleName: aws.String("hung")}); !errors.As(err, &nse) {
		t.Errorf("hung CreateRole reached moto: GetRole err = %v", err)
	}
}

func TestLateLandsAfterTheClientGaveUp(t *testing.T) {
	p, client := setup(t, 1)
	p.Add(Rule{Action: "CreateRole", Kind: Late, Delay: 400 * time.Millisecond})
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	if err := createRole(ctx, client, "late"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	var nse *types.NoSuchEntityException
	if _, err := direct(t).GetRole(t.Context(), &iam.GetRoleInput{RoleName: aws.String("late")}); !errors.As(err, &nse) {
		t.Fatalf("the late CreateRole landed before its delay: GetRole err = %v", err)
	}
	waitForRole(t, "late", "the late CreateRole never landed")
}

func TestHangReleasedByClose(t *testing.T) {
	p, client := setup(t, 1)
	p.Add(Rule{Kind: Hang})
	done := make(chan error, 1)
	go func() { done <- createRole(t.Context(), client, "hung") }()
	deadline := time.Now().Add(5 * time.Second)
	for len(p.Requests()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err == nil {
			t.Error("CreateRole succeeded through a hang")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("hung request not released by Close")
	}
}

func TestDropIsNetworkError(t *testing.T) {
	p, client := setup(t, 1)
	p.Add(Rule{Action: "GetRole", Kind: Drop})
	_, err := client.GetRole(t.Context(), &iam.GetRoleInput{RoleName: aws.String("x")})
	var send *smithyhttp.RequestSendError
	if !errors.As(err, &send) {
		t.Fatalf("err = %v, want *smithyhttp.RequestSendError", err)
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		t.Errorf("dropped connection yielded API error %v", api)
	}
	if reqs := p.Requests(); len(reqs) != 1 || reqs[0].Injected != Drop || reqs[0].Status != 0 {
		t.Errorf("recorded %+v, want one drop without status", reqs)
	}
}

func TestDropOnceIsRetried(t *testing.T) {
	p, client := setup(t, 3)
	p.Add(Rule{Action: "CreateRole", First: 1, Kind: Drop})
	if err := createRole(t.Context(), client, "dropped-once"); err != nil {
		t.Fatalf("CreateRole after one drop: %v", err)
	}
	if got := p.Count("CreateRole"); got != 2 {
		t.Errorf("Count(CreateRole) = %d, want 2", got)
	}
}

func TestRecordsRequests(t *testing.T) {
	p, client := setup(t, 1)
	ctx := t.Context()
	if err := createRole(ctx, client, "rec-role"); err != nil {
		t.Fatal(err)
	}
	if _, err := client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("rec-role")}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.ListRoles(ctx, &iam.ListRolesInput{}); err != nil {
		t.Fatal(err)
	}
	reqs := p.Requests()
	var actions []string
	for _, r := range reqs {
		actions = append(actions, r.Action)
	}
	if want := []string{"CreateRole", "GetRole", "ListRoles"}; !slices.Equal(actions, want) {
		t.Fatalf("actions = %v, want %v", actions, want)
	}
	first := reqs[0]
	if first.Method != http.MethodPost || first.Path != "/" || first.Status != http.StatusOK || first.Injected != 0 {
		t.Errorf("CreateRole record = %s %s status %d injected %v", first.Method, first.Path, first.Status, first.Injected)
	}
	if !strings.HasPrefix(first.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ") {
		t.Errorf("Authorization header = %q, want SigV4", first.Header.Get("Authorization"))
	}
	if !bytes.Contains(first.Body, []byte("RoleName=rec-role")) {
		t.Errorf("body %q lacks RoleName=rec-role", first.Body)
	}
	writes := p.Writes()
	if len(writes) != 1 || writes[0].Action != "CreateRole" {
		t.Errorf("Writes() = %+v, want only CreateRole", writes)
	}

	p.Reset()
	if n := len(p.Requests()); n != 0 {
		t.Errorf("after Reset, %d requests recorded", n)
	}
}

func TestResetRemovesRules(t *testing.T) {
	p, client := setup(t, 1)
	p.Add(Rule{Kind: Fail, Status: 500, Code: "ServiceFailure"})
	p.Reset()
	if _, err := client.ListRoles(t.Context(), &iam.ListRolesInput{}); err != nil {
		t.Fatalf("ListRoles after Reset: %v", err)
	}
}

func TestS3PutRuleByMethodAndPath(t *testing.T) {
	p, _ := setup(t, 1)
	ctx := t.Context()
	url, err := motoSrv.Get(t).PresignPut(ctx, p.URL(), "cfn-fp", "stack/req")
	if err != nil {
		t.Fatal(err)
	}
	p.Add(Rule{Method: http.MethodPut, PathPrefix: "/cfn-fp/", Nth: 1, Kind: Fail, Status: http.StatusServiceUnavailable, Code: "SlowDown"})
	put := func() int {
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, url, strings.NewReader(`{"Status":"SUCCESS"}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header["Content-Type"] = []string{""}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := put(); got != http.StatusServiceUnavailable {
		t.Errorf("first PUT status = %d, want 503", got)
	}
	if got := put(); got != http.StatusOK {
		t.Errorf("second PUT status = %d, want 200", got)
	}
	body, err := motoSrv.Get(t).GetObject(ctx, "cfn-fp", "stack/req")
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != `{"Status":"SUCCESS"}` {
		t.Errorf("object = %q", body)
	}
	reqs := p.Requests()
	if len(reqs) != 2 || reqs[0].Action != "" || reqs[0].Method != http.MethodPut || string(reqs[1].Body) != `{"Status":"SUCCESS"}` {
		t.Errorf("recorded %+v", reqs)
	}
	if len(p.Writes()) != 0 {
		t.Errorf("S3 PUTs counted as IAM writes: %+v", p.Writes())
	}
}

func TestNewRejectsBadTarget(t *testing.T) {
	for _, target := range []string{"", "127.0.0.1:5000", "::"} {
		if p, err := New(target); err == nil {
			p.Close()
			t.Errorf("New(%q) succeeded", target)
		}
	}
}

// waitForRole polls moto for up to 5 s until the role exists, failing the test with msg if it never does.
func waitForRole(t *testing.T, name, msg string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := direct(t).GetRole(t.Context(), &iam.GetRoleInput{RoleName: aws.String(name)})
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", msg, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
