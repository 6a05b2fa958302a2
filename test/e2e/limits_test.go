package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/test/harness"
)

// TestAnswersStayUnder4KB: a reason too long for CloudFormation is truncated, saying so, and the answer stays
// within the 4,096 bytes CloudFormation accepts.
func TestAnswersStayUnder4KB(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	var buckets []any
	for i := range 300 {
		buckets = append(buckets, fmt.Sprintf("Bad_Bucket_Name_%03d", i))
	}
	d := send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: map[string]any{"InputBuckets": buckets, "OutputBuckets": buckets}})
	mustFail(t, d, "InputBuckets[0]", "truncated")
	if len(d.Body) > 4096 {
		t.Errorf("response body is %d bytes, CloudFormation accepts 4096", len(d.Body))
	}
}
