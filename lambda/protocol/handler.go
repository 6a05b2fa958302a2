// Package protocol speaks the CloudFormation custom-resource protocol: it runs one unit of
// work per request and guarantees that CloudFormation receives exactly one well-formed answer,
// even when the work fails, panics or runs out of time.
package protocol

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/gtrole/groundtruth-execution-role/lambda/budget"
)

// The deadline budget of one request, counted back from the Lambda deadline:
//
//	work ─────────────────────┤ cleanup (CleanupReserve) ┤ answer (Margin) ┤ Lambda deadline
//
// Work's context ends CleanupReserve+Margin before the Lambda deadline; Work then has until Margin before the
// deadline to undo what it made (budget.Cleanup gives it a context ending then), and the handler waits for it that
// long, so a FAILED answer is sent only after the cleanup. The answer's PUT is retried until the Lambda deadline.
const (
	// DefaultMargin is how long before the Lambda deadline the handler answers when Margin is zero.
	DefaultMargin = 5 * time.Second
	// DefaultCleanupReserve is how long Work has to undo its work after its context ends when CleanupReserve is zero.
	DefaultCleanupReserve = 30 * time.Second
)

// defaultClient is shared across invocations so warm Lambdas reuse connections. Its transport is Go's default:
// proxies from HTTPS_PROXY and the system's certificate roots (SSL_CERT_FILE), both the function's configuration,
// which only the provider's own stack sets.
var defaultClient = &http.Client{CheckRedirect: noRedirects}

// noRedirects keeps a redirect from taking the answer (and the pre-signed URL's credential) anywhere but
// CloudFormation's bucket: the 3xx itself is the result, a failed delivery.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// Handler answers CloudFormation custom-resource requests; it is safe for concurrent use. It needs Work and
// ResponseBucket: without a ResponseBucket it answers no request.
type Handler struct {
	// Work does the resource's job and returns its physical id, its Data and any error.
	Work cfn.CustomResourceFunction
	// ResponseBucket is the one place answers go: a request whose ResponseURL is not an https URL of this bucket is
	// not worked on and not answered. The zero value trusts no URL.
	ResponseBucket ResponseBucket
	// Fallback names the PhysicalResourceId when neither Work nor the event supplies one.
	Fallback func(cfn.Event) string
	// Client sends the response PUT; nil means a shared default client. Redirects are never followed, whatever
	// the client's CheckRedirect.
	Client *http.Client
	// Logger receives structured logs; nil means slog.Default().
	Logger *slog.Logger
	// Margin is how long before the Lambda deadline to answer; zero means DefaultMargin,
	// and it is never more than half the time remaining when a request arrives.
	Margin time.Duration
	// CleanupReserve is how long before the answer Work's context ends, the time Work has to undo what it made;
	// zero means DefaultCleanupReserve, and it is never more than half the time left before the answer.
	CleanupReserve time.Duration
	// Retry governs the response PUT; zero fields take DefaultRetry's values.
	Retry RetryPolicy
	// LogStream names the CloudWatch log stream quoted in trimmed reasons; empty means
	// the AWS_LAMBDA_LOG_STREAM_NAME value read by lambdacontext.
	LogStream string
}

// outcome is what Work produced, or the failure that replaced it.
type outcome struct {
	id   string
	data map[string]any
	err  error
}

// Handle runs Work for ev and answers CloudFormation; it returns an error only when the answer
// could not be delivered, so that Lambda may redeliver the event.
func (h *Handler) Handle(ctx context.Context, ev cfn.Event) error {
	log := requestLogger(h.logger(), ev)
	start := time.Now()
	if err := h.trust(ev.ResponseURL, log); err != nil {
		return err
	}
	log.Info("request received", slog.String("ResponseHost", hostOf(ev.ResponseURL)))

	sched := h.schedule(ctx, start)
	workCtx, cancel := sched.workContext(withRequest(ctx, ev))
	defer cancel()
	out := h.run(workCtx, ev, log, sched)
	return h.answer(ctx, ev, out, log, start)
}

// trust returns nil when rawURL is an https URL of the ResponseBucket; otherwise it logs why not (naming only the
// URL's host) and returns the *ResponseURLError: the request gets no work and no answer.
func (h *Handler) trust(rawURL string, log *slog.Logger) error {
	err := h.ResponseBucket.check(rawURL)
	var bad *ResponseURLError
	if errors.As(err, &bad) {
		log.Error("request refused and not answered: its ResponseURL is not CloudFormation's response bucket",
			slog.String("ResponseHost", bad.Host), slog.String("reason", bad.Reason))
	}
	return err
}

// answer builds the one response for out and sends it.
func (h *Handler) answer(ctx context.Context, ev cfn.Event, out outcome, log *slog.Logger, start time.Time) error {
	resp := h.response(ev, out, log)
	b, err := buildBody(resp, h.logStream())
	if err != nil {
		log.Error("response could not be encoded", slog.Any("error", err))
		return fmt.Errorf("build response: %w", err)
	}
	if b.droppedData {
		log.Warn("response Data dropped: too large for CloudFormation", slog.Int("DataBytes", b.dataBytes))
	}
	if b.trimmed {
		log.Warn("response Reason trimmed to fit 4096 bytes", slog.String("FullReason", b.fullReason))
	}
	logAnswer(log, b.resp, time.Since(start))

	sendCtx, sendCancel := sendContext(ctx)
	defer sendCancel()
	if err := h.send(sendCtx, ev.ResponseURL, b.body, log); err != nil {
		log.Error("response not delivered", slog.Any("error", err))
		return err
	}
	log.Info("response delivered")
	return nil
}

// schedule is one request's split of its time; zero instants when the request has no deadline.
type schedule struct {
	start     time.Time
	workEnd   time.Time // Work's context ends
	answerBy  time.Time // Work's cleanup ends and the answer is sent
	hasLimits bool
}

// schedule splits the time before ctx's deadline into work, cleanup and answer.
func (h *Handler) schedule(ctx context.Context, now time.Time) schedule {
	deadline, ok := ctx.Deadline()
	if !ok {
		return schedule{start: now}
	}
	remaining := deadline.Sub(now)
	margin := h.Margin
	if margin <= 0 {
		margin = DefaultMargin
	}
	margin = max(0, min(margin, remaining/2))
	reserve := h.CleanupReserve
	if reserve <= 0 {
		reserve = DefaultCleanupReserve
	}
	answerBy := deadline.Add(-margin)
	reserve = max(0, min(reserve, answerBy.Sub(now)/2))
	return schedule{start: now, workEnd: answerBy.Add(-reserve), answerBy: answerBy, hasLimits: true}
}

// workContext returns the context Work runs under: it ends at workEnd and records answerBy as the end of the
// cleanup budget (lambda/budget).
func (b schedule) workContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if !b.hasLimits {
		return context.WithCancel(ctx)
	}
	return context.WithDeadline(budget.WithCleanupUntil(ctx, b.answerBy), b.workEnd)
}

// work is the time Work is given before its context ends.
func (b schedule) work() time.Duration { return b.workEnd.Sub(b.start) }

// sendContext keeps ctx's values and Lambda deadline but not an earlier cancellation,
// so an answer is still attempted after the work context has ended.
func sendContext(ctx context.Context) (context.Context, context.CancelFunc) {
	detached := context.WithoutCancel(ctx)
	if deadline, ok := ctx.Deadline(); ok {
		return context.WithDeadline(detached, deadline)
	}
	return context.WithCancel(detached)
}

// run executes Work in its own goroutine and returns its outcome or a panic turned into an error. When workCtx
// ends first, Work is undoing what it made; run waits for it until the answer is due and then reports a timeout
// carrying Work's own error, or, if Work is still not done, a timeout alone.
func (h *Handler) run(workCtx context.Context, ev cfn.Event, log *slog.Logger, b schedule) outcome {
	switch ev.RequestType {
	case cfn.RequestCreate, cfn.RequestUpdate, cfn.RequestDelete:
	default:
		return outcome{err: fmt.Errorf("unsupported RequestType %q: expected Create, Update or Delete", ev.RequestType)}
	}
	if h.Work == nil {
		return outcome{err: errors.New("internal error: no work configured for this provider")}
	}
	done := make(chan outcome, 1) // buffered: a late Work never blocks after we answered
	go func() {
		defer func() {
			if v := recover(); v != nil {
				log.Error("work panicked", slog.String("panic", fmt.Sprint(v)), slog.String("stack", string(debug.Stack())))
				done <- outcome{err: &panicError{value: v}}
			}
		}()
		id, data, err := h.Work(workCtx, ev)
		done <- outcome{id: id, data: data, err: err}
	}()
	select {
	case out := <-done:
		return out
	case <-workCtx.Done():
	}
	timedOut := errors.Is(workCtx.Err(), context.DeadlineExceeded)
	if timedOut {
		log.Error("work timed out; waiting for its cleanup before answering", slog.Duration("after", b.work()),
			slog.Duration("cleanup", time.Until(b.answerBy)))
	} else {
		log.Error("request cancelled before work finished", slog.Any("error", workCtx.Err()))
	}
	var grace <-chan time.Time
	if timedOut {
		t := time.NewTimer(time.Until(b.answerBy))
		defer t.Stop()
		grace = t.C
	} else {
		closed := make(chan time.Time)
		close(closed)
		grace = closed
	}
	select {
	case out := <-done:
		if out.err != nil && timedOut {
			out.err = &timeoutError{after: b.work(), cause: out.err}
		} else if out.err != nil {
			out.err = fmt.Errorf("request cancelled before the work finished: %w", out.err)
		}
		return out
	case <-grace:
	}
	if timedOut {
		log.Error("work still running when the answer was due", slog.Duration("after", time.Since(b.start)))
		return outcome{err: &timeoutError{after: b.work(), unfinished: true}}
	}
	return outcome{err: fmt.Errorf("request cancelled before the work finished: %w", workCtx.Err())}
}

// response turns an outcome into the cfn.Response to send.
func (h *Handler) response(ev cfn.Event, out outcome, log *slog.Logger) cfn.Response {
	resp := cfn.Response{
		Status:            cfn.StatusSuccess,
		RequestID:         ev.RequestID,
		LogicalResourceID: ev.LogicalResourceID,
		StackID:           ev.StackID,
		Data:              out.data,
	}
	id, idErr := h.physicalID(ev, out.id, log)
	resp.PhysicalResourceID = id
	err := out.err
	if err == nil && idErr != nil {
		err = idErr
	}
	if err != nil {
		resp.Status = cfn.StatusFailed
		resp.Reason = err.Error()
		resp.Data = nil // CloudFormation reads Data only on SUCCESS
		if resp.Reason == "" {
			resp.Reason = "internal error: the work failed without a message"
		}
	}
	return resp
}

func (h *Handler) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.Default()
}

func (h *Handler) client() *http.Client {
	if h.Client == nil {
		return defaultClient
	}
	c := *h.Client
	c.CheckRedirect = noRedirects
	return &c
}

func (h *Handler) logStream() string {
	if h.LogStream != "" {
		return h.LogStream
	}
	return lambdacontext.LogStreamName
}

// panicError reports a panic in Work.
type panicError struct{ value any }

func (e *panicError) Error() string { return fmt.Sprintf("internal error: %v", e.value) }

// timeoutError reports Work's context ending before Work was done: with the error Work returned after its cleanup,
// or unfinished when Work was still running when the answer was due.
type timeoutError struct {
	after      time.Duration
	cause      error
	unfinished bool
}

func (e *timeoutError) Error() string {
	msg := fmt.Sprintf("timed out after %s; the provider answered before its Lambda deadline so the stack does not hang",
		e.after.Round(time.Millisecond))
	switch {
	case e.cause != nil:
		return msg + ": " + e.cause.Error()
	case e.unfinished:
		return msg + " (its cleanup had not finished; the next request for this resource removes what it left)"
	}
	return msg
}

func (e *timeoutError) Unwrap() error { return e.cause }
