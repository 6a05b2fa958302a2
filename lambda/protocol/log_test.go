package protocol

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
)

// assertNoSecrets fails if any part of the presigned URL beyond its host shows up in text.
func assertNoSecrets(t *testing.T, where, text string) {
	t.Helper()
	for _, s := range []string{secretSignature, secretToken, secretPath, "AKIAEXAMPLE", "Expires="} {
		if strings.Contains(text, s) {
			t.Errorf("%s leaks %q:\n%s", where, s, text)
		}
	}
}

func TestResponseURLNeverLeaks(t *testing.T) {
	echoURL := func(_ int, w http.ResponseWriter, r *http.Request) {
		// S3 error bodies can echo the signed request; this one echoes the whole URL.
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, "<Error><Code>SignatureDoesNotMatch</Code><CanonicalRequest>PUT %s</CanonicalRequest></Error>", r.URL.String())
	}
	tests := []struct {
		name    string
		respond func(int, http.ResponseWriter, *http.Request)
		url     func(ep *endpoint) string
		work    cfn.CustomResourceFunction
		wantErr bool
	}{
		{name: "delivered"},
		{name: "403 echoing the URL", respond: echoURL, wantErr: true},
		{name: "500 every time", respond: func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) }, wantErr: true},
		{name: "dropped connections", respond: func(_ int, w http.ResponseWriter, _ *http.Request) { dropConnection(t, w) }, wantErr: true},
		{
			name:    "connection refused",
			url:     func(ep *endpoint) string { u := ep.url(); ep.srv.Close(); return u },
			wantErr: true,
		},
		{
			name: "unparseable URL",
			url: func(*endpoint) string {
				return "http://bad host/" + secretPath + "?Signature=" + secretSignature + "&X-Amz-Security-Token=" + secretToken
			},
			wantErr: true,
		},
		{
			name: "attempts time out",
			respond: func(_ int, _ http.ResponseWriter, r *http.Request) {
				<-r.Context().Done()
			},
			wantErr: true,
		},
		{
			name: "work panics",
			work: func(context.Context, cfn.Event) (string, map[string]any, error) { panic("boom") },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := newEndpoint(t, tt.respond)
			rawURL := ep.url()
			if tt.url != nil {
				rawURL = tt.url(ep)
			}
			work := tt.work
			if work == nil {
				work = func(context.Context, cfn.Event) (string, map[string]any, error) { return "id", nil, nil }
			}
			logger, logs := newLogger()
			h := &Handler{Work: work, Logger: logger,
				Retry: RetryPolicy{Attempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond, AttemptTimeout: 100 * time.Millisecond}}
			ep.wire(h)
			err := h.Handle(context.Background(), testEvent(rawURL, cfn.RequestCreate, ""))
			if (err != nil) != tt.wantErr {
				t.Fatalf("Handle error = %v, want error %v", err, tt.wantErr)
			}
			assertNoSecrets(t, "logs", logs.String())
			if err == nil {
				return
			}
			assertNoSecrets(t, "error", err.Error())
			assertNoSecrets(t, "%+v of error", fmt.Sprintf("%+v %#v", err, err))
			for e := err; e != nil; e = errors.Unwrap(e) {
				assertNoSecrets(t, fmt.Sprintf("wrapped %T", e), e.Error())
			}
			var ue *url.Error
			if errors.As(err, &ue) {
				t.Errorf("a *url.Error is reachable from the returned error: %v", ue.URL != "")
			}
			if host := hostOf(rawURL); host != "(unparseable response URL)" && !strings.Contains(err.Error(), host) {
				t.Errorf("error %q does not name the host %q", err, host)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	raw := "https://bucket.s3.amazonaws.com/path/" + secretPath + "?Signature=" + secretSignature + "&X-Amz-Security-Token=" + secretToken
	inner := errors.New("connection reset by peer")
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"url.Error is unwrapped", &url.Error{Op: "Put", URL: raw, Err: inner}, "Put bucket.s3.amazonaws.com: connection reset by peer"},
		{"wrapped url.Error", fmt.Errorf("send: %w", &url.Error{Op: "Put", URL: raw, Err: inner}), "Put bucket.s3.amazonaws.com: connection reset by peer"},
		{"URL inside a plain message", fmt.Errorf("cannot reach %s", raw), "cannot reach [redacted]"},
		{"query inside a message", fmt.Errorf("bad query %s", raw[strings.IndexByte(raw, '?')+1:]), "bad query [redacted]"},
		{"signature alone", fmt.Errorf("sig %s", secretSignature), "sig [redacted]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := redact(tt.err, raw)
			if got.Error() != tt.want {
				t.Errorf("redact = %q, want %q", got, tt.want)
			}
			var ue *url.Error
			if errors.As(got, &ue) {
				t.Error("*url.Error still reachable")
			}
		})
	}
	if redact(nil, raw) != nil {
		t.Error("redact(nil) != nil")
	}
	if !errors.Is(redact(&url.Error{Op: "Put", URL: raw, Err: context.DeadlineExceeded}, raw), context.DeadlineExceeded) {
		t.Error("redact hides the cause from errors.Is")
	}
}

func TestHostOf(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/a?b=c", "cloudformation-custom-resource-response-useast1.s3.amazonaws.com"},
		{"http://127.0.0.1:8080/x", "127.0.0.1:8080"},
		{"http://bad host/", "(unparseable response URL)"},
		{"no-scheme", "(unparseable response URL)"},
	}
	for _, tt := range tests {
		if got := hostOf(tt.in); got != tt.want {
			t.Errorf("hostOf(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
