package protocol

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"
)

// RetryPolicy bounds the response PUT's retries (exponential backoff with jitter).
type RetryPolicy struct {
	// Attempts is the most PUTs made, the first included; zero means no limit but the deadline (and
	// attemptsWithoutDeadline when the request has none).
	Attempts int
	// BaseDelay is the wait before the first retry; each later wait doubles it.
	BaseDelay time.Duration
	// MaxDelay caps a single wait.
	MaxDelay time.Duration
	// AttemptTimeout caps one PUT, so a hung connection leaves time to retry.
	AttemptTimeout time.Duration
}

// DefaultRetry is the policy used for zero fields of Handler.Retry: retries until the Lambda deadline.
var DefaultRetry = RetryPolicy{BaseDelay: 250 * time.Millisecond, MaxDelay: 4 * time.Second, AttemptTimeout: 10 * time.Second}

// attemptsWithoutDeadline bounds the PUTs of a request that has no deadline when Attempts is zero.
const attemptsWithoutDeadline = 6

// withDefaults fills p's zero fields from DefaultRetry.
func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.BaseDelay <= 0 {
		p.BaseDelay = DefaultRetry.BaseDelay
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = DefaultRetry.MaxDelay
	}
	if p.AttemptTimeout <= 0 {
		p.AttemptTimeout = DefaultRetry.AttemptTimeout
	}
	return p
}

// delay is the jittered wait before retry number n (1 for the first retry): half the
// exponential step plus a random share of the other half.
func (p RetryPolicy) delay(n int) time.Duration {
	d := p.BaseDelay
	for i := 1; i < n && d < p.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, p.MaxDelay)
	half := d / 2
	return half + rand.N(d-half+1)
}

// minAttemptTime is the least time worth starting another PUT with before the deadline.
const minAttemptTime = 100 * time.Millisecond

// DeliveryError reports a response that never reached CloudFormation; it names only the
// response URL's host, never the URL itself.
type DeliveryError struct {
	// Host is the response URL's host.
	Host string
	// Attempts is how many PUTs were made.
	Attempts int
	// StatusCode is the last HTTP status received, or 0 if none was.
	StatusCode int
	// Code is the S3 error code from the last error body, if any.
	Code string
	// Err is the last transport error, already stripped of the URL, if any.
	Err error
}

func (e *DeliveryError) Error() string {
	msg := fmt.Sprintf("deliver response to %s after %d attempt(s)", e.Host, e.Attempts)
	switch {
	case e.StatusCode/100 == 3:
		return fmt.Sprintf("%s: HTTP %d, a redirect not followed", msg, e.StatusCode)
	case e.StatusCode != 0 && e.Code != "":
		return fmt.Sprintf("%s: HTTP %d (%s)", msg, e.StatusCode, e.Code)
	case e.StatusCode != 0:
		return fmt.Sprintf("%s: HTTP %d", msg, e.StatusCode)
	case e.Err != nil:
		return fmt.Sprintf("%s: %v", msg, e.Err)
	}
	return msg
}

func (e *DeliveryError) Unwrap() error { return e.Err }

// send PUTs body to rawURL, retrying network errors, 5xx and 429 until the policy or ctx's
// deadline says stop.
func (h *Handler) send(ctx context.Context, rawURL string, body []byte, log *slog.Logger) error {
	policy := h.Retry.withDefaults()
	if _, ok := ctx.Deadline(); !ok && policy.Attempts <= 0 {
		policy.Attempts = attemptsWithoutDeadline
	}
	derr := &DeliveryError{Host: hostOf(rawURL)}
	for attempt := 1; ; attempt++ {
		derr.Attempts = attempt
		retry := h.put(ctx, policy.AttemptTimeout, rawURL, body, derr)
		if derr.StatusCode/100 == 2 && derr.Err == nil {
			return nil
		}
		log.Warn("response PUT failed", slog.Int("attempt", attempt), slog.Int("status", derr.StatusCode),
			slog.String("code", derr.Code), slog.Any("error", derr.Err), slog.Bool("retryable", retry))
		if !retry || (policy.Attempts > 0 && attempt >= policy.Attempts) {
			return derr
		}
		wait := policy.delay(attempt)
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait+minAttemptTime {
			log.Warn("no time left before the Lambda deadline to retry the response PUT")
			return derr
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return derr
		case <-timer.C:
		}
	}
}

// put makes one PUT, records its result in derr and reports whether a retry may help.
func (h *Handler) put(ctx context.Context, timeout time.Duration, rawURL string, body []byte, derr *DeliveryError) bool {
	derr.StatusCode, derr.Code, derr.Err = 0, "", nil
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, rawURL, bytes.NewReader(body))
	if err != nil {
		derr.Err = fmt.Errorf("build response request: %w", redact(err, rawURL))
		return false
	}
	// The presigned URL is signed without a Content-Type; sending one breaks the signature.
	req.Header.Del("Content-Type")
	req.ContentLength = int64(len(body))
	res, err := h.client().Do(req)
	if err != nil {
		derr.Err = redact(err, rawURL)
		return !errors.Is(err, context.Canceled)
	}
	defer res.Body.Close()
	derr.StatusCode = res.StatusCode
	derr.Code = errorCode(res.Body)
	switch {
	case res.StatusCode/100 == 2:
		return false
	case res.StatusCode/100 == 3: // never followed (noRedirects): a failure, and retrying gets the same
		return false
	case res.StatusCode >= 500, res.StatusCode == http.StatusTooManyRequests:
		return true
	default:
		return false
	}
}

// errorCode reads an S3-style XML error body and returns only its Code: the rest of such a
// body can echo the signed request, credentials included.
func errorCode(body io.Reader) string {
	raw, _ := io.ReadAll(io.LimitReader(body, 64<<10))
	var doc struct {
		Code string `xml:"Code"`
	}
	if xml.Unmarshal(raw, &doc) != nil || len(doc.Code) > 64 {
		return ""
	}
	for _, r := range doc.Code {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '.' || r == '_') {
			return ""
		}
	}
	return doc.Code
}
