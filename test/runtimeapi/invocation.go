package runtimeapi

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// Invocation is the outcome of one Invoke.
type Invocation struct {
	RequestID   string
	Response    []byte        // body POSTed to .../response; nil on error
	ContentType string        // Content-Type of the response or error POST
	Error       *ErrorPayload // body POSTed to .../error; nil on success
	Deadline    time.Time     // deadline sent in Lambda-Runtime-Deadline-Ms
	Elapsed     time.Duration // from handing the event to the runtime to its answer
}

// ErrorPayload is the JSON a runtime POSTs to .../error or init/error.
type ErrorPayload struct {
	Message    string       `json:"errorMessage"`
	Type       string       `json:"errorType"`
	StackTrace []StackFrame `json:"stackTrace,omitempty"`
	Raw        []byte       `json:"-"` // the body exactly as posted
}

// StackFrame is one frame of an ErrorPayload's stack trace (aws-lambda-go's shape).
type StackFrame struct {
	Path  string `json:"path"`
	Line  int32  `json:"line"`
	Label string `json:"label"`
}

// Error formats the payload as "Type: Message".
func (e *ErrorPayload) Error() string { return e.Type + ": " + e.Message }

// call is an Invoke in flight.
type call struct {
	id      string
	payload []byte
	sent    chan time.Time   // receives the dispatch time when /next hands the event out
	done    chan *Invocation // receives the answer; buffered 1
}

func newCall(payload []byte) *call {
	return &call{id: newID(), payload: payload, sent: make(chan time.Time, 1), done: make(chan *Invocation, 1)}
}

// newID returns a random UUID-shaped request id.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// newTraceID returns an X-Ray style trace header value.
func newTraceID(now time.Time) string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("Root=1-%08x-%s;Parent=%s;Sampled=0", now.Unix(), hex.EncodeToString(b[:]), hex.EncodeToString(b[:8]))
}
