package protocol

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestSendRetryPolicy(t *testing.T) {
	const (
		ok   = 200
		drop = -1 // close the connection without an answer
	)
	tests := []struct {
		name         string
		answers      []int // per attempt; attempts beyond the list get 200
		wantAttempts int
		wantErr      bool
		wantStatus   int
	}{
		{"first try succeeds", nil, 1, false, 0},
		{"two 500s then success", []int{500, 500, ok}, 3, false, 0},
		{"503 and 429 are retried", []int{503, 429, ok}, 3, false, 0},
		{"dropped connection is retried", []int{drop, ok}, 2, false, 0},
		{"403 is not retried", []int{403}, 1, true, 403},
		{"404 is not retried", []int{404}, 1, true, 404},
		{"gives up after the attempt limit", []int{500, 500, 500, 500, 500}, fastRetry.Attempts, true, 500},
		{"dropped every time gives up", []int{drop, drop, drop, drop}, fastRetry.Attempts, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := newEndpoint(t, func(n int, w http.ResponseWriter, _ *http.Request) {
				if n > len(tt.answers) {
					return
				}
				switch code := tt.answers[n-1]; code {
				case drop:
					dropConnection(t, w)
				default:
					w.WriteHeader(code)
				}
			})
			logger, _ := newLogger()
			h := &Handler{Logger: logger, Retry: fastRetry}
			ep.wire(h)
			err := h.send(context.Background(), ep.url(), []byte(`{"Status":"SUCCESS"}`), logger)
			if got := len(ep.requests()); got != tt.wantAttempts {
				t.Errorf("attempts = %d, want %d", got, tt.wantAttempts)
			}
			if (err != nil) != tt.wantErr {
				t.Fatalf("send error = %v, want error %v", err, tt.wantErr)
			}
			if err == nil {
				return
			}
			var derr *DeliveryError
			if !errors.As(err, &derr) {
				t.Fatalf("error %T is not a *DeliveryError", err)
			}
			if derr.StatusCode != tt.wantStatus || derr.Attempts != tt.wantAttempts {
				t.Errorf("DeliveryError = %+v, want status %d after %d attempts", derr, tt.wantStatus, tt.wantAttempts)
			}
		})
	}
}

func TestSendHeaders(t *testing.T) {
	ep := newEndpoint(t, nil)
	logger, _ := newLogger()
	body := []byte(`{"Status":"SUCCESS","RequestId":"r"}`)
	if err := ep.wire(&Handler{Logger: logger}).send(context.Background(), ep.url(), body, logger); err != nil {
		t.Fatalf("send: %v", err)
	}
	got := ep.requests()[0]
	if v, present := got.header["Content-Type"]; present {
		t.Errorf("Content-Type header sent: %q", v)
	}
	if got.contentLength != int64(len(body)) || len(got.chunked) != 0 {
		t.Errorf("Content-Length = %d, Transfer-Encoding %q; want %d and none", got.contentLength, got.chunked, len(body))
	}
	if string(got.body) != string(body) {
		t.Errorf("body = %s, want %s", got.body, body)
	}
}

func TestSendStopsBeforeDeadline(t *testing.T) {
	ep := newEndpoint(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) })
	logger, _ := newLogger()
	h := &Handler{Logger: logger, Retry: RetryPolicy{Attempts: 1000, BaseDelay: 40 * time.Millisecond, MaxDelay: 80 * time.Millisecond}}
	ep.wire(h)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	deadline, _ := ctx.Deadline()
	err := h.send(ctx, ep.url(), []byte("{}"), logger)
	if returned := time.Now(); !returned.Before(deadline) {
		t.Errorf("send returned %v after the deadline", returned.Sub(deadline))
	}
	var derr *DeliveryError
	if !errors.As(err, &derr) || derr.StatusCode != 500 {
		t.Fatalf("send error = %v, want DeliveryError with HTTP 500", err)
	}
	if n := len(ep.requests()); n < 2 || n >= 1000 {
		t.Errorf("attempts = %d, want several but far fewer than the limit", n)
	}
}

// The default policy has no attempt limit: the PUT is retried until the Lambda deadline, as docs/lifecycle.md says.
func TestDefaultRetryRunsUntilTheDeadline(t *testing.T) {
	ep := newEndpoint(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) })
	logger, _ := newLogger()
	if DefaultRetry.Attempts != 0 {
		t.Fatalf("DefaultRetry.Attempts = %d, want 0 (until the deadline)", DefaultRetry.Attempts)
	}
	fast := RetryPolicy{BaseDelay: 10 * time.Millisecond, MaxDelay: 20 * time.Millisecond} // attempts as the default: unlimited
	h := &Handler{Logger: logger, Retry: fast}
	ep.wire(h)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	deadline, _ := ctx.Deadline()
	if err := h.send(ctx, ep.url(), []byte("{}"), logger); err == nil {
		t.Fatal("send succeeded against an endpoint that always fails")
	}
	hits := ep.requests()
	if len(hits) <= 6 {
		t.Errorf("attempts = %d, want more than 6: the default retries until the deadline", len(hits))
	}
	// The last try comes within one backoff step plus the minimum attempt time of the deadline.
	if last := hits[len(hits)-1].at; deadline.Sub(last) > fast.MaxDelay+minAttemptTime {
		t.Errorf("last attempt %v before the deadline: gave up early", deadline.Sub(last))
	}
}

func TestSendAttemptTimeoutRetries(t *testing.T) {
	ep := newEndpoint(t, func(n int, _ http.ResponseWriter, r *http.Request) {
		if n == 1 {
			<-r.Context().Done() // hang until the client gives up
		}
	})
	logger, _ := newLogger()
	h := &Handler{Logger: logger, Retry: RetryPolicy{Attempts: 3, BaseDelay: time.Millisecond, AttemptTimeout: 100 * time.Millisecond}}
	ep.wire(h)
	if err := h.send(context.Background(), ep.url(), []byte("{}"), logger); err != nil {
		t.Fatalf("send: %v", err)
	}
	if n := len(ep.requests()); n != 2 {
		t.Errorf("attempts = %d, want 2", n)
	}
}

func TestRetryDelay(t *testing.T) {
	p := RetryPolicy{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	for n, step := range []time.Duration{100, 200, 400, 800, 1000, 1000} {
		step *= time.Millisecond
		for range 50 {
			if d := p.delay(n + 1); d < step/2 || d > step {
				t.Fatalf("delay(%d) = %v, want within [%v, %v]", n+1, d, step/2, step)
			}
		}
	}
}

func TestRetryDefaults(t *testing.T) {
	if got := (RetryPolicy{}).withDefaults(); got != DefaultRetry {
		t.Errorf("zero policy = %+v, want %+v", got, DefaultRetry)
	}
	custom := RetryPolicy{Attempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Second, AttemptTimeout: time.Second}
	if got := custom.withDefaults(); got != custom {
		t.Errorf("custom policy changed to %+v", got)
	}
}

func TestErrorCode(t *testing.T) {
	tests := []struct{ body, want string }{
		{`<?xml version="1.0"?><Error><Code>SignatureDoesNotMatch</Code><StringToSign>PUT secret</StringToSign></Error>`, "SignatureDoesNotMatch"},
		{`<Error><Code>AccessDenied</Code></Error>`, "AccessDenied"},
		{`<Error><Code>has spaces &amp; secrets</Code></Error>`, ""},
		{`not xml`, ""},
		{``, ""},
	}
	for _, tt := range tests {
		if got := errorCode(strings.NewReader(tt.body)); got != tt.want {
			t.Errorf("errorCode(%q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}

func TestDeliveryErrorMessage(t *testing.T) {
	tests := []struct {
		err  *DeliveryError
		want string
	}{
		{&DeliveryError{Host: "h", Attempts: 1, StatusCode: 403, Code: "AccessDenied"}, "deliver response to h after 1 attempt(s): HTTP 403 (AccessDenied)"},
		{&DeliveryError{Host: "h", Attempts: 2, StatusCode: 500}, "deliver response to h after 2 attempt(s): HTTP 500"},
		{&DeliveryError{Host: "h", Attempts: 3, Err: fmt.Errorf("dial: refused")}, "deliver response to h after 3 attempt(s): dial: refused"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}
