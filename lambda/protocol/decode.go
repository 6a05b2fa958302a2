package protocol

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
)

// HandleJSON decodes a raw invocation payload and handles it like Handle. A payload that is not a well-formed
// custom-resource event (a field of the wrong JSON type, say ResourceProperties a string) but whose ResponseURL can
// be read is answered FAILED with what is wrong, instead of never being answered; without a readable ResponseURL
// there is nobody to answer and the error is returned; nor is anybody when the ResponseURL is not the ResponseBucket's.
func (h *Handler) HandleJSON(ctx context.Context, payload json.RawMessage) error {
	var ev cfn.Event
	err := json.Unmarshal(payload, &ev)
	if err == nil {
		return h.Handle(ctx, ev)
	}
	start := time.Now()
	ev, ok := lenientEvent(payload)
	log := requestLogger(h.logger(), ev)
	reason := malformed(err)
	if !ok {
		log.Error("event cannot be decoded and has no readable ResponseURL; nobody to answer", "error", reason)
		return errors.New(reason)
	}
	if err := h.trust(ev.ResponseURL, log); err != nil {
		return err
	}
	log.Error("event is malformed; answering FAILED", "error", reason, "ResponseHost", hostOf(ev.ResponseURL))
	return h.answer(ctx, ev, outcome{err: errors.New(reason)}, log, start)
}

// lenientEvent reads what it can of a payload cfn.Event refuses: every identifying field that is a JSON string,
// and a PhysicalResourceId of another scalar type as its JSON text. ok reports a readable ResponseURL.
func lenientEvent(payload json.RawMessage) (ev cfn.Event, ok bool) {
	var fields map[string]json.RawMessage
	if json.Unmarshal(payload, &fields) != nil {
		return cfn.Event{}, false
	}
	text := func(name string) string {
		var s string
		if json.Unmarshal(fields[name], &s) == nil {
			return s
		}
		return ""
	}
	ev = cfn.Event{
		RequestType:        cfn.RequestType(text("RequestType")),
		RequestID:          text("RequestId"),
		ResponseURL:        text("ResponseURL"),
		ResourceType:       text("ResourceType"),
		PhysicalResourceID: text("PhysicalResourceId"),
		LogicalResourceID:  text("LogicalResourceId"),
		StackID:            text("StackId"),
	}
	if raw := strings.TrimSpace(string(fields["PhysicalResourceId"])); ev.PhysicalResourceID == "" && raw != "" && raw != "null" &&
		!strings.HasPrefix(raw, "{") && !strings.HasPrefix(raw, "[") {
		ev.PhysicalResourceID = raw // a number or boolean: CloudFormation's id, as written
	}
	return ev, ev.ResponseURL != ""
}

// malformed says what is wrong with an event cfn.Event refuses.
func malformed(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		return fmt.Sprintf("malformed request: %s must be a JSON %s, got a JSON %s; this is not a well-formed CloudFormation custom-resource event",
			typeErr.Field, jsonKind(typeErr.Type.Kind().String()), typeErr.Value)
	}
	return "malformed request: " + err.Error() + "; this is not a well-formed CloudFormation custom-resource event"
}

// jsonKind names a Go kind as the JSON type it decodes from.
func jsonKind(goKind string) string {
	switch goKind {
	case "map", "struct":
		return "object"
	case "slice", "array":
		return "array"
	case "bool":
		return "boolean"
	case "string":
		return "string"
	}
	return "number"
}
