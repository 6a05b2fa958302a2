//go:build integration

// Package integ runs the provider binary's lifecycle against real IAM (AWS credentials in the environment) or an
// emulator named by AWS_ENDPOINT_URL, such as LocalStack: `make integ`. Without credentials every test skips.
// Roles are created under /groundtruth/integ/ with a random name and removed even when a test fails.
package integ

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
	"github.com/gtrole/groundtruth-execution-role/test/cfnbucket"
	"github.com/gtrole/groundtruth-execution-role/test/runtimeapi"
)

// passThrough are the environment variables the provider binary needs to reach the same AWS as this test.
var passThrough = []string{
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION",
	"AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "HOME", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_IAM",
}

type env struct {
	iam     *iam.Client
	account string
	region  string
	binary  string
}

func setup(t *testing.T) env {
	t.Helper()
	ctx := t.Context()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Skipf("no AWS configuration: %v", err)
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		t.Skipf("no AWS credentials (set them, or AWS_ENDPOINT_URL for LocalStack, to run the integration suite): %v", err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Skipf("AWS credentials do not work: %v", err)
	}
	binary, err := runtimeapi.Build(ctx, "github.com/gtrole/groundtruth-execution-role/lambda/cmd/bootstrap", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return env{iam: iam.NewFromConfig(cfg), account: aws.ToString(id.Account), region: cfg.Region, binary: binary}
}

// receiver plays CloudFormation's side of the response URL: the provider PUTs to the response bucket's host in the
// test's region, and the bucket stand-in (the provider's HTTPS_PROXY; other hosts, IAM's, pass through to AWS)
// hands the PUT to srv. Go reads the system's certificate directories beside SSL_CERT_FILE, so IAM's TLS still verifies.
type receiver struct {
	srv    *httptest.Server
	bucket *cfnbucket.Stub
	region string
	mu     sync.Mutex
	got    map[string]cfn.Response
}

func newReceiver(t *testing.T, region string) *receiver {
	r := &receiver{got: map[string]cfn.Response{}, region: region}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		var resp cfn.Response
		if err := json.Unmarshal(body, &resp); err != nil || len(body) > 4096 || req.Header.Get("Content-Type") != "" {
			t.Errorf("bad response PUT (%d bytes, Content-Type %q): %v", len(body), req.Header.Get("Content-Type"), err)
		}
		key := strings.TrimPrefix(req.URL.Path, "/r/")
		r.mu.Lock()
		r.got[key] = resp
		r.mu.Unlock()
	}))
	t.Cleanup(r.srv.Close)
	b, err := cfnbucket.Start(r.srv.URL+"/r", cfnbucket.PassThrough())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	r.bucket = b
	return r
}

func (r *receiver) send(t *testing.T, rt *runtimeapi.Runtime, ev cfn.Event) cfn.Response {
	t.Helper()
	u, err := r.bucket.URL(r.srv.URL+"/r/"+ev.RequestID, r.region)
	if err != nil {
		t.Fatal(err)
	}
	ev.ResponseURL = u
	payload, _ := json.Marshal(ev)
	if _, err := rt.Invoke(t.Context(), payload); err != nil {
		t.Fatalf("%s: %v", ev.RequestType, err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	resp, ok := r.got[ev.RequestID]
	if !ok {
		t.Fatalf("%s: no response was PUT", ev.RequestType)
	}
	return resp
}

func random() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// TestLifecycleAgainstIAM creates, updates in place, replaces and deletes a role per scenario in a real account.
func TestLifecycleAgainstIAM(t *testing.T) {
	e := setup(t)
	arn := func(service, resource string) string {
		return "arn:" + spec.PartitionOf(e.region) + ":" + service + ":" + e.region + ":" + e.account + ":" + resource
	}
	scenarios := map[string]map[string]any{
		"non-streaming": {"InputBuckets": []any{"gtrole-integ-input"}, "OutputBuckets": []any{"gtrole-integ-output/labels/"}},
		"streaming": {"InputBuckets": []any{"gtrole-integ-input"}, "OutputBuckets": []any{"gtrole-integ-output"},
			"StreamingInputTopicArns": []any{arn("sns", "gtrole-integ-in")}},
		"custom-workflow": {"InputBuckets": []any{"gtrole-integ-input"}, "OutputBuckets": []any{"gtrole-integ-output"},
			"PreAnnotationLambdaArns": []any{arn("lambda", "function:gtrole-integ-pre")}},
		"automated-labeling": {"InputBuckets": []any{"gtrole-integ-input"}, "OutputBuckets": []any{"gtrole-integ-output"}, "AutomatedLabeling": "true"},
		"kms": {"InputBuckets": []any{"gtrole-integ-input"}, "OutputBuckets": []any{"gtrole-integ-output"},
			"KmsKeyArns": []any{arn("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab")}},
	}
	var vars []string
	for _, k := range passThrough {
		if v, ok := os.LookupEnv(k); ok {
			vars = append(vars, k+"="+v)
		}
	}
	for name, props := range scenarios {
		t.Run(name, func(t *testing.T) {
			r := newReceiver(t, e.region)
			rt := runtimeapi.StartT(t, runtimeapi.Options{Binary: e.binary, Env: append(r.bucket.Env(), vars...), Region: e.region,
				Timeout: 5 * time.Minute, FunctionARN: arn("lambda", "function:gtrole-integ")})
			roleName := "gtrole-integ-" + random()
			props["RoleName"] = roleName
			props["Path"] = "/groundtruth/integ/"
			t.Cleanup(func() { removeRole(context.WithoutCancel(t.Context()), t, e.iam, roleName) })
			stack := "arn:aws:cloudformation:" + e.region + ":" + e.account + ":stack/gtrole-integ/" + random()
			ev := func(typ cfn.RequestType, id string, p, old map[string]any) cfn.Event {
				return cfn.Event{RequestType: typ, RequestID: random(), StackID: stack, LogicalResourceID: "Role",
					ResourceType: "Custom::GroundTruthExecutionRole", PhysicalResourceID: id, ResourceProperties: p, OldResourceProperties: old}
			}
			created := r.send(t, rt, ev(cfn.RequestCreate, "", props, nil))
			if created.Status != cfn.StatusSuccess || created.PhysicalResourceID != roleName {
				t.Fatalf("Create: %+v", created)
			}
			updated := map[string]any{"Description": "updated in place"}
			for k, v := range props {
				updated[k] = v
			}
			if u := r.send(t, rt, ev(cfn.RequestUpdate, roleName, updated, props)); u.Status != cfn.StatusSuccess || u.PhysicalResourceID != roleName {
				t.Fatalf("in-place Update: %+v", u)
			}
			got, err := e.iam.GetRole(t.Context(), &iam.GetRoleInput{RoleName: aws.String(roleName)})
			if err != nil || aws.ToString(got.Role.Description) != "updated in place" {
				t.Fatalf("role after Update: %v, %v", got, err)
			}
			if d := r.send(t, rt, ev(cfn.RequestDelete, roleName, updated, nil)); d.Status != cfn.StatusSuccess {
				t.Fatalf("Delete: %+v", d)
			}
			_, err = e.iam.GetRole(t.Context(), &iam.GetRoleInput{RoleName: aws.String(roleName)})
			var missing *types.NoSuchEntityException
			if !errors.As(err, &missing) {
				t.Errorf("role still there after Delete: %v", err)
			}
		})
	}
}

// removeRole deletes a role a failed test left behind.
func removeRole(ctx context.Context, t *testing.T, c *iam.Client, name string) {
	if _, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)}); err != nil {
		return
	}
	t.Logf("removing leftover role %s", name)
	if out, err := c.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String(name)}); err == nil {
		for _, p := range out.PolicyNames {
			_, _ = c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String(p)})
		}
	}
	if out, err := c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(name)}); err == nil {
		for _, p := range out.AttachedPolicies {
			_, _ = c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String(name), PolicyArn: p.PolicyArn})
		}
	}
	_, _ = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String(name)})
}
