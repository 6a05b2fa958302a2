package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/test/harness"
)

// TestMalformedEventIsAnswered: an event whose fields have the wrong JSON type but whose ResponseURL is readable
// gets a FAILED answer.
func TestMalformedEventIsAnswered(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	for _, change := range []map[string]any{
		{"ResourceProperties": "InputBuckets=my-gt-input"},
		{"PhysicalResourceId": 12345},
	} {
		ev, key, err := h.Event(t.Context(), harness.Request{Type: cfn.RequestUpdate, PhysicalID: "gt-some-role", Props: harness.Props(t, "non-streaming")})
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(ev)
		var fields map[string]any
		if err := json.Unmarshal(raw, &fields); err != nil {
			t.Fatal(err)
		}
		for k, v := range change {
			fields[k] = v
		}
		payload, _ := json.Marshal(fields)
		if _, err := rt.Invoke(t.Context(), payload); err != nil {
			t.Fatal(err)
		}
		body, err := h.Moto.GetObject(t.Context(), harness.ResponseBucket, key)
		if err != nil {
			t.Fatalf("no answer to an event with %v: %v", change, err)
		}
		var r cfn.Response
		if err := json.Unmarshal(body, &r); err != nil {
			t.Fatal(err)
		}
		if r.Status != cfn.StatusFailed || !strings.Contains(r.Reason, "malformed request") || r.RequestID != ev.RequestID {
			t.Errorf("answer to an event with %v: %+v", change, r)
		}
	}
}
