package faultproxy

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/gtrole/groundtruth-execution-role/test/moto"
)

// TestBucketRefillsAtItsRate drives the bucket on a clock of its own: a full bucket gives Burst tokens at once, then
// one per 1/Rate seconds, and never more than Burst after a pause.
func TestBucketRefillsAtItsRate(t *testing.T) {
	now := time.Unix(0, 0)
	b := NewBucket(10, 3)
	b.now = func() time.Time { return now }
	taken := func() int {
		n := 0
		for b.Take() {
			n++
		}
		return n
	}
	if n := taken(); n != 3 {
		t.Errorf("a full bucket gave %d tokens, want the burst of 3", n)
	}
	now = now.Add(250 * time.Millisecond)
	if n := taken(); n != 2 {
		t.Errorf("after 250 ms at 10/s the bucket gave %d tokens, want 2", n)
	}
	now = now.Add(time.Hour)
	if n := taken(); n != 3 {
		t.Errorf("after a long pause the bucket gave %d tokens, want at most the burst of 3", n)
	}
}

// TestBucketThrottlesEveryCaller: two clients share one account-wide bucket; the calls over it are answered as IAM
// answers them (400, Throttling, "Rate exceeded", as an SDK error) and are recorded as refused.
func TestBucketThrottlesEveryCaller(t *testing.T) {
	p, first := setup(t, 1)
	second := iam.NewFromConfig(moto.ConfigFor(p.URL()), func(o *iam.Options) { o.Retryer = aws.NopRetryer{} })
	p.SetBucket(NewBucket(0.001, 4))
	var ok, throttled int
	for i := range 10 {
		client := []*iam.Client{first, second}[i%2]
		_, err := client.ListRoles(t.Context(), &iam.ListRolesInput{})
		var apiErr smithy.APIError
		var resp *smithyhttp.ResponseError
		switch {
		case err == nil:
			ok++
		case errors.As(err, &apiErr) && apiErr.ErrorCode() == "Throttling" && apiErr.ErrorMessage() == "Rate exceeded" &&
			errors.As(err, &resp) && resp.HTTPStatusCode() == http.StatusBadRequest:
			throttled++
		default:
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if ok != 4 || throttled != 6 || p.Throttled() != 6 {
		t.Errorf("%d calls passed and %d were throttled (proxy counted %d), want 4 and 6", ok, throttled, p.Throttled())
	}
	p.Reset()
	if _, err := first.ListRoles(t.Context(), &iam.ListRolesInput{}); err == nil {
		t.Error("Reset removed the bucket")
	}
}
