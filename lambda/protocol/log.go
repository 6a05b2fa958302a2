package protocol

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
)

// requestLogger returns base annotated with the request's identity; never the ResponseURL.
func requestLogger(base *slog.Logger, ev cfn.Event) *slog.Logger {
	return base.With(
		slog.String("RequestId", ev.RequestID),
		slog.String("StackId", ev.StackID),
		slog.String("LogicalResourceId", ev.LogicalResourceID),
		slog.String("RequestType", string(ev.RequestType)),
		slog.String("PhysicalResourceId", ev.PhysicalResourceID),
	)
}

// logAnswer records the answer about to be sent.
func logAnswer(log *slog.Logger, r cfn.Response, elapsed time.Duration) {
	level := slog.LevelInfo
	if r.Status != cfn.StatusSuccess {
		level = slog.LevelError
	}
	log.Log(context.Background(), level, "answering CloudFormation",
		slog.String("Status", string(r.Status)),
		slog.String("ResponsePhysicalResourceId", r.PhysicalResourceID),
		slog.String("Reason", r.Reason),
		slog.Int("DataKeys", len(r.Data)),
		slog.Duration("elapsed", elapsed))
}

// hostOf returns the host of a response URL, the only part of it that is safe to log.
func hostOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return "(unparseable response URL)"
	}
	return u.Host
}

// redactedError carries a transport error whose message cannot contain the response URL.
type redactedError struct {
	msg   string
	cause error
}

func (e *redactedError) Error() string { return e.msg }

func (e *redactedError) Unwrap() error { return e.cause }

// redact strips the presigned response URL from err: *url.Error is replaced by the error it
// wraps, and any remaining copy of the URL, its path or its query is masked.
func redact(err error, rawURL string) error {
	if err == nil {
		return nil
	}
	op := ""
	var ue *url.Error
	if errors.As(err, &ue) {
		op, err = ue.Op+" "+hostOf(rawURL)+": ", ue.Err
	}
	msg := op + err.Error()
	for _, secret := range secretParts(rawURL) {
		msg = strings.ReplaceAll(msg, secret, "[redacted]")
	}
	var cause error
	if !errors.As(err, &ue) { // never keep a *url.Error reachable through Unwrap
		cause = err
	}
	return &redactedError{msg: msg, cause: cause}
}

// secretParts lists the substrings of a response URL that must never be shown, longest first.
func secretParts(rawURL string) []string {
	parts := []string{rawURL}
	if u, err := url.Parse(rawURL); err == nil {
		parts = append(parts, u.RawQuery, u.Query().Get("X-Amz-Signature"), u.Query().Get("Signature"),
			u.Query().Get("X-Amz-Security-Token"), u.EscapedPath())
	} else if i := strings.IndexByte(rawURL, '?'); i >= 0 {
		parts = append(parts, rawURL[i+1:])
	}
	out := parts[:0]
	for _, p := range parts {
		if len(p) > 1 { // "/" or "" would mask everything
			out = append(out, p)
		}
	}
	return out
}
