package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
	"github.com/gtrole/groundtruth-execution-role/test/moto"
)

type noBackoff struct{}

func (noBackoff) BackoffDelay(int, error) (time.Duration, error) { return time.Millisecond, nil }

// getRoleAnswer is IAM's answer to GetRole, enough for the SDK to decode.
const getRoleAnswer = `<GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetRoleResult><Role>` +
	`<Path>/</Path><RoleName>r</RoleName><RoleId>AROAEXAMPLE</RoleId><Arn>arn:aws:iam::123456789012:role/r</Arn>` +
	`<CreateDate>2026-01-01T00:00:00Z</CreateDate></Role></GetRoleResult><ResponseMetadata><RequestId>1</RequestId>` +
	`</ResponseMetadata></GetRoleResponse>`

// TestRetryerOutlastsThrottling: IAM throttles one call 150 times, more than the standard retryer's attempts (3, or
// the 6 the provider used to allow) and its retry quota (500 tokens at 5 a retry) allow, and the call still
// succeeds; a call throttled for ever stops with its context.
func TestRetryerOutlastsThrottling(t *testing.T) {
	iamStub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(getRoleAnswer))
	}))
	defer iamStub.Close()
	p, err := faultproxy.New(iamStub.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	const throttles = 150
	p.Add(faultproxy.Throttle("GetRole", throttles))
	client := iam.NewFromConfig(moto.ConfigFor(p.URL()), func(o *iam.Options) {
		o.Retryer = newRetryer(func(so *retry.StandardOptions) { so.Backoff = noBackoff{} })
	})
	if _, err := client.GetRole(t.Context(), &iam.GetRoleInput{RoleName: aws.String("r")}); err != nil {
		t.Fatalf("GetRole after %d throttles: %v", throttles, err)
	}
	if got := p.Count("GetRole"); got != throttles+1 {
		t.Errorf("%d attempts, want %d", got, throttles+1)
	}

	p.Add(faultproxy.Rule{Action: "GetRole", Kind: faultproxy.Fail, Status: http.StatusBadRequest, Code: "Throttling", Message: "Rate exceeded"})
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("r")}); err == nil {
		t.Fatal("GetRole throttled for ever succeeded")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("a call throttled for ever returned %s after its 300 ms context", d)
	}
}
