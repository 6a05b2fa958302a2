package protocol

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/cfn"
)

func TestPhysicalIDRules(t *testing.T) {
	fallback := func(cfn.Event) string { return "fallback-role" }
	ok := func(id string) cfn.CustomResourceFunction {
		return func(context.Context, cfn.Event) (string, map[string]any, error) { return id, nil, nil }
	}
	fail := func(id string) cfn.CustomResourceFunction {
		return func(context.Context, cfn.Event) (string, map[string]any, error) { return id, nil, errors.New("nope") }
	}
	panics := func(context.Context, cfn.Event) (string, map[string]any, error) { panic("kaboom") }
	ev := testEvent("", cfn.RequestCreate, "")
	derived := derivedID(ev)

	tests := []struct {
		name       string
		rt         cfn.RequestType
		eventID    string
		work       cfn.CustomResourceFunction
		fallback   func(cfn.Event) string
		wantID     string
		wantStatus cfn.StatusType
	}{
		{"create: work id wins", cfn.RequestCreate, "", ok("work-role"), fallback, "work-role", cfn.StatusSuccess},
		{"create: error without id uses fallback", cfn.RequestCreate, "", fail(""), fallback, "fallback-role", cfn.StatusFailed},
		{"create: panic uses fallback", cfn.RequestCreate, "", panics, fallback, "fallback-role", cfn.StatusFailed},
		{"create: no fallback derives an id", cfn.RequestCreate, "", fail(""), nil, derived, cfn.StatusFailed},
		{"create: empty fallback derives an id", cfn.RequestCreate, "", fail(""), func(cfn.Event) string { return "" }, derived, cfn.StatusFailed},
		{"create: panicking fallback derives an id", cfn.RequestCreate, "", fail(""), func(cfn.Event) string { panic("x") }, derived, cfn.StatusFailed},
		{"update: new id from work wins", cfn.RequestUpdate, "old-role", ok("new-role"), fallback, "new-role", cfn.StatusSuccess},
		{"update: error keeps event id", cfn.RequestUpdate, "old-role", fail(""), fallback, "old-role", cfn.StatusFailed},
		{"update: success without id keeps event id", cfn.RequestUpdate, "old-role", ok(""), fallback, "old-role", cfn.StatusSuccess},
		{"delete: panic keeps event id", cfn.RequestDelete, "old-role", panics, fallback, "old-role", cfn.StatusFailed},
		{"delete: success keeps event id", cfn.RequestDelete, "old-role", ok(""), nil, "old-role", cfn.StatusSuccess},
		{"oversized work id is refused and fails", cfn.RequestUpdate, "old-role", ok(strings.Repeat("r", MaxPhysicalIDBytes+1)), fallback, "old-role", cfn.StatusFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep := newEndpoint(t, nil)
			logger, _ := newLogger()
			h := &Handler{Work: tt.work, Fallback: tt.fallback, Logger: logger, Retry: fastRetry}
			ep.wire(h)
			if err := h.Handle(context.Background(), testEvent(ep.url(), tt.rt, tt.eventID)); err != nil {
				t.Fatalf("Handle: %v", err)
			}
			got := ep.only(t)
			if got.PhysicalResourceID != tt.wantID || got.Status != tt.wantStatus {
				t.Errorf("got (%q, %s), want (%q, %s); reason %q", got.PhysicalResourceID, got.Status, tt.wantID, tt.wantStatus, got.Reason)
			}
		})
	}
}

func TestDerivedID(t *testing.T) {
	a := testEvent("", cfn.RequestCreate, "")
	b := a
	b.RequestID = "another-request"
	if again := a; derivedID(a) != derivedID(again) {
		t.Error("derivedID is not deterministic")
	}
	if derivedID(a) == derivedID(b) {
		t.Error("derivedID ignores the request id")
	}
	if !strings.HasPrefix(derivedID(a), a.LogicalResourceID+"-") {
		t.Errorf("derivedID = %q, want it to start with the logical id", derivedID(a))
	}
	long := a
	long.LogicalResourceID = strings.Repeat("é", 300)
	if id := derivedID(long); len(id) > MaxPhysicalIDBytes || !utf8.ValidString(id) {
		t.Errorf("derivedID for a long logical id is %d bytes, valid UTF-8 %v", len(id), utf8.ValidString(id))
	}
	empty := a
	empty.LogicalResourceID = ""
	if id := derivedID(empty); !strings.HasPrefix(id, "resource-") {
		t.Errorf("derivedID without logical id = %q", id)
	}
}
