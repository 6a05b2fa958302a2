package e2e

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/test/cfnbucket"
	"github.com/gtrole/groundtruth-execution-role/test/harness"
)

// loopback counts the connections made to a listener on 127.0.0.1: Go sends loopback requests past any proxy, so
// the bucket stand-in would not see them.
type loopback struct {
	ln    net.Listener
	conns atomic.Int64
}

func newLoopback(t *testing.T) *loopback {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := &loopback{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			l.conns.Add(1)
			c.Close()
		}
	}()
	return l
}

// A forged Delete of another stack's role whose ResponseURL is anything but CloudFormation's response bucket in
// the provider's Region gets no IAM call and no PUT, nor any connection: the compiled provider, reaching the bucket
// through HTTPS_PROXY as it would reach the real one, sends nothing to the bucket, to the proxy (which records even
// what it refuses) or to a loopback listener. The role stays, and the log says why, without the URL's query.
func TestUntrustedResponseURLGetsNoWorkAndNoPUT(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	props := harness.Props(t, "non-streaming")
	victim := mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: props})).PhysicalResourceID
	if got := h.Bucket.Received(); len(got) != 1 || !strings.HasPrefix(got[0], "PUT /responses/") {
		t.Fatalf("the Create's answer reached the bucket as %q, want one PUT over https", got)
	}
	local := newLoopback(t)
	port := local.ln.Addr().(*net.TCPAddr).AddrPort().Port()
	bucket := cfnbucket.Host("us-east-1")
	const secret = "X-Amz-Signature=e2esecretsignature"
	for _, tt := range []struct{ name, url string }{
		{"plain http to the bucket", "http://" + bucket + "/k?" + secret},
		{"instance metadata", "http://169.254.169.254/latest/meta-data/iam/security-credentials/?" + secret},
		{"loopback over http", "http://127.0.0.1:" + strconv.Itoa(int(port)) + "/k?" + secret},
		{"loopback over https", "https://127.0.0.1:" + strconv.Itoa(int(port)) + "/k?" + secret},
		{"localhost", "https://localhost:" + strconv.Itoa(int(port)) + "/k?" + secret},
		{"another https host", "https://example.com/k?" + secret},
		{"IP literal", "https://52.216.0.1/k?" + secret},
		{"suffix trick", "https://" + bucket + ".evil.example/k?" + secret},
		{"prefix trick", "https://evil-" + bucket + "/k?" + secret},
		{"userinfo", "https://" + bucket + "@evil.example/k?" + secret},
		{"port", "https://" + bucket + ":8443/k?" + secret},
		{"other Region's bucket", "https://" + cfnbucket.Host("us-west-2") + "/k?" + secret},
		{"other partition", "https://" + bucket + ".cn/k?" + secret},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h.Proxy.Reset()
			h.Bucket.Reset()
			seenLogs := len(rt.Logs())
			ev, _, err := h.Event(t.Context(), harness.Request{Type: cfn.RequestDelete, PhysicalID: victim, Props: props})
			if err != nil {
				t.Fatal(err)
			}
			ev.ResponseURL = tt.url
			payload, _ := json.Marshal(ev)
			if _, err := rt.Invoke(t.Context(), payload); err != nil {
				t.Fatal(err)
			}
			if calls := actions(h.Proxy.Requests()); len(calls) != 0 {
				t.Errorf("the provider made %d call(s) through the AWS proxy: %q", len(calls), calls)
			}
			if a := h.Bucket.Attempts(); len(a) != 0 {
				t.Errorf("the provider sent %+v through its proxy", a)
			}
			if r := h.Bucket.Received(); len(r) != 0 {
				t.Errorf("the bucket received %q", r)
			}
			if n := local.conns.Load(); n != 0 {
				t.Errorf("%d connection(s) to the loopback listener", n)
			}
			if !slices.Contains(roleNames(t, h), victim) {
				t.Errorf("the forged Delete removed %s", victim)
			}
			wait, cancel := context.WithTimeout(t.Context(), 5*time.Second) // the log's pipe may lag the invocation
			defer cancel()
			if err := rt.WaitLog(wait, "request refused and not answered"); err != nil {
				t.Error(err)
			}
			logs := rt.Logs()[seenLogs:]
			if strings.Contains(logs, secret) {
				t.Errorf("the provider logged the URL's query:\n%s", logs)
			}
		})
	}
}

// A response bucket that redirects is not followed: the answer is PUT once, the 307 is a failed delivery, and
// nothing is sent to where the redirect points (instance metadata, which the proxy would record).
func TestResponseRedirectIsNotFollowed(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	h.Bucket.RedirectTo("http://169.254.169.254/latest/meta-data/iam/security-credentials/")
	ev, _, err := h.Event(t.Context(), harness.Request{Type: cfn.RequestCreate, Props: harness.Props(t, "non-streaming")})
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(ev)
	inv, err := rt.Invoke(t.Context(), payload)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Error == nil || !strings.Contains(inv.Error.Message, "HTTP 307, a redirect not followed") {
		t.Errorf("invocation error = %v, want the undelivered answer's 307", inv.Error)
	}
	if r := h.Bucket.Received(); len(r) != 1 || !strings.HasPrefix(r[0], http.MethodPut+" /responses/") {
		t.Errorf("the bucket received %q, want the one PUT", r)
	}
	if a := h.Bucket.Refused(); len(a) != 0 {
		t.Errorf("the provider followed the redirect: %+v", a)
	}
}
