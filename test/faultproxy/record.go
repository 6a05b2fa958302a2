package faultproxy

import (
	"fmt"
	"net/http"
	"strings"
)

// maxBody bounds the copy of each request body kept in the log.
const maxBody = 64 << 10

// Request is one request the proxy received, as recorded.
type Request struct {
	Method   string
	Path     string
	Query    string // raw query string
	Header   http.Header
	Body     []byte // the first 64 KiB of the body
	Action   string // IAM Action, "" when the request is not an IAM Query-API call
	Injected Kind   // fault applied, 0 when the request was forwarded untouched
	Refused  string // error code the Gate answered instead of forwarding, "" when it did not refuse
	Status   int    // status sent to the client; 0 when none was (hang, drop, client gone)
}

// IsWrite reports whether r is an IAM call that is neither Get* nor List*.
func (r Request) IsWrite() bool {
	return r.Action != "" && !strings.HasPrefix(r.Action, "Get") && !strings.HasPrefix(r.Action, "List")
}

// Requests returns a copy of every request received so far, in arrival order.
func (p *Proxy) Requests() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Request, len(p.log))
	for i, r := range p.log {
		out[i] = *r
	}
	return out
}

// Count returns how many requests carried the IAM Action action.
func (p *Proxy) Count(action string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, r := range p.log {
		if r.Action == action {
			n++
		}
	}
	return n
}

// Writes returns the recorded IAM calls that are neither Get* nor List*.
func (p *Proxy) Writes() []Request {
	var out []Request
	for _, r := range p.Requests() {
		if r.IsWrite() {
			out = append(out, r)
		}
	}
	return out
}

// Reset removes every rule and forgets every recorded request.
func (p *Proxy) Reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules = nil
	p.log = nil
}

func (p *Proxy) setStatus(r *Request, status int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r.Status = status
}

// WriteCall is the nth call of an IAM action among the recorded requests.
type WriteCall struct {
	Action string
	Nth    int
}

func (c WriteCall) String() string { return fmt.Sprintf("%s#%d", c.Action, c.Nth) }

// WriteCalls lists the IAM writes the proxy recorded, numbering repeated actions, for a sweep that fails each in turn.
func (p *Proxy) WriteCalls() []WriteCall {
	seen := map[string]int{}
	var out []WriteCall
	for _, r := range p.Writes() {
		seen[r.Action]++
		out = append(out, WriteCall{r.Action, seen[r.Action]})
	}
	return out
}

// FailCall fails call c with an error the SDK does not retry (409 LimitExceeded).
func FailCall(c WriteCall) Rule {
	return FailNth(c.Action, c.Nth, http.StatusConflict, "LimitExceeded")
}
