package runtimeapi

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Runtime API paths and headers (API version 2018-06-01).
const (
	pathNext      = "GET /2018-06-01/runtime/invocation/next"
	pathResponse  = "POST /2018-06-01/runtime/invocation/{id}/response"
	pathError     = "POST /2018-06-01/runtime/invocation/{id}/error"
	pathInitError = "POST /2018-06-01/runtime/init/error"

	headerRequestID   = "Lambda-Runtime-Aws-Request-Id"
	headerDeadline    = "Lambda-Runtime-Deadline-Ms"
	headerFunctionARN = "Lambda-Runtime-Invoked-Function-Arn"
	headerTraceID     = "Lambda-Runtime-Trace-Id"
	headerErrorType   = "Lambda-Runtime-Function-Error-Type"
)

// maxPost bounds the body of a response or error POST (Lambda's sync limit is 6 MB).
const maxPost = 6 << 20

// inflight is an event handed to the runtime and not yet answered.
type inflight struct {
	call     *call
	sentAt   time.Time
	deadline time.Time
}

func (r *Runtime) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc(pathNext, r.handleNext)
	mux.HandleFunc(pathResponse, r.handleResponse)
	mux.HandleFunc(pathError, r.handleError)
	mux.HandleFunc(pathInitError, r.handleInitError)
	return mux
}

// handleNext long-polls until Invoke queues an event, then hands it out.
func (r *Runtime) handleNext(w http.ResponseWriter, req *http.Request) {
	r.firstPollOnce.Do(func() {
		r.initDuration.Store(int64(time.Since(r.startedAt)))
		close(r.firstPoll)
	})
	var c *call
	select {
	case c = <-r.queue:
	case <-req.Context().Done():
		return
	case <-r.closed:
		writeAPIError(w, http.StatusGone, "Runtime.Shutdown", "runtime API is shutting down")
		return
	}
	now := time.Now()
	deadline := now.Add(r.opts.Timeout)
	r.mu.Lock()
	r.inflight[c.id] = &inflight{call: c, sentAt: now, deadline: deadline}
	r.mu.Unlock()
	c.sent <- now

	h := w.Header()
	h.Set(headerRequestID, c.id)
	h.Set(headerDeadline, strconv.FormatInt(deadline.UnixMilli(), 10))
	h.Set(headerFunctionARN, r.opts.FunctionARN)
	h.Set(headerTraceID, newTraceID(now))
	h.Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(c.payload)
}

func (r *Runtime) handleResponse(w http.ResponseWriter, req *http.Request) {
	r.answer(w, req, false)
}

func (r *Runtime) handleError(w http.ResponseWriter, req *http.Request) {
	r.answer(w, req, true)
}

// answer completes the in-flight invocation named in the path.
func (r *Runtime) answer(w http.ResponseWriter, req *http.Request, failed bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, maxPost))
	if err != nil {
		writeAPIError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", err.Error())
		return
	}
	id := req.PathValue("id")
	r.mu.Lock()
	in, ok := r.inflight[id]
	delete(r.inflight, id)
	r.mu.Unlock()
	if !ok {
		writeAPIError(w, http.StatusBadRequest, "InvalidRequestID", "no invocation in flight with id "+id)
		return
	}
	inv := &Invocation{
		RequestID:   id,
		ContentType: req.Header.Get("Content-Type"),
		Deadline:    in.deadline,
		Elapsed:     time.Since(in.sentAt),
	}
	if failed {
		inv.Error = parseErrorPayload(body, req.Header.Get(headerErrorType))
	} else {
		inv.Response = body
	}
	in.call.done <- inv // delivered before the 202, so before the runtime can exit
	w.WriteHeader(http.StatusAccepted)
	_, _ = io.WriteString(w, `{"status":"OK"}`)
}

func (r *Runtime) handleInitError(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, maxPost))
	if err != nil {
		writeAPIError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", err.Error())
		return
	}
	p := parseErrorPayload(body, req.Header.Get(headerErrorType))
	r.initErrOnce.Do(func() {
		r.mu.Lock()
		r.initErr = p
		r.mu.Unlock()
		close(r.initFailed)
	})
	w.WriteHeader(http.StatusAccepted)
	_, _ = io.WriteString(w, `{"status":"OK"}`)
}

// parseErrorPayload decodes an error body, falling back to the raw text.
func parseErrorPayload(body []byte, headerType string) *ErrorPayload {
	p := &ErrorPayload{}
	if err := json.Unmarshal(body, p); err != nil {
		p = &ErrorPayload{Message: string(body)}
	}
	if p.Type == "" {
		p.Type = headerType
	}
	p.Raw = body
	return p
}

// apiError is the Runtime API's own error body.
type apiError struct {
	Message string `json:"errorMessage"`
	Type    string `json:"errorType"`
}

func writeAPIError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(apiError{Message: msg, Type: typ})
}
