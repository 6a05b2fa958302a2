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

// requestAttrs is the request's identity as log attributes; never the ResponseURL.
func requestAttrs(ev cfn.Event) []slog.Attr {
	return []slog.Attr{
		slog.String("RequestId", ev.RequestID),
		slog.String("StackId", ev.StackID),
		slog.String("LogicalResourceId", ev.LogicalResourceID),
		slog.String("RequestType", string(ev.RequestType)),
		slog.String("PhysicalResourceId", ev.PhysicalResourceID),
	}
}

// requestLogger returns base annotated with the request's identity, for the handler's own lines.
func requestLogger(base *slog.Logger, ev cfn.Event) *slog.Logger {
	attrs := requestAttrs(ev)
	args := make([]any, len(attrs))
	for i, a := range attrs {
		args[i] = a
	}
	return base.With(args...)
}

type requestKey struct{}

// withRequest records the request's identity in ctx, where LogHandler finds it.
func withRequest(ctx context.Context, ev cfn.Event) context.Context {
	return context.WithValue(ctx, requestKey{}, requestAttrs(ev))
}

// LogHandler wraps h so that every record logged with a request's context (the context Work receives, and any
// derived from it) carries the request's identity: RequestId, StackId, LogicalResourceId, RequestType and
// PhysicalResourceId. Work and the packages it calls log through *Context methods and need not add them.
func LogHandler(h slog.Handler) slog.Handler {
	if _, ok := h.(requestHandler); ok {
		return h
	}
	return requestHandler{h}
}

type requestHandler struct{ slog.Handler }

func (h requestHandler) Handle(ctx context.Context, r slog.Record) error {
	if attrs, ok := ctx.Value(requestKey{}).([]slog.Attr); ok {
		r = r.Clone()
		r.AddAttrs(attrs...)
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestHandler{h.Handler.WithAttrs(attrs)}
}

func (h requestHandler) WithGroup(name string) slog.Handler {
	return requestHandler{h.Handler.WithGroup(name)}
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
