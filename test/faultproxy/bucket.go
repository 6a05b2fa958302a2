package faultproxy

import (
	"net/http"
	"sync"
	"time"
)

// Bucket is an account-wide token bucket: every IAM call through the proxy takes one token, tokens come back at
// Rate per second up to Burst, and a call that finds none is answered as IAM answers a call over the account's
// request rate: HTTP 400, code Throttling, message "Rate exceeded", in the Query-API XML error document. A refused
// call takes no token and never reaches the target. IAM's request rate is the account's, shared by every caller,
// and a throttled call is a client error with HTTP status 400:
// https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html
type Bucket struct {
	mu     sync.Mutex
	rate   float64 // tokens per second
	burst  float64
	tokens float64
	last   time.Time
	now    func() time.Time
}

// NewBucket returns a full bucket of burst tokens refilled at rate per second.
func NewBucket(rate float64, burst int) *Bucket {
	return &Bucket{rate: rate, burst: float64(burst), tokens: float64(burst), now: time.Now}
}

// Take takes a token and reports whether there was one.
func (b *Bucket) Take() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if !b.last.IsZero() {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// SetBucket puts b in front of every IAM Query-API call, before any rule or gate; nil removes it. Reset keeps it.
func (p *Proxy) SetBucket(b *Bucket) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bucket = b
}

// throttle answers rec with IAM's Throttling error when the bucket has no token for it; it reports whether it did.
func (p *Proxy) throttle(w http.ResponseWriter, rec *Request) bool {
	p.mu.Lock()
	b := p.bucket
	p.mu.Unlock()
	if b == nil || rec.Action == "" || b.Take() {
		return false
	}
	if writeIAMError(w, http.StatusBadRequest, "Throttling", "Rate exceeded") == nil {
		p.mu.Lock()
		rec.Status, rec.Refused = http.StatusBadRequest, "Throttling"
		p.mu.Unlock()
	}
	return true
}

// Throttled returns how many recorded calls the bucket refused.
func (p *Proxy) Throttled() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, r := range p.log {
		if r.Refused == "Throttling" {
			n++
		}
	}
	return n
}
