// Package cfnbucket stands in for CloudFormation's response bucket on this machine, reached the way the provider
// reaches the real one: by an https URL of the bucket's own host, with no switch in the provider. A certificate
// authority made at Start issues the bucket hosts' certificates; an HTTP proxy, given to the provider as its
// HTTPS_PROXY and HTTP_PROXY with the authority as its SSL_CERT_FILE, tunnels connections for the hosts handed out
// by URL to a TLS server that forwards each request, path and query unchanged, to an upstream (moto's S3 behind
// the fault proxy). Every other request through the proxy is refused and recorded, so a test sees any attempt to
// send an answer elsewhere. Loopback addresses bypass any proxy in Go, so a test watches those itself.
//
// Those variables are the function's configuration, which only the provider's own stack sets: no template author
// can reach them, and no shipped stack sets them.
package cfnbucket

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

// Host is the host of CloudFormation's response bucket in region on S3's Regional endpoint, the form CloudFormation
// sends today: cloudformation-custom-resource-response-<region without dashes>.s3.<region>.<partition's DNS suffix>
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/vpc-interface-endpoints.html names the bucket,
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html the host).
func Host(region string) string {
	return "cloudformation-custom-resource-response-" + strings.ReplaceAll(region, "-", "") + ".s3." + region + "." +
		spec.DNSSuffix(spec.PartitionOf(region))
}

// Attempt is one request the proxy received.
type Attempt struct {
	Method string // CONNECT for https, else the method of a plain-http request
	Host   string // host:port asked for
	// Tunneled reports a connection to a host handed out by URL, sent on to the bucket's TLS server.
	Tunneled bool
}

// Stub is the stand-in bucket: a proxy, a TLS server and the certificate authority they share.
type Stub struct {
	upstream *url.URL
	dir      string
	caFile   string
	ca       *x509.Certificate
	caKey    *ecdsa.PrivateKey
	proxyLn  net.Listener
	tlsLn    net.Listener
	proxy    *http.Server
	bucket   *http.Server
	passAll  bool

	mu       sync.Mutex
	hosts    map[string]bool // bucket hosts handed out by URL
	certs    map[string]*tls.Certificate
	attempts []Attempt
	received []string          // "METHOD path" of each request that reached the bucket
	redirect string            // when set, the bucket answers every request with a redirect here
	open     map[net.Conn]bool // both ends of every tunnel, closed by Close
	tunnels  sync.WaitGroup
}

// Option changes how Start sets the stub up.
type Option func(*Stub)

// PassThrough tunnels CONNECTs for other hosts to the hosts themselves (still recorded), for a provider that also
// talks to real AWS endpoints over https (test/integ).
func PassThrough() Option { return func(s *Stub) { s.passAll = true } }

// Start starts the stub; requests to the bucket go on to upstream (such as http://127.0.0.1:5000/cfn-responses),
// the URL's path prefixed to theirs.
func Start(upstream string, opts ...Option) (*Stub, error) {
	u, err := url.Parse(upstream)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("cfnbucket: upstream %q is not an http URL", upstream)
	}
	s := &Stub{upstream: u, hosts: map[string]bool{}, certs: map[string]*tls.Certificate{}, open: map[net.Conn]bool{}}
	for _, o := range opts {
		o(s)
	}
	if s.dir, err = os.MkdirTemp("", "cfnbucket-"); err != nil {
		return nil, err
	}
	if err := s.newAuthority(); err != nil {
		return nil, errors.Join(err, os.RemoveAll(s.dir))
	}
	if s.proxyLn, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		return nil, errors.Join(err, os.RemoveAll(s.dir))
	}
	if s.tlsLn, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		return nil, errors.Join(err, s.proxyLn.Close(), os.RemoveAll(s.dir))
	}
	forward := &httputil.ReverseProxy{
		Rewrite:   func(r *httputil.ProxyRequest) { r.SetURL(s.upstream) },
		Transport: &http.Transport{}, // straight to upstream, whatever this process's proxy settings
	}
	s.bucket = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.received = append(s.received, r.Method+" "+r.URL.Path)
		redirect := s.redirect
		s.mu.Unlock()
		if redirect != "" {
			http.Redirect(w, r, redirect, http.StatusTemporaryRedirect)
			return
		}
		forward.ServeHTTP(w, r)
	}), ReadHeaderTimeout: 10 * time.Second,
		TLSConfig: &tls.Config{GetCertificate: s.certificate, MinVersion: tls.VersionTLS12}}
	s.proxy = &http.Server{Handler: http.HandlerFunc(s.serveProxy), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.bucket.ServeTLS(s.tlsLn, "", "") }()
	go func() { _ = s.proxy.Serve(s.proxyLn) }()
	return s, nil
}

// Env is the provider's environment for reaching the stub: its proxies and the certificate authority's file.
func (s *Stub) Env() []string {
	proxy := "http://" + s.proxyLn.Addr().String()
	return []string{"HTTPS_PROXY=" + proxy, "HTTP_PROXY=" + proxy, "SSL_CERT_FILE=" + s.caFile}
}

// URL turns a URL of upstream (a pre-signed PUT that moto, behind the fault proxy, accepts) into the URL
// CloudFormation would send for region: https, the bucket's host, the path after upstream's and the same query.
// The stub then forwards a request to it back to the original URL.
func (s *Stub) URL(upstreamURL, region string) (string, error) {
	u, err := url.Parse(upstreamURL)
	prefix := strings.TrimSuffix(s.upstream.Path, "/") + "/"
	if err != nil || u.Host != s.upstream.Host || !strings.HasPrefix(u.Path, prefix) {
		return "", fmt.Errorf("cfnbucket: %s is not under %s", upstreamURL, s.upstream)
	}
	host := Host(region)
	if spec.PartitionOf(region) == "" {
		return "", fmt.Errorf("cfnbucket: %q is not a region of a known partition", region)
	}
	s.mu.Lock()
	s.hosts[host+":443"] = true
	s.mu.Unlock()
	out := &url.URL{Scheme: "https", Host: host, Path: strings.TrimPrefix(u.Path, s.upstream.Path), RawQuery: u.RawQuery}
	if u.RawPath != "" {
		out.RawPath = strings.TrimPrefix(u.RawPath, s.upstream.EscapedPath())
	}
	return out.String(), nil
}

// Attempts returns the requests the proxy received, in order.
func (s *Stub) Attempts() []Attempt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Attempt(nil), s.attempts...)
}

// Refused returns the requests the proxy received for anything but the bucket.
func (s *Stub) Refused() []Attempt {
	var out []Attempt
	for _, a := range s.Attempts() {
		if !a.Tunneled {
			out = append(out, a)
		}
	}
	return out
}

// Received returns "METHOD path" of each request that reached the bucket, in order.
func (s *Stub) Received() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.received...)
}

// RedirectTo makes the bucket answer every request with a 307 to location, as a hostile server would; "" undoes it.
func (s *Stub) RedirectTo(location string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.redirect = location
}

// Reset forgets the recorded requests and any redirect.
func (s *Stub) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attempts, s.received, s.redirect = nil, nil, ""
}

// Close stops the proxy and the TLS server and removes the authority's file.
func (s *Stub) Close() error {
	err := errors.Join(s.proxy.Close(), s.bucket.Close())
	s.mu.Lock()
	for c := range s.open {
		c.Close()
	}
	s.mu.Unlock()
	s.tunnels.Wait()
	return errors.Join(err, os.RemoveAll(s.dir))
}

// serveProxy tunnels a CONNECT for a bucket host to the TLS server and refuses every other request, recording each.
func (s *Stub) serveProxy(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	bucket := r.Method == http.MethodConnect && s.hosts[r.Host]
	s.attempts = append(s.attempts, Attempt{Method: r.Method, Host: r.Host, Tunneled: bucket})
	s.mu.Unlock()
	switch {
	case bucket:
		s.tunnel(w, r.Context(), s.tlsLn.Addr().String())
	case r.Method == http.MethodConnect && s.passAll:
		s.tunnel(w, r.Context(), r.Host)
	default:
		http.Error(w, "cfnbucket: "+r.Host+" is not CloudFormation's response bucket", http.StatusForbidden)
	}
}

// tunnel answers a CONNECT and copies bytes between the client and addr until either side closes.
func (s *Stub) tunnel(w http.ResponseWriter, ctx context.Context, addr string) {
	dst, err := (&net.Dialer{Timeout: 10 * time.Second}).DialContext(ctx, "tcp", addr)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	src, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		dst.Close()
		return
	}
	if _, err := io.WriteString(src, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		src.Close()
		dst.Close()
		return
	}
	s.mu.Lock()
	s.open[src], s.open[dst] = true, true
	s.mu.Unlock()
	s.tunnels.Add(2)
	go func() {
		defer s.tunnels.Done()
		_, _ = io.Copy(dst, buf) // what the client sent after its CONNECT, then the rest
		_ = dst.(*net.TCPConn).CloseWrite()
	}()
	go func() {
		defer s.tunnels.Done()
		_, _ = io.Copy(src, dst)
		src.Close()
		dst.Close()
		s.mu.Lock()
		delete(s.open, src)
		delete(s.open, dst)
		s.mu.Unlock()
	}()
}

// newAuthority makes the certificate authority and writes its certificate where SSL_CERT_FILE points.
func (s *Stub) newAuthority() error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "cfnbucket test authority"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	if s.ca, err = x509.ParseCertificate(der); err != nil {
		return err
	}
	s.caKey = key
	s.caFile = filepath.Join(s.dir, "ca.pem")
	return os.WriteFile(s.caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
}

// certificate issues, once per name, the TLS server's certificate for a bucket host handed out by URL.
func (s *Stub) certificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	name := hello.ServerName
	if !s.hosts[name+":443"] {
		return nil, fmt.Errorf("cfnbucket: no certificate for %q", name)
	}
	if c, ok := s.certs[name]; ok {
		return c, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(int64(len(s.certs) + 2)),
		Subject:      pkix.Name{CommonName: name},
		DNSNames:     []string{name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, s.ca, &key.PublicKey, s.caKey)
	if err != nil {
		return nil, err
	}
	c := &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	s.certs[name] = c
	return c, nil
}
