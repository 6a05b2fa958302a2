package protocol

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
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
	ep := newEndpoint(t, nil)
	logger, _ := newLogger()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	lambdaDeadline, _ := ctx.Deadline()
	var workDeadline time.Time
	h := &Handler{Logger: logger, Margin: 500 * time.Millisecond, Retry: fastRetry,
		Work: func(ctx context.Context, _ cfn.Event) (string, map[string]any, error) {
			workDeadline, _ = ctx.Deadline()
			return "id", nil, nil
		}}
	if err := h.Handle(ctx, testEvent(ep.url(), cfn.RequestCreate, "")); err != nil {
		t.Fatalf("Handle: %v", err)
	}
	if gap := lambdaDeadline.Sub(workDeadline); gap != 500*time.Millisecond {
		t.Errorf("work deadline is %v before the Lambda deadline, want 500ms", gap)
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
	}}
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
	ev := testEvent(ep.url(), cfn.RequestUpdate, "role-a")
	if err := h.Handle(context.Background(), ev); err != nil {
		t.Fatalf("Handle: %v", err)
	}
	want := map[string]string{
		"RequestId": ev.RequestID, "StackId": ev.StackID, "LogicalResourceId": ev.LogicalResourceID,
		"RequestType": "Update", "PhysicalResourceId": "role-a",
	}
	lines := buf.lines(t)
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
