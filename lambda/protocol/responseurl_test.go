package protocol

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/gtrole/groundtruth-execution-role/test/logbuf"
)

// The hosts of CloudFormation's response bucket in each partition, in the forms CloudFormation sends.
func TestCloudFormationBucketHosts(t *testing.T) {
	tests := []struct {
		region, partition, suffix string
		want                      []string
	}{
		{"us-east-1", "aws", "amazonaws.com", []string{
			"cloudformation-custom-resource-response-useast1.s3.us-east-1.amazonaws.com",
			"cloudformation-custom-resource-response-useast1.s3-us-east-1.amazonaws.com",
			"cloudformation-custom-resource-response-useast1.s3.amazonaws.com"}},
		{"eu-west-1", "aws", "amazonaws.com", []string{
			"cloudformation-custom-resource-response-euwest1.s3.eu-west-1.amazonaws.com",
			"cloudformation-custom-resource-response-euwest1.s3-eu-west-1.amazonaws.com",
			"cloudformation-custom-resource-response-euwest1.s3.amazonaws.com"}},
		{"cn-north-1", "aws-cn", "amazonaws.com.cn", []string{
			"cloudformation-custom-resource-response-cnnorth1.s3.cn-north-1.amazonaws.com.cn",
			"cloudformation-custom-resource-response-cnnorth1.s3-cn-north-1.amazonaws.com.cn"}},
		// GovCloud shares the aws DNS suffix but not the global endpoint, which is the aws partition's.
		{"us-gov-west-1", "aws-us-gov", "amazonaws.com", []string{
			"cloudformation-custom-resource-response-usgovwest1.s3.us-gov-west-1.amazonaws.com",
			"cloudformation-custom-resource-response-usgovwest1.s3-us-gov-west-1.amazonaws.com"}},
		{"", "", "", nil},
		{"us-east-1", "", "", nil},
	}
	for _, tt := range tests {
		if got := CloudFormationBucket(tt.region, tt.partition, tt.suffix).Hosts(); !slices.Equal(got, tt.want) {
			t.Errorf("CloudFormationBucket(%q, %q, %q).Hosts() = %q, want %q", tt.region, tt.partition, tt.suffix, got, tt.want)
		}
	}
}

func TestResponseURLsOfTheBucketAreTrusted(t *testing.T) {
	for _, raw := range []string{
		"https://cloudformation-custom-resource-response-useast1.s3.us-east-1.amazonaws.com/arn%3Aaws%3Acloudformation/x?X-Amz-Signature=s",
		"https://cloudformation-custom-resource-response-useast1.s3-us-east-1.amazonaws.com/k?Signature=s",
		"https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/k?Signature=s",
		"https://CloudFormation-Custom-Resource-Response-UsEast1.S3.Amazonaws.com/k", // hosts are case-insensitive
	} {
		if err := testBucket.check(raw); err != nil {
			t.Errorf("check(%s) = %v, want nil", raw, err)
		}
	}
}

// badResponseURLs are ResponseURLs an event that CloudFormation did not send might carry, for a provider in
// us-east-1 of the aws partition, with what the refusal must say.
var badResponseURLs = []struct{ name, url, reason string }{
	{"none", "", "has no ResponseURL"},
	{"not a URL", "https://" + bucketHost + "/%zz?X-Amz-Signature=" + secretSignature, "not a URL"},
	{"plain http to the bucket", "http://" + bucketHost + "/k?X-Amz-Signature=" + secretSignature, `scheme is "http"`},
	{"instance metadata", "http://169.254.169.254/latest/meta-data/iam/security-credentials/", `scheme is "http"`},
	{"instance metadata over https", "https://169.254.169.254/latest/api/token", "host 169.254.169.254 is not"},
	{"loopback", "https://127.0.0.1/k", "host 127.0.0.1 is not"},
	{"localhost", "https://localhost/k", "host localhost is not"},
	{"IPv6 loopback", "https://[::1]/k", "host [::1] is not"},
	{"an S3 address", "https://52.216.0.1/k", "host 52.216.0.1 is not"},
	{"another https host", "https://example.com/k?X-Amz-Signature=" + secretSignature, "host example.com is not"},
	{"suffix trick", "https://" + bucketHost + ".evil.example/k", "is not CloudFormation's response bucket for us-east-1"},
	{"trailing dot", "https://" + bucketHost + "./k", "is not CloudFormation's response bucket"},
	{"prefix trick", "https://evil" + bucketHost + "/k", "is not CloudFormation's response bucket"},
	{"subdomain of the bucket host", "https://x." + bucketHost + "/k", "is not CloudFormation's response bucket"},
	{"userinfo naming the bucket", "https://" + bucketHost + "@evil.example/k", "user information before its host evil.example"},
	{"userinfo before the bucket", "https://u:" + secretToken + "@" + bucketHost + "/k", "user information"},
	{"port", "https://" + bucketHost + ":8443/k", `names port "8443"`},
	{"default port spelled out", "https://" + bucketHost + ":443/k", `names port "443"`},
	{"empty port", "https://" + bucketHost + ":/k", "names port"},
	{"path-style bucket", "https://s3.us-east-1.amazonaws.com/cloudformation-custom-resource-response-useast1/k", "host s3.us-east-1.amazonaws.com is not"},
	{"other Region's bucket", "https://cloudformation-custom-resource-response-uswest2.s3.us-west-2.amazonaws.com/k", "is not CloudFormation's response bucket for us-east-1"},
	{"other Region's bucket on this Region's endpoint", "https://cloudformation-custom-resource-response-uswest2.s3.us-east-1.amazonaws.com/k", "is not"},
	{"other partition's endpoint", "https://" + bucketHost + ".cn/k", "is not"},
	{"GovCloud bucket on the global endpoint", "https://cloudformation-custom-resource-response-usgovwest1.s3.amazonaws.com/k", "is not"},
	{"another bucket", "https://attacker-bucket.s3.us-east-1.amazonaws.com/k", "is not"},
	{"opaque", "https:" + bucketHost + "/k", "has no host"},
}

// A request whose ResponseURL is not CloudFormation's bucket gets no work and no PUT: the endpoint's client would
// deliver a PUT to any host to the endpoint, and it receives none. The refusal is logged with a reason, never with
// the URL's secret parts, and returned as a *ResponseURLError.
func TestHandleRefusesUntrustedResponseURLs(t *testing.T) {
	for _, tt := range badResponseURLs {
		t.Run(tt.name, func(t *testing.T) {
			ep := newEndpoint(t, nil)
			logger, logs := newLogger()
			h := &Handler{Logger: logger, Retry: fastRetry, Work: func(context.Context, cfn.Event) (string, map[string]any, error) {
				t.Error("work ran for an untrusted ResponseURL")
				return "r", nil, nil
			}}
			ep.wire(h)
			err := h.Handle(context.Background(), testEvent(tt.url, cfn.RequestDelete, "victim-role"))
			assertRefused(t, err, logs, tt.reason)
			if n := len(ep.requests()); n != 0 {
				t.Errorf("%d request(s) sent for an untrusted ResponseURL, want none", n)
			}
		})
	}
}

// A malformed event is answered FAILED only at CloudFormation's bucket too.
func TestHandleJSONRefusesUntrustedResponseURLs(t *testing.T) {
	for _, tt := range badResponseURLs[1:] { // the first has no ResponseURL: nobody to answer either way
		t.Run(tt.name, func(t *testing.T) {
			ep := newEndpoint(t, nil)
			logger, logs := newLogger()
			h := ep.wire(&Handler{Logger: logger, Retry: fastRetry})
			payload, _ := json.Marshal(map[string]any{"RequestType": "Delete", "ResponseURL": tt.url, "ResourceProperties": "not an object"})
			assertRefused(t, h.HandleJSON(context.Background(), payload), logs, tt.reason)
			if n := len(ep.requests()); n != 0 {
				t.Errorf("%d request(s) sent for an untrusted ResponseURL, want none", n)
			}
		})
	}
}

// Without a ResponseBucket (the provider's Region unknown) no URL is trusted.
func TestHandleWithoutResponseBucketAnswersNothing(t *testing.T) {
	ep := newEndpoint(t, nil)
	logger, logs := newLogger()
	h := &Handler{Logger: logger, Client: ep.client(), Work: func(context.Context, cfn.Event) (string, map[string]any, error) {
		t.Error("work ran without a ResponseBucket")
		return "r", nil, nil
	}}
	assertRefused(t, h.Handle(context.Background(), testEvent(ep.url(), cfn.RequestCreate, "")), logs, "does not know its Region")
	if n := len(ep.requests()); n != 0 {
		t.Errorf("%d request(s) sent, want none", n)
	}
}

func assertRefused(t *testing.T, err error, logs *logbuf.Buffer, reason string) {
	t.Helper()
	var bad *ResponseURLError
	if !errors.As(err, &bad) {
		t.Fatalf("Handle = %v, want a *ResponseURLError", err)
	}
	if !strings.Contains(bad.Reason, reason) {
		t.Errorf("reason %q lacks %q", bad.Reason, reason)
	}
	text := logs.String()
	logged := false
	for _, line := range logLines(t, logs) {
		r, _ := line["reason"].(string)
		logged = logged || strings.HasPrefix(line["msg"].(string), "request refused and not answered") && strings.Contains(r, reason)
	}
	if !logged {
		t.Errorf("logs do not record the refusal and its reason %q:\n%s", reason, text)
	}
	for _, secret := range []string{secretSignature, secretToken, "X-Amz-Signature", "/k?", "%zz"} {
		if strings.Contains(text, secret) || strings.Contains(err.Error(), secret) {
			t.Errorf("the refusal shows %q of the URL:\n%s\n%v", secret, text, err)
		}
	}
}

// A redirect from the response URL is not followed, even with a client whose CheckRedirect would follow it: the 3xx
// is a failed delivery, and the pre-signed URL goes nowhere else.
func TestRedirectIsNotFollowed(t *testing.T) {
	for _, target := range []string{"http://169.254.169.254/latest/meta-data/", "https://" + bucketHost + "/elsewhere"} {
		t.Run(target, func(t *testing.T) {
			ep := newEndpoint(t, func(_ int, w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, target, http.StatusTemporaryRedirect)
			})
			logger, _ := newLogger()
			h := ep.wire(&Handler{Logger: logger, Retry: fastRetry, Work: func(context.Context, cfn.Event) (string, map[string]any, error) {
				return "r", nil, nil
			}})
			h.Client.CheckRedirect = func(*http.Request, []*http.Request) error { return nil } // would follow
			err := h.Handle(context.Background(), testEvent(ep.url(), cfn.RequestCreate, ""))
			var derr *DeliveryError
			if !errors.As(err, &derr) || derr.StatusCode != http.StatusTemporaryRedirect || derr.Attempts != 1 {
				t.Fatalf("Handle = %v, want a DeliveryError with HTTP 307 after 1 attempt", err)
			}
			if !strings.Contains(err.Error(), "redirect not followed") {
				t.Errorf("error %q does not say the redirect was not followed", err)
			}
			if n := len(ep.requests()); n != 1 {
				t.Errorf("endpoint received %d requests, want 1: the redirect was followed", n)
			}
		})
	}
}
