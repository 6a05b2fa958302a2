// Package cfnapi is a test model of the two CloudFormation API calls the provider verifies requests with,
// DescribeStacks and DescribeStackResource, served over CloudFormation's query protocol so the SDK's own client
// calls it (the provider process finds it through AWS_ENDPOINT_URL_CLOUDFORMATION). Tests, test/harness and
// test/cfnengine set each stack's status and its resources' as CloudFormation would at each step of an operation.
//
// Answers follow the API reference: a stack or resource CloudFormation does not know is a 400 ValidationError
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html,
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStackResource.html); a stack is
// named by its StackId, which also finds deleted stacks.
package cfnapi

import (
	"encoding/xml"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Resource is CloudFormation's record of one resource of a stack.
type Resource struct {
	LogicalID  string
	Type       string // e.g. Custom::GroundTruthExecutionRole
	PhysicalID string // "" while a Create is in progress
	Status     string // e.g. CREATE_IN_PROGRESS
	// Since is when the resource entered Status (DescribeStackResource's LastUpdatedTimestamp); Set and
	// SetResource make a zero Since now, unless the status is unchanged.
	Since time.Time
}

// Call is one call the model answered.
type Call struct {
	Action    string // DescribeStacks or DescribeStackResource
	StackName string
	LogicalID string
	Code      string // the error code answered, "" for success
}

// Server is the model: stacks by StackId, each with its resources by logical id.
type Server struct {
	url string
	srv *http.Server

	mu        sync.Mutex
	stacks    map[string]*stack
	failure   string                              // answer every call with this error code ("" answers normally)
	authorize func(action, resource string) error // nil allows every call
	calls     []Call
}

type stack struct {
	status    string
	resources map[string]Resource
}

// Start serves the model on a free 127.0.0.1 port.
func Start() (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	s := &Server{url: "http://" + ln.Addr().String(), stacks: map[string]*stack{}}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// URL is the endpoint, http://127.0.0.1:PORT.
func (s *Server) URL() string { return s.url }

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }

// Reset forgets every stack, the failure and the calls (the authorizer stays).
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stacks, s.failure, s.calls = map[string]*stack{}, "", nil
}

// SetStack sets a stack's status, creating the stack when it is new.
func (s *Server) SetStack(stackID, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stack(stackID).status = status
}

// SetResource records r in the stack (created with status "" when new).
func (s *Server) SetResource(stackID string, r Resource) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stack(stackID)
	st.resources[r.LogicalID] = since(st.resources[r.LogicalID], r)
}

// since gives r its time: its own, the old record's when the status is unchanged, else now.
func since(old, r Resource) Resource {
	switch {
	case !r.Since.IsZero():
	case old.Status == r.Status && !old.Since.IsZero():
		r.Since = old.Since
	default:
		r.Since = time.Now().UTC()
	}
	return r
}

// Set is SetStack and SetResource in one step, as a phase of an operation sets both.
func (s *Server) Set(stackID, stackStatus string, r Resource) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stack(stackID)
	st.status, st.resources[r.LogicalID] = stackStatus, since(st.resources[r.LogicalID], r)
}

// Resource returns the stack's record of a resource.
func (s *Server) Resource(stackID, logicalID string) (Resource, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.stacks[stackID]
	if !ok {
		return Resource{}, false
	}
	r, ok := st.resources[logicalID]
	return r, ok
}

// Fail makes every call answer the error code (Throttling, ServiceUnavailable, …) until Fail("").
func (s *Server) Fail(code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failure = code
}

// Authorize makes f decide every call on the stack's ARN (action "cloudformation:DescribeStacks", …); an error is
// answered AccessDenied with its text. nil allows every call.
func (s *Server) Authorize(f func(action, resource string) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.authorize = f
}

// Calls returns the calls answered since the last Reset.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

func (s *Server) stack(id string) *stack {
	st, ok := s.stacks[id]
	if !ok {
		st = &stack{resources: map[string]Resource{}}
		s.stacks[id] = st
	}
	return st
}

const xmlns = "http://cloudformation.amazonaws.com/doc/2010-05-15/"

// ServeHTTP answers one query-protocol call.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, "MalformedQueryString", err.Error())
		return
	}
	call := Call{Action: r.Form.Get("Action"), StackName: r.Form.Get("StackName"), LogicalID: r.Form.Get("LogicalResourceId")}
	status, code, body := s.answer(call)
	call.Code = code
	s.mu.Lock()
	s.calls = append(s.calls, call)
	s.mu.Unlock()
	if code != "" {
		writeError(w, status, code, body.(string))
		return
	}
	out, err := xml.Marshal(body)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "InternalFailure", err.Error())
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	_, _ = w.Write(append([]byte(xml.Header), out...))
}

// answer is the call's HTTP status and either an error code with its message or the response document.
func (s *Server) answer(c Call) (int, string, any) {
	s.mu.Lock()
	failure, authorize := s.failure, s.authorize
	st, known := s.stacks[c.StackName]
	var stackStatus string
	var res Resource
	var hasRes bool
	if known {
		stackStatus = st.status
		res, hasRes = st.resources[c.LogicalID]
	}
	s.mu.Unlock()
	if failure != "" {
		return http.StatusServiceUnavailable, failure, "the test model of CloudFormation is failing every call with " + failure
	}
	if c.Action != "DescribeStacks" && c.Action != "DescribeStackResource" {
		return http.StatusBadRequest, "InvalidAction", "the test model of CloudFormation answers only DescribeStacks and DescribeStackResource, not " + c.Action
	}
	if authorize != nil {
		if err := authorize("cloudformation:"+c.Action, c.StackName); err != nil {
			return http.StatusForbidden, "AccessDenied", err.Error()
		}
	}
	if !known {
		return http.StatusBadRequest, "ValidationError", "Stack with id " + c.StackName + " does not exist"
	}
	meta := responseMetadata{RequestID: "cfnapi-" + strconv.Itoa(len(c.StackName))}
	if c.Action == "DescribeStacks" {
		return http.StatusOK, "", describeStacksResponse{Xmlns: xmlns, Members: []stackMember{{
			StackID: c.StackName, StackName: stackName(c.StackName), StackStatus: stackStatus, CreationTime: "2026-01-01T00:00:00Z",
		}}, Meta: meta}
	}
	if !hasRes {
		return http.StatusBadRequest, "ValidationError", "Resource " + c.LogicalID + " does not exist for stack " + stackName(c.StackName)
	}
	return http.StatusOK, "", describeStackResourceResponse{Xmlns: xmlns, Detail: resourceDetail{
		StackID: c.StackName, StackName: stackName(c.StackName), LogicalID: res.LogicalID, PhysicalID: res.PhysicalID,
		Type: res.Type, Status: res.Status, LastUpdated: res.Since.UTC().Format(time.RFC3339),
	}, Meta: meta}
}

// stackName takes NAME out of arn:…:stack/NAME/ID.
func stackName(id string) string {
	_, rest, _ := strings.Cut(id, ":stack/")
	name, _, _ := strings.Cut(rest, "/")
	return name
}

type responseMetadata struct {
	RequestID string `xml:"RequestId"`
}

type stackMember struct {
	StackID      string `xml:"StackId"`
	StackName    string `xml:"StackName"`
	StackStatus  string `xml:"StackStatus"`
	CreationTime string `xml:"CreationTime"`
}

type describeStacksResponse struct {
	XMLName xml.Name         `xml:"DescribeStacksResponse"`
	Xmlns   string           `xml:"xmlns,attr"`
	Members []stackMember    `xml:"DescribeStacksResult>Stacks>member"`
	Meta    responseMetadata `xml:"ResponseMetadata"`
}

type resourceDetail struct {
	StackID     string `xml:"StackId"`
	StackName   string `xml:"StackName"`
	LogicalID   string `xml:"LogicalResourceId"`
	PhysicalID  string `xml:"PhysicalResourceId,omitempty"`
	Type        string `xml:"ResourceType"`
	Status      string `xml:"ResourceStatus"`
	LastUpdated string `xml:"LastUpdatedTimestamp"`
}

type describeStackResourceResponse struct {
	XMLName xml.Name         `xml:"DescribeStackResourceResponse"`
	Xmlns   string           `xml:"xmlns,attr"`
	Detail  resourceDetail   `xml:"DescribeStackResourceResult>StackResourceDetail"`
	Meta    responseMetadata `xml:"ResponseMetadata"`
}

type errorResponse struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Xmlns     string   `xml:"xmlns,attr"`
	Type      string   `xml:"Error>Type"`
	Code      string   `xml:"Error>Code"`
	Message   string   `xml:"Error>Message"`
	RequestID string   `xml:"RequestId"`
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	typ := "Sender"
	if status >= http.StatusInternalServerError {
		typ = "Receiver"
	}
	out, _ := xml.Marshal(errorResponse{Xmlns: xmlns, Type: typ, Code: code, Message: message, RequestID: "cfnapi-error"})
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	_, _ = w.Write(out)
}
