// Package faultproxy is a reverse proxy for tests that sits in front of moto,
// records every request, and injects IAM errors, latency, hangs and dropped
// connections into chosen calls.
package faultproxy

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"time"
)

// Proxy forwards requests to a target, applying the first firing Rule.
type Proxy struct {
	url    string
	srv    *http.Server
	rp     *httputil.ReverseProxy
	closed chan struct{}
	once   sync.Once

	mu     sync.Mutex
	rules  []*armedRule
	log    []*Request
	gate   Gate
	bucket *Bucket
}

type recordKey struct{}

// New starts a proxy on a free 127.0.0.1 port that forwards to target.
func New(target string) (*Proxy, error) {
	tu, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("parse target %q: %w", target, err)
	}
	if tu.Scheme == "" || tu.Host == "" {
		return nil, fmt.Errorf("target %q is not an absolute URL", target)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	p := &Proxy{url: "http://" + ln.Addr().String(), closed: make(chan struct{})}
	p.rp = &httputil.ReverseProxy{
		Rewrite:        func(r *httputil.ProxyRequest) { r.SetURL(tu) },
		ModifyResponse: p.recordResponse,
		ErrorHandler:   p.upstreamError,
	}
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

// URL returns the proxy's base URL, http://127.0.0.1:PORT.
func (p *Proxy) URL() string { return p.url }

// Close releases hung requests and shuts the proxy down.
func (p *Proxy) Close() error {
	p.once.Do(func() { close(p.closed) })
	if err := p.srv.Close(); err != nil {
		return fmt.Errorf("close proxy: %w", err)
	}
	return nil
}

// Add appends a rule; rules are tried in the order added.
func (p *Proxy) Add(r Rule) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = append(p.rules, &armedRule{Rule: r})
}

// ServeHTTP records the request, then injects a fault or forwards it.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read request body: "+err.Error(), http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := &Request{
		Method: r.Method,
		Path:   r.URL.Path,
		Query:  r.URL.RawQuery,
		Header: r.Header.Clone(),
		Body:   bytes.Clone(body[:min(len(body), maxBody)]),
		Action: iamAction(r, body),
	}
	rule := p.record(rec)
	if p.throttle(w, rec) {
		return
	}
	if rule == nil {
		if p.admit(w, r, rec, body) {
			p.forward(w, r, rec)
		}
		return
	}
	if rule.Kind == Late {
		// The client's leaving does not stop the call: wait and forward on a context of our own.
		// (A Done channel of its own, too: without one ReverseProxy cancels on the client's close.)
		if p.wait(context.Background(), rule.Delay) && p.admit(w, r, rec, body) {
			ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
			defer cancel()
			p.forward(w, r.WithContext(ctx), rec)
		}
		return
	}
	if rule.Kind == Land {
		p.land(w, r, rec, body, rule.Delay)
		return
	}
	if rule.Delay > 0 && !p.wait(r.Context(), rule.Delay) {
		drop(w) // returning normally would send an empty 200
		return
	}
	switch rule.Kind {
	case Fail:
		status := rule.Status
		if status == 0 {
			status = http.StatusBadRequest
		}
		if writeIAMError(w, status, rule.Code, rule.Message) == nil {
			p.setStatus(rec, status)
		}
	case Hang:
		p.wait(r.Context(), -1)
		drop(w)
	case Drop:
		drop(w)
	default:
		if p.admit(w, r, rec, body) {
			p.forward(w, r, rec)
		}
	}
}

// record logs rec and returns a copy of the first rule that fires on it.
func (p *Proxy) record(rec *Request) *Rule {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.log = append(p.log, rec)
	var fired *Rule
	for _, ar := range p.rules {
		if !ar.matches(rec.Method, rec.Path, rec.Action) {
			continue
		}
		ar.calls++
		if fired == nil && ar.fires(ar.calls) {
			r := ar.Rule
			fired = &r
		}
	}
	if fired != nil {
		rec.Injected = fired.Kind
	}
	return fired
}

func (p *Proxy) forward(w http.ResponseWriter, r *http.Request, rec *Request) {
	p.rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), recordKey{}, rec)))
}

func (p *Proxy) recordResponse(resp *http.Response) error {
	if rec, ok := resp.Request.Context().Value(recordKey{}).(*Request); ok {
		p.setStatus(rec, resp.StatusCode)
	}
	return nil
}

func (p *Proxy) upstreamError(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil {
		return // client gone; nothing was sent
	}
	http.Error(w, "faultproxy: upstream: "+err.Error(), http.StatusBadGateway)
	if rec, ok := r.Context().Value(recordKey{}).(*Request); ok {
		p.setStatus(rec, http.StatusBadGateway)
	}
}

// land waits d whatever the client does (when d < 0: until the client gives up), forwards the request to the target detached from the client, records
// the target's status, then holds the client until it gives up and drops its connection.
func (p *Proxy) land(w http.ResponseWriter, r *http.Request, rec *Request, body []byte, d time.Duration) {
	if !p.admit(w, r, rec, body) {
		return // refused by the gate: it never lands
	}
	if d < 0 {
		p.wait(r.Context(), -1) // until the client gives up
	}
	if d > 0 && !p.wait(context.WithoutCancel(r.Context()), d) {
		drop(w) // the proxy closed
		return
	}
	detached := r.Clone(context.WithValue(context.WithoutCancel(r.Context()), recordKey{}, rec))
	detached.Body = io.NopCloser(bytes.NewReader(body))
	p.rp.ServeHTTP(discard{header: http.Header{}}, detached)
	p.wait(r.Context(), -1)
	drop(w)
}

// discard is a ResponseWriter that throws the answer away.
type discard struct{ header http.Header }

func (d discard) Header() http.Header       { return d.header }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}

// wait blocks for d (forever when d < 0) and reports whether it ran to the
// end rather than stopping because the client left or the proxy closed.
func (p *Proxy) wait(ctx context.Context, d time.Duration) bool {
	var timer <-chan time.Time
	if d >= 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-timer:
		return true
	case <-ctx.Done():
	case <-p.closed:
	}
	return false
}

// drop closes the client connection without writing a response.
func drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // the server aborts the connection itself
	}
	_ = conn.Close()
}

// iamAction returns the Query-API Action of r: from an urlencoded form body,
// else from the URL query, else "".
func iamAction(r *http.Request, body []byte) string {
	if ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err == nil && ct == "application/x-www-form-urlencoded" {
		if form, err := url.ParseQuery(string(body)); err == nil && form.Get("Action") != "" {
			return form.Get("Action")
		}
	}
	return r.URL.Query().Get("Action")
}
