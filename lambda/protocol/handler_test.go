package protocol

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/lambda/budget"
)

func TestHandleAnswersOnce(t *testing.T) {
	tests := []struct {
		name       string
		requestTyp cfn.RequestType
		work       cfn.CustomResourceFunction
		wantStatus cfn.StatusType
		wantID     string
		wantReason string
		wantData   map[string]any
	}{
		{
			name:       "success carries id and data",
			requestTyp: cfn.RequestCreate,
			work: func(context.Context, cfn.Event) (string, map[string]any, error) {
				return "gt-role-1", map[string]any{"Arn": "arn:aws:iam::123456789012:role/gt-role-1"}, nil
			},
			wantStatus: cfn.StatusSuccess,
			wantID:     "gt-role-1",
			wantData:   map[string]any{"Arn": "arn:aws:iam::123456789012:role/gt-role-1"},
		},
		{
			name:       "error becomes FAILED with its message verbatim and no data",
			requestTyp: cfn.RequestUpdate,
			work: func(context.Context, cfn.Event) (string, map[string]any, error) {
				return "gt-role-1", map[string]any{"Arn": "x"}, errors.New(`property "BucketArns" must not be empty`)
			},
			wantStatus: cfn.StatusFailed,
			wantID:     "gt-role-1",
			wantReason: `property "BucketArns" must not be empty`,
		},
		{
			name:       "panic becomes FAILED internal error",
			requestTyp: cfn.RequestDelete,
			work: func(context.Context, cfn.Event) (string, map[string]any, error) {
				panic("boom")
			},
			wantStatus: cfn.StatusFailed,
			wantID:     "old-id",
			wantReason: "internal error: boom",
		},
		{
			name:       "unknown request type fails without running work",
			requestTyp: "Frobnicate",
			work: func(context.Context, cfn.Event) (string, map[string]any, error) {
				t.Error("work must not run for an unknown request type")
				return "", nil, nil
			},
			wantStatus: cfn.StatusFailed,
			wantID:     "old-id",
			wantReason: `unsupported RequestType "Frobnicate": expected Create, Update or Delete`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := newEndpoint(t, nil)
			logger, _ := newLogger()
			h := &Handler{Work: tt.work, Logger: logger, Retry: fastRetry}
			ep.wire(h)
			old := "old-id"
			if tt.requestTyp == cfn.RequestCreate {
				old = ""
			}
			ev := testEvent(ep.url(), tt.requestTyp, old)
			if err := h.Handle(context.Background(), ev); err != nil {
				t.Fatalf("Handle: %v", err)
			}
			got := ep.only(t)
			want := cfn.Response{
				Status:             tt.wantStatus,
				RequestID:          ev.RequestID,
				LogicalResourceID:  ev.LogicalResourceID,
				StackID:            ev.StackID,
				PhysicalResourceID: tt.wantID,
				Reason:             tt.wantReason,
				Data:               tt.wantData,
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("response = %+v\nwant       %+v", got, want)
			}
			if strings.Contains(string(ep.requests()[0].body), "NoEcho") {
				t.Errorf("body sets NoEcho: %s", ep.requests()[0].body)
			}
		})
	}
}

func TestHandleTimesOutBeforeDeadline(t *testing.T) {
	tests := []struct {
		name   string
		margin time.Duration
	}{
		{"explicit margin", 100 * time.Millisecond},
		{"default margin capped at half the remaining time", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := newEndpoint(t, nil)
			logger, _ := newLogger()
			release := make(chan struct{})
			t.Cleanup(func() { close(release) })
			h := &Handler{
				Logger: logger,
				Margin: tt.margin,
				Retry:  fastRetry,
				Work: func(context.Context, cfn.Event) (string, map[string]any, error) {
					<-release // ignores its context, like a stuck SDK call
					return "never", nil, nil
				},
			}
			ep.wire(h)
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			deadline, _ := ctx.Deadline()

			err := h.Handle(ctx, testEvent(ep.url(), cfn.RequestCreate, ""))
			returned := time.Now()
			if err != nil {
				t.Fatalf("Handle: %v", err)
			}
			got := ep.only(t)
			if got.Status != cfn.StatusFailed || !strings.HasPrefix(got.Reason, "timed out after ") ||
				!strings.Contains(got.Reason, "answered before its Lambda deadline") {
				t.Errorf("response = %+v, want FAILED timeout", got)
			}
			if got.PhysicalResourceID == "" || got.PhysicalResourceID == "never" {
				t.Errorf("PhysicalResourceId = %q, want a fallback id", got.PhysicalResourceID)
			}
			if at := ep.requests()[0].at; !at.Before(deadline) {
				t.Errorf("answer arrived %v after the deadline", at.Sub(deadline))
			}
			if !returned.Before(deadline) {
				t.Errorf("Handle returned %v after the deadline", returned.Sub(deadline))
			}
		})
	}
}

func TestWorkContextEndsBeforeLambdaDeadline(t *testing.T) {
	tests := []struct {
		name               string
		timeout            time.Duration
		margin, reserve    time.Duration
		wantWork, wantUntl time.Duration // before the Lambda deadline: the work context's end, the cleanup's end
	}{
		{"explicit margin and reserve", 2 * time.Second, 500 * time.Millisecond, 300 * time.Millisecond, 800 * time.Millisecond, 500 * time.Millisecond},
		{"reserve capped at half the time before the answer", 2 * time.Second, 500 * time.Millisecond, 0, 1250 * time.Millisecond, 500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := newEndpoint(t, nil)
			logger, _ := newLogger()
			ctx, cancel := context.WithTimeout(context.Background(), tt.timeout)
			defer cancel()
			lambdaDeadline, _ := ctx.Deadline()
			var workDeadline, cleanupUntil time.Time
			h := &Handler{Logger: logger, Margin: tt.margin, CleanupReserve: tt.reserve, Retry: fastRetry,
				Work: func(ctx context.Context, _ cfn.Event) (string, map[string]any, error) {
					workDeadline, _ = ctx.Deadline()
					cleanupUntil, _ = budget.CleanupUntil(ctx)
					return "id", nil, nil
				}}
			ep.wire(h)
			start := time.Now()
			if err := h.Handle(ctx, testEvent(ep.url(), cfn.RequestCreate, "")); err != nil {
				t.Fatalf("Handle: %v", err)
			}
			// The default reserve is capped relative to the time at arrival, a moment after the context was made.
			slack := time.Since(start)
			if gap := lambdaDeadline.Sub(workDeadline); gap < tt.wantWork-slack || gap > tt.wantWork+slack {
				t.Errorf("work deadline is %v before the Lambda deadline, want %v", gap, tt.wantWork)
			}
			if gap := lambdaDeadline.Sub(cleanupUntil); gap != tt.wantUntl {
				t.Errorf("cleanup may run until %v before the Lambda deadline, want %v", gap, tt.wantUntl)
			}
		})
	}
}

// A Work that runs into its deadline undoes what it made on the cleanup budget; the FAILED answer waits for that
// cleanup (Lambda freezes the sandbox once the invocation returns, so a cleanup after the answer may never run),
// and carries Work's own error.
func TestFailedAnswerWaitsForTheCleanup(t *testing.T) {
	ep := newEndpoint(t, nil)
	logger, _ := newLogger()
	var cleaned atomic.Int64
	h := &Handler{Logger: logger, Margin: 200 * time.Millisecond, CleanupReserve: 500 * time.Millisecond, Retry: fastRetry,
		Work: func(ctx context.Context, _ cfn.Event) (string, map[string]any, error) {
			<-ctx.Done() // the work ran out of time
			cctx, cancel := budget.Cleanup(ctx, time.Minute)
			defer cancel()
			select { // removing what it made takes a while
			case <-time.After(250 * time.Millisecond):
			case <-cctx.Done():
				return "gt-role", nil, errors.New("cleanup cut short")
			}
			cleaned.Store(time.Now().UnixNano())
			return "gt-role", nil, errors.New("put inline policy: the call did not finish before the deadline")
		}}
	ep.wire(h)
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	if err := h.Handle(ctx, testEvent(ep.url(), cfn.RequestCreate, "")); err != nil {
		t.Fatalf("Handle: %v", err)
	}
	got := ep.only(t)
	if cleaned.Load() == 0 {
		t.Fatalf("the cleanup did not finish before the answer; response %+v", got)
	}
	if at := ep.requests()[0].at; at.Before(time.Unix(0, cleaned.Load())) {
		t.Errorf("FAILED was sent %v before the cleanup finished", time.Unix(0, cleaned.Load()).Sub(at))
	}
	if got.Status != cfn.StatusFailed || !strings.HasPrefix(got.Reason, "timed out after ") || !strings.Contains(got.Reason, "did not finish before the deadline") {
		t.Errorf("response = %+v, want FAILED timeout carrying the work's error", got)
	}
	if got.PhysicalResourceID != "gt-role" {
		t.Errorf("PhysicalResourceId = %q, want the work's", got.PhysicalResourceID)
	}
}

func TestHandleWithoutDeadline(t *testing.T) {
	ep := newEndpoint(t, nil)
	logger, _ := newLogger()
	h := &Handler{Logger: logger, Retry: fastRetry,
		Work: func(ctx context.Context, _ cfn.Event) (string, map[string]any, error) {
			if _, ok := ctx.Deadline(); ok {
				t.Error("work got a deadline although the request had none")
			}
			time.Sleep(20 * time.Millisecond)
			return "id", nil, nil
		}}
	ep.wire(h)
	if err := h.Handle(context.Background(), testEvent(ep.url(), cfn.RequestDelete, "id")); err != nil {
		t.Fatalf("Handle: %v", err)
	}
	if got := ep.only(t); got.Status != cfn.StatusSuccess {
		t.Errorf("status = %s, want SUCCESS", got.Status)
	}
}

func TestHandleCancelledRequestStillAnswers(t *testing.T) {
	ep := newEndpoint(t, nil)
	logger, _ := newLogger()
	ctx, cancel := context.WithCancel(context.Background())
	h := &Handler{Logger: logger, Retry: fastRetry,
		Work: func(ctx context.Context, _ cfn.Event) (string, map[string]any, error) {
			cancel()
			<-ctx.Done()
			time.Sleep(10 * time.Millisecond) // let the handler see the cancellation first
			return "", nil, ctx.Err()
		}}
	ep.wire(h)
	if err := h.Handle(ctx, testEvent(ep.url(), cfn.RequestCreate, "")); err != nil {
		t.Fatalf("Handle: %v", err)
	}
	if got := ep.only(t); got.Status != cfn.StatusFailed || !strings.Contains(got.Reason, "cancel") {
		t.Errorf("response = %+v, want FAILED mentioning cancellation", got)
	}
}

func TestHandleRejectsEventWithoutResponseURL(t *testing.T) {
	logger, _ := newLogger()
	var ran atomic.Bool
	h := &Handler{Logger: logger, Work: func(context.Context, cfn.Event) (string, map[string]any, error) {
		ran.Store(true)
		return "", nil, nil
	}, ResponseBucket: testBucket}
	if err := h.Handle(context.Background(), testEvent("", cfn.RequestCreate, "")); err == nil {
		t.Error("Handle returned nil for an event without ResponseURL")
	}
	if ran.Load() {
		t.Error("work ran for an event without ResponseURL")
	}
}

func TestHandleReturnsErrorWhenUndelivered(t *testing.T) {
	ep := newEndpoint(t, func(_ int, w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusForbidden) })
	logger, _ := newLogger()
	h := &Handler{Logger: logger, Retry: fastRetry, Work: func(context.Context, cfn.Event) (string, map[string]any, error) {
		return "id", nil, nil
	}}
	ep.wire(h)
	err := h.Handle(context.Background(), testEvent(ep.url(), cfn.RequestCreate, ""))
	var derr *DeliveryError
	if !errors.As(err, &derr) || derr.StatusCode != http.StatusForbidden {
		t.Fatalf("Handle error = %v, want DeliveryError with HTTP 403", err)
	}
}

func TestLogsCarryRequestIdentity(t *testing.T) {
	ep := newEndpoint(t, nil)
	logger, buf := newLogger()
	h := &Handler{Logger: logger, Retry: fastRetry, Work: func(context.Context, cfn.Event) (string, map[string]any, error) {
		return "", nil, errors.New("bad input")
	}}
	ep.wire(h)
	ev := testEvent(ep.url(), cfn.RequestUpdate, "role-a")
	if err := h.Handle(context.Background(), ev); err != nil {
		t.Fatalf("Handle: %v", err)
	}
	want := map[string]string{
		"RequestId": ev.RequestID, "StackId": ev.StackID, "LogicalResourceId": ev.LogicalResourceID,
		"RequestType": "Update", "PhysicalResourceId": "role-a",
	}
	lines := logLines(t, buf)
	if len(lines) < 3 {
		t.Fatalf("got %d log lines, want at least received, answering, delivered", len(lines))
	}
	for _, line := range lines {
		for k, v := range want {
			if line[k] != v {
				t.Errorf("log line %q: %s = %v, want %q", line["msg"], k, line[k], v)
			}
		}
	}
}

// Every line Work (and what it calls) logs through its context carries the request's identity, with the ids once.
func TestLogHandlerCarriesRequestIdentityIntoWork(t *testing.T) {
	ep := newEndpoint(t, nil)
	base, buf := newLogger()
	logger := slog.New(LogHandler(base.Handler()))
	h := &Handler{Logger: logger, Retry: fastRetry, Work: func(ctx context.Context, ev cfn.Event) (string, map[string]any, error) {
		logger.With("role", "r").InfoContext(ctx, "iam write", "action", "CreateRole")
		logger.WarnContext(ctx, "create failed; removing the role it created")
		return "r", nil, nil
	}}
	ep.wire(h)
	ev := testEvent(ep.url(), cfn.RequestCreate, "")
	if err := h.Handle(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"RequestId": ev.RequestID, "StackId": ev.StackID, "LogicalResourceId": ev.LogicalResourceID, "RequestType": "Create"}
	seen := 0
	for _, line := range logLines(t, buf) {
		for k, v := range want {
			if line[k] != v {
				t.Errorf("log line %q: %s = %v, want %q", line["msg"], k, line[k], v)
			}
		}
		if line["msg"] == "iam write" || line["msg"] == "create failed; removing the role it created" {
			seen++
		}
	}
	if seen != 2 {
		t.Errorf("saw %d of Work's 2 lines", seen)
	}
	if n := strings.Count(buf.String(), `"RequestId"`); n != len(logLines(t, buf)) {
		t.Errorf("%d RequestId keys in %d lines: an id is repeated", n, len(logLines(t, buf)))
	}
}
