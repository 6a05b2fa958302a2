package protocol

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/cfn"
)

// An event with a field of the wrong JSON type, whose ResponseURL is readable, gets a FAILED answer naming the field.
func TestHandleJSONAnswersMalformedEvents(t *testing.T) {
	tests := []struct {
		name       string
		change     map[string]any // fields replaced in a well-formed event
		wantID     string
		wantReason string
	}{
		{"ResourceProperties a string", map[string]any{"ResourceProperties": "InputBuckets=a"}, "role-a", "ResourceProperties must be a JSON object, got a JSON string"},
		{"PhysicalResourceId a number", map[string]any{"PhysicalResourceId": 12345}, "12345", "PhysicalResourceId must be a JSON string, got a JSON number"},
		{"OldResourceProperties a list", map[string]any{"OldResourceProperties": []any{"x"}}, "role-a", "OldResourceProperties must be a JSON object, got a JSON array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := newEndpoint(t, nil)
			logger, _ := newLogger()
			h := &Handler{Logger: logger, Retry: fastRetry, Work: func(context.Context, cfn.Event) (string, map[string]any, error) {
				t.Error("work ran for a malformed event")
				return "", nil, nil
			}}
			ep.wire(h)
			ev := testEvent(ep.url(), cfn.RequestUpdate, "role-a")
			raw, err := json.Marshal(ev)
			if err != nil {
				t.Fatal(err)
			}
			var fields map[string]any
			if err := json.Unmarshal(raw, &fields); err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.change {
				fields[k] = v
			}
			payload, _ := json.Marshal(fields)
			if err := h.HandleJSON(context.Background(), payload); err != nil {
				t.Fatalf("HandleJSON: %v", err)
			}
			got := ep.only(t)
			if got.Status != cfn.StatusFailed || !strings.Contains(got.Reason, tt.wantReason) {
				t.Errorf("response = %+v, want FAILED with %q", got, tt.wantReason)
			}
			if got.PhysicalResourceID != tt.wantID || got.RequestID != ev.RequestID || got.StackID != ev.StackID || got.LogicalResourceID != ev.LogicalResourceID {
				t.Errorf("response identifies %+v, want the event's ids and physical id %q", got, tt.wantID)
			}
		})
	}
}

func TestHandleJSONWithoutResponseURL(t *testing.T) {
	logger, _ := newLogger()
	h := &Handler{Logger: logger, ResponseBucket: testBucket}
	for _, payload := range []string{`"just a string"`, `{"ResponseURL": 5, "ResourceProperties": "x"}`, `not json`} {
		if err := h.HandleJSON(context.Background(), json.RawMessage(payload)); err == nil {
			t.Errorf("HandleJSON(%s) = nil, want an error: there is nobody to answer", payload)
		}
	}
}

func TestHandleJSONWellFormed(t *testing.T) {
	ep := newEndpoint(t, nil)
	logger, _ := newLogger()
	h := &Handler{Logger: logger, Retry: fastRetry, Work: func(context.Context, cfn.Event) (string, map[string]any, error) {
		return "gt-role", nil, nil
	}}
	ep.wire(h)
	payload, _ := json.Marshal(testEvent(ep.url(), cfn.RequestCreate, ""))
	if err := h.HandleJSON(context.Background(), payload); err != nil {
		t.Fatal(err)
	}
	if got := ep.only(t); got.Status != cfn.StatusSuccess || got.PhysicalResourceID != "gt-role" {
		t.Errorf("response = %+v, want SUCCESS gt-role", got)
	}
}
