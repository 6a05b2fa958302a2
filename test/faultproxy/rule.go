package faultproxy

import (
	"net/http"
	"strings"
	"time"
)

// Kind is what a rule does to a request it fires on.
type Kind int

const (
	// Fail answers with Rule.Status and an IAM XML error; the target never sees the request.
	Fail Kind = iota + 1
	// Delay waits Rule.Delay, then forwards the request to the target.
	Delay
	// Hang holds the request until the client gives up or the proxy closes.
	Hang
	// Drop closes the client's connection without any response.
	Drop
	// Late forwards the request after Rule.Delay even if the client has given up by then, answering the client
	// only if it still waits: a call that reaches IAM after its caller's deadline.
	Late
	// Land forwards the request to the target whatever the client does, then withholds the answer until the
	// client gives up: the call takes effect but the caller never learns it. With Rule.Delay > 0 it lands that
	// long after it arrived (even when the client has gone); with Rule.Delay < 0 it lands as soon as the client
	// gives up, as when a call lands in IAM just after the caller's deadline.
	Land
)

// String names the kind for logs and test messages.
func (k Kind) String() string {
	switch k {
	case Fail:
		return "fail"
	case Delay:
		return "delay"
	case Hang:
		return "hang"
	case Drop:
		return "drop"
	case Late:
		return "late"
	case Land:
		return "land"
	default:
		return "none"
	}
}

// Rule matches requests and injects a fault into some of them.
//
// A request matches when every non-empty matcher (Action, Method,
// PathPrefix) agrees. Matching requests are counted per rule from 1; the rule
// fires on call Nth only when Nth > 0, on calls 1..First when First > 0, and
// on every matching call when both are 0. Delay, when set, is waited before
// any kind of fault (for Delay it is the whole fault).
type Rule struct {
	Action     string // IAM Query-API Action, e.g. "CreateRole"
	Method     string // HTTP method, e.g. "PUT"
	PathPrefix string // URL path prefix, e.g. "/cfn-responses/"

	Nth   int // fire only on the Nth matching call (1-based)
	First int // fire on the first First matching calls

	Kind    Kind
	Status  int           // HTTP status for Fail; 400 when 0
	Code    string        // IAM error code for Fail, e.g. "NoSuchEntity"
	Message string        // IAM error message for Fail
	Delay   time.Duration // wait before the fault
}

// FailNth fails the nth call of action with status and IAM error code.
func FailNth(action string, n, status int, code string) Rule {
	return Rule{Action: action, Nth: n, Kind: Fail, Status: status, Code: code, Message: "injected " + code}
}

// Throttle fails the first k calls of action with IAM's Throttling error (400).
func Throttle(action string, k int) Rule {
	return Rule{Action: action, First: k, Kind: Fail, Status: http.StatusBadRequest, Code: "Throttling", Message: "Rate exceeded"}
}

func (r Rule) matches(method, path, action string) bool {
	return (r.Action == "" || r.Action == action) &&
		(r.Method == "" || strings.EqualFold(r.Method, method)) &&
		(r.PathPrefix == "" || strings.HasPrefix(path, r.PathPrefix))
}

// fires reports whether the rule applies to its call-th matching call.
func (r Rule) fires(call int) bool {
	switch {
	case r.Nth > 0:
		return call == r.Nth
	case r.First > 0:
		return call <= r.First
	default:
		return true
	}
}

// armedRule is a rule with its count of matching calls so far.
type armedRule struct {
	Rule
	calls int
}
