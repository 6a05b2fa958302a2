package moto

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

var shared Lazy

func TestMain(m *testing.M) { os.Exit(shared.Main(m)) }

const trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

func TestIAMRoleAndReset(t *testing.T) {
	srv := shared.Get(t)
	ctx := t.Context()
	client := iam.NewFromConfig(srv.Config(ctx))
	if _, err := client.CreateRole(ctx, &iam.CreateRoleInput{
		RoleName:                 aws.String("gt-role"),
		AssumeRolePolicyDocument: aws.String(trust),
	}); err != nil {
		t.Fatalf("CreateRole: %v", err)
	}
	got, err := client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("gt-role")})
	if err != nil {
		t.Fatalf("GetRole: %v", err)
	}
	wantARN := "arn:aws:iam::" + AccountID + ":role/gt-role"
	if aws.ToString(got.Role.Arn) != wantARN {
		t.Errorf("role ARN = %q, want %q", aws.ToString(got.Role.Arn), wantARN)
	}

	if err := srv.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	_, err = client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("gt-role")})
	var nse *iamtypes.NoSuchEntityException
	if !errors.As(err, &nse) {
		t.Fatalf("GetRole after reset: err = %v, want NoSuchEntityException", err)
	}
}

// putEmptyContentType PUTs body to url the way CloudFormation requires:
// with a Content-Type header whose value is empty.
func putEmptyContentType(t *testing.T, url string, body []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header["Content-Type"] = []string{""}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("PUT: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("PUT status = %d, want 200", resp.StatusCode)
	}
}

func TestPresignPutRoundTrip(t *testing.T) {
	srv := shared.Get(t)
	ctx := t.Context()
	u, err := srv.PresignPut(ctx, "", "cfn-responses", "stack/req-1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(u, srv.URL()+"/cfn-responses/stack/req-1?") || !strings.Contains(u, "X-Amz-Signature=") {
		t.Fatalf("presigned URL %q is not a path-style signed URL on %s", u, srv.URL())
	}
	body := []byte(`{"Status":"SUCCESS"}`)
	putEmptyContentType(t, u, body)
	got, err := srv.GetObject(ctx, "cfn-responses", "stack/req-1")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, body) {
		t.Errorf("object = %q, want %q", got, body)
	}

	// A second presign for the same bucket must not fail on the existing bucket.
	if _, err := srv.PresignPut(ctx, "", "cfn-responses", "stack/req-2"); err != nil {
		t.Errorf("second PresignPut: %v", err)
	}
}

func TestPresignPutThroughProxy(t *testing.T) {
	srv := shared.Get(t)
	ctx := t.Context()
	target, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu   sync.Mutex
		seen []http.Header
	)
	rp := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		mu.Lock()
		seen = append(seen, r.In.Header.Clone())
		mu.Unlock()
		r.SetURL(target) // also rewrites Host, so moto sees a host the URL was not signed for
	}}
	proxy := httptest.NewServer(rp)
	defer proxy.Close()

	u, err := srv.PresignPut(ctx, proxy.URL, "cfn-proxied", "k")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(u, proxy.URL+"/") {
		t.Fatalf("presigned URL %q does not point at the proxy %s", u, proxy.URL)
	}
	body := []byte(`{"Status":"FAILED"}`)
	putEmptyContentType(t, u, body)

	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 1 {
		t.Fatalf("proxy saw %d requests, want 1", len(seen))
	}
	if ct, ok := seen[0]["Content-Type"]; !ok || !slices.Equal(ct, []string{""}) {
		t.Errorf("Content-Type on the wire = %q (present %v), want one empty value", ct, ok)
	}
	got, err := srv.GetObject(ctx, "cfn-proxied", "k")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, body) {
		t.Errorf("object = %q, want %q", got, body)
	}
}

func TestGetObjectMissing(t *testing.T) {
	srv := shared.Get(t)
	ctx := t.Context()
	if _, err := srv.PresignPut(ctx, "", "cfn-missing", "present"); err != nil {
		t.Fatal(err)
	}
	_, err := srv.GetObject(ctx, "cfn-missing", "absent")
	var nsk *s3types.NoSuchKey
	if !errors.As(err, &nsk) {
		t.Fatalf("GetObject(absent): err = %v, want NoSuchKey", err)
	}
}

func TestEnvFor(t *testing.T) {
	env := EnvFor("http://127.0.0.1:1")
	for _, want := range []string{
		"AWS_ENDPOINT_URL_IAM=http://127.0.0.1:1",
		"AWS_ENDPOINT_URL_S3=http://127.0.0.1:1",
		"AWS_ACCESS_KEY_ID=testing",
		"AWS_SECRET_ACCESS_KEY=testing",
		"AWS_REGION=us-east-1",
		"AWS_EC2_METADATA_DISABLED=true",
	} {
		if !slices.Contains(env, want) {
			t.Errorf("EnvFor lacks %q: %v", want, env)
		}
	}
}

func TestStartTStops(t *testing.T) {
	var s *Server
	t.Run("run", func(t *testing.T) {
		s = StartT(t)
		if err := s.Reset(t.Context()); err != nil {
			t.Fatal(err)
		}
	})
	// StartT's cleanup has run: the process must be gone and the port closed.
	select {
	case <-s.exited:
	default:
		t.Fatal("moto_server still running after test cleanup")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	if err := s.ping(ctx); err == nil {
		t.Error("stopped server still answers")
	}
}

// fatalTB records a Fatalf and ends the calling goroutine, as testing.T does.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// TestLazyFailsLoudlyWithoutMotoServer checks that a test asking for moto where moto_server is missing fails,
// saying how to install it, rather than skipping.
func TestLazyFailsLoudlyWithoutMotoServer(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	var l Lazy
	f := &fatalTB{TB: t}
	done := make(chan *Server)
	go func() {
		defer close(done)
		done <- l.Get(f)
	}()
	if srv := <-done; srv != nil {
		t.Fatalf("Get returned a server without moto_server on PATH")
	}
	if !strings.Contains(f.msg, "moto_server") || !strings.Contains(f.msg, installHint) {
		t.Errorf("Get failed with %q, want the missing moto_server and %q", f.msg, installHint)
	}
}
