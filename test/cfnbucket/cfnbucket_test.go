package cfnbucket

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
)

func TestHost(t *testing.T) {
	for region, want := range map[string]string{
		"us-east-1":     "cloudformation-custom-resource-response-useast1.s3.us-east-1.amazonaws.com",
		"cn-north-1":    "cloudformation-custom-resource-response-cnnorth1.s3.cn-north-1.amazonaws.com.cn",
		"us-gov-west-1": "cloudformation-custom-resource-response-usgovwest1.s3.us-gov-west-1.amazonaws.com",
	} {
		if got := Host(region); got != want {
			t.Errorf("Host(%q) = %q, want %q", region, got, want)
		}
	}
}

// client is how the provider reaches the stub: Go's proxy from the environment's HTTPS_PROXY and HTTP_PROXY, and
// the authority in SSL_CERT_FILE as its only root.
func client(t *testing.T, s *Stub) *http.Client {
	t.Helper()
	env := map[string]string{}
	for _, kv := range s.Env() {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	pem, err := os.ReadFile(env["SSL_CERT_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		t.Fatal("SSL_CERT_FILE holds no certificate")
	}
	proxy, _ := url.Parse(env["HTTPS_PROXY"])
	if env["HTTP_PROXY"] != env["HTTPS_PROXY"] {
		t.Errorf("HTTP_PROXY %q differs from HTTPS_PROXY %q", env["HTTP_PROXY"], env["HTTPS_PROXY"])
	}
	return &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(proxy), TLSClientConfig: &tls.Config{RootCAs: roots}}}
}

// A PUT to the URL handed out reaches upstream at the original path and query, over TLS verified by the
// authority; a request for any other host is refused and recorded.
func TestURLReachesUpstream(t *testing.T) {
	var mu sync.Mutex
	var got []string
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Method+" "+r.URL.RequestURI()+" "+string(body))
		mu.Unlock()
	}))
	defer up.Close()
	s, err := Start(up.URL + "/cfn-responses")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	signed := up.URL + "/cfn-responses/responses/a%3Ab/1?X-Amz-Signature=abc&X-Amz-Expires=7200"
	public, err := s.URL(signed, "cn-north-1")
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://cloudformation-custom-resource-response-cnnorth1.s3.cn-north-1.amazonaws.com.cn/responses/a%3Ab/1?X-Amz-Signature=abc&X-Amz-Expires=7200"; public != want {
		t.Errorf("URL = %s, want %s", public, want)
	}
	c := client(t, s)
	put := func(u string) (int, error) {
		req, _ := http.NewRequest(http.MethodPut, u, strings.NewReader(`{"Status":"SUCCESS"}`))
		res, err := c.Do(req)
		if err != nil {
			return 0, err
		}
		res.Body.Close()
		return res.StatusCode, nil
	}
	if code, err := put(public); err != nil || code != http.StatusOK {
		t.Fatalf("PUT to the bucket URL: %d %v", code, err)
	}
	if want := "PUT /cfn-responses/responses/a%3Ab/1?X-Amz-Signature=abc&X-Amz-Expires=7200 " + `{"Status":"SUCCESS"}`; len(got) != 1 || got[0] != want {
		t.Errorf("upstream got %q, want [%q]", got, want)
	}
	for _, u := range []string{"https://example.com/k", "http://169.254.169.254/latest/meta-data/", "https://" + Host("us-west-2") + "/k"} {
		if _, err := put(u); err == nil && !strings.HasPrefix(u, "http://") {
			t.Errorf("PUT to %s went through", u)
		}
	}
	refused := s.Refused()
	if len(refused) != 3 || refused[0] != (Attempt{Method: http.MethodConnect, Host: "example.com:443"}) ||
		refused[1] != (Attempt{Method: http.MethodPut, Host: "169.254.169.254"}) ||
		refused[2] != (Attempt{Method: http.MethodConnect, Host: Host("us-west-2") + ":443"}) {
		t.Errorf("refused = %+v, want the CONNECTs to example.com and us-west-2's bucket and the PUT to 169.254.169.254", refused)
	}
	if n := len(s.Attempts()); n != 4 {
		t.Errorf("%d attempts recorded, want 4", n)
	}
	if r := s.Received(); len(r) != 1 || r[0] != "PUT /responses/a:b/1" {
		t.Errorf("bucket received %q, want the one PUT", r)
	}
	s.RedirectTo("https://example.com/elsewhere")
	if _, err := put(public); err == nil || !strings.Contains(err.Error(), "Forbidden") { // this client follows; the provider's does not
		t.Errorf("PUT after RedirectTo = %v, want the followed redirect refused", err)
	}
	if r := s.Received(); len(r) != 2 {
		t.Errorf("bucket received %q, want a second PUT, answered with the redirect", r)
	}
	if a := s.Refused(); len(a) != 4 || a[3].Host != "example.com:443" {
		t.Errorf("the followed redirect is not among the refused: %+v", a)
	}
	s.Reset()
	if n := len(s.Attempts()) + len(s.Received()); n != 0 {
		t.Errorf("%d records after Reset", n)
	}
}

func TestURLRejectsOtherHosts(t *testing.T) {
	s, err := Start("http://127.0.0.1:1/bucket")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, u := range []string{"http://127.0.0.2:1/bucket/k", "http://127.0.0.1:1/other/k"} {
		if _, err := s.URL(u, "us-east-1"); err == nil {
			t.Errorf("URL(%s) accepted", u)
		}
	}
	if _, err := s.URL("http://127.0.0.1:1/bucket/k", "xx-east-1"); err == nil {
		t.Error("URL for an unknown region accepted")
	}
}
