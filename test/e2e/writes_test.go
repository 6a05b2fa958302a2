package e2e

import (
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/test/harness"
)

// TestNoOpUpdateMakesNoWrites: an Update whose properties leave the role as it is makes no IAM write.
func TestNoOpUpdateMakesNoWrites(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	p := harness.Props(t, "everything")
	name := mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: p})).PhysicalResourceID
	h.Proxy.Reset()
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestUpdate, PhysicalID: name, Props: p, OldProps: p}))
	if w := h.Proxy.WriteCalls(); len(w) != 0 {
		t.Errorf("a no-op Update wrote %v", w)
	}
}
