package faultproxy

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// Call is an AWS Query-API call (IAM, STS) as a Gate sees it.
type Call struct {
	Service string     // signing service from the SigV4 credential scope, e.g. "iam"
	Action  string     // Query-API Action, e.g. "CreateRole"
	Params  url.Values // the form parameters
}

// Refusal is the error a Gate answers instead of forwarding a call.
type Refusal struct {
	Status  int    // HTTP status, e.g. 403
	Code    string // error code, e.g. "AccessDenied"
	Message string
}

// Gate decides, just before a call is forwarded, whether it may reach the target; nil lets it through.
type Gate interface {
	Admit(ctx context.Context, c Call) *Refusal
}

// SetGate puts g in front of every forwarded Query-API call; nil removes it. Reset keeps the gate.
func (p *Proxy) SetGate(g Gate) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.gate = g
}

// admit asks the gate about a request about to be forwarded, answering and recording a refusal itself.
// It reports whether the request may be forwarded.
func (p *Proxy) admit(w http.ResponseWriter, r *http.Request, rec *Request, body []byte) bool {
	p.mu.Lock()
	g := p.gate
	p.mu.Unlock()
	if g == nil || rec.Action == "" {
		return true
	}
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("Action") == "" {
		form = r.URL.Query()
	}
	ref := g.Admit(r.Context(), Call{Service: signingService(r), Action: rec.Action, Params: form})
	if ref == nil {
		return true
	}
	if writeIAMError(w, ref.Status, ref.Code, ref.Message) == nil {
		p.mu.Lock()
		rec.Status, rec.Refused = ref.Status, ref.Code
		p.mu.Unlock()
	}
	return false
}

// signingService returns the service of the request's SigV4 credential scope (header or pre-signed query).
func signingService(r *http.Request) string {
	cred := r.URL.Query().Get("X-Amz-Credential")
	if auth := r.Header.Get("Authorization"); auth != "" {
		if _, after, ok := strings.Cut(auth, "Credential="); ok {
			cred, _, _ = strings.Cut(after, ",")
		}
	}
	// AKID/date/region/service/aws4_request
	if parts := strings.Split(cred, "/"); len(parts) == 5 {
		return parts[3]
	}
	return ""
}
