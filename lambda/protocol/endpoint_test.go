package protocol

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/test/logbuf"
)

// Parts of the fake presigned URL that must never surface in logs or errors.
const (
	secretSignature = "SECRETSIGNATURE"
	secretToken     = "SECRETTOKEN"
	secretPath      = "secretpath"
)

// hit is one request received by an endpoint.
type hit struct {
	header        http.Header
	contentLength int64
	chunked       []string
	body          []byte
	at            time.Time
}

// testBucket is CloudFormation's response bucket for the test events' Region, us-east-1.
var testBucket = CloudFormationBucket("us-east-1", "aws", "amazonaws.com")

// bucketHost is the host of the endpoint's URLs: CloudFormation's response bucket in us-east-1.
const bucketHost = "cloudformation-custom-resource-response-useast1.s3.us-east-1.amazonaws.com"

// endpoint is a fake CloudFormation response URL: an https server that its client reaches for every host.
type endpoint struct {
	srv  *httptest.Server
	mu   sync.Mutex
	hits []hit
}

// newEndpoint serves respond(n, w, r) for the n-th request (1-based); nil respond answers 200.
func newEndpoint(t *testing.T, respond func(n int, w http.ResponseWriter, r *http.Request)) *endpoint {
	t.Helper()
	e := &endpoint{}
	e.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		e.mu.Lock()
		e.hits = append(e.hits, hit{header: r.Header.Clone(), contentLength: r.ContentLength, chunked: r.TransferEncoding, body: body, at: time.Now()})
		n := len(e.hits)
		e.mu.Unlock()
		if respond != nil {
			respond(n, w, r)
		}
	}))
	t.Cleanup(e.srv.Close)
	return e
}

// client sends every request to the endpoint, whatever the URL's host, and trusts the endpoint's certificate
// (issued for example.com), as if the endpoint were CloudFormation's bucket.
func (e *endpoint) client() *http.Client {
	roots := x509.NewCertPool()
	roots.AddCert(e.srv.Certificate())
	addr := e.srv.Listener.Addr().String()
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
		TLSClientConfig: &tls.Config{RootCAs: roots, ServerName: "example.com"},
	}}
}

// wire makes h answer to the endpoint: its client, and us-east-1's response bucket.
func (e *endpoint) wire(h *Handler) *Handler {
	h.Client, h.ResponseBucket = e.client(), testBucket
	return h
}

// url is a presigned-looking URL of CloudFormation's bucket in us-east-1 carrying the secret parts; the
// endpoint's client delivers it to the endpoint.
func (e *endpoint) url() string {
	return "https://" + bucketHost + "/cloudformation-" + secretPath + "/arn%3Aaws%3Acloudformation%3Aus-east-1?AWSAccessKeyId=AKIAEXAMPLE&Expires=1700000000&Signature=" +
		secretSignature + "%3D&X-Amz-Security-Token=" + secretToken
}

func (e *endpoint) requests() []hit {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]hit(nil), e.hits...)
}

// only returns the single response received, failing the test otherwise.
func (e *endpoint) only(t *testing.T) cfn.Response {
	t.Helper()
	hits := e.requests()
	if len(hits) != 1 {
		t.Fatalf("endpoint received %d requests, want 1", len(hits))
	}
	return decode(t, hits[0].body)
}

func decode(t *testing.T, body []byte) cfn.Response {
	t.Helper()
	var r cfn.Response
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("response body is not JSON: %v\n%s", err, body)
	}
	return r
}

// dropConnection closes the connection without answering.
func dropConnection(t *testing.T, w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	conn.Close()
}

// logLines decodes the JSON log lines written to b so far.
func logLines(t *testing.T, b *logbuf.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %v: %s", err, line)
		}
		out = append(out, m)
	}
	return out
}

func newLogger() (*slog.Logger, *logbuf.Buffer) {
	buf := &logbuf.Buffer{}
	return slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

// fastRetry keeps retry tests quick.
var fastRetry = RetryPolicy{Attempts: 4, BaseDelay: 5 * time.Millisecond, MaxDelay: 20 * time.Millisecond, AttemptTimeout: 2 * time.Second}

func testEvent(url string, rt cfn.RequestType, physicalID string) cfn.Event {
	return cfn.Event{
		RequestType:        rt,
		RequestID:          "11111111-2222-3333-4444-555555555555",
		ResponseURL:        url,
		ResourceType:       "Custom::GroundTruthExecutionRole",
		PhysicalResourceID: physicalID,
		LogicalResourceID:  "LabelingRole",
		StackID:            "arn:aws:cloudformation:us-east-1:123456789012:stack/demo/abcd",
		ResourceProperties: map[string]any{"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:x"},
	}
}
