package protocol

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"

	"github.com/aws/aws-lambda-go/cfn"
)

// MaxPhysicalIDBytes is the longest PhysicalResourceId CloudFormation accepts.
const MaxPhysicalIDBytes = 1024

// physicalID picks the PhysicalResourceId to answer with: Work's, else the event's, else
// Fallback's, else one derived from the request. It is never empty. The error reports a
// Work id that had to be refused.
func (h *Handler) physicalID(ev cfn.Event, fromWork string, log *slog.Logger) (string, error) {
	var refused error
	if fromWork != "" {
		if len(fromWork) <= MaxPhysicalIDBytes {
			return fromWork, nil
		}
		refused = fmt.Errorf("the physical resource id returned by the provider is %d bytes; CloudFormation accepts at most %d",
			len(fromWork), MaxPhysicalIDBytes)
		log.Error("physical resource id from work refused", slog.Int("bytes", len(fromWork)))
	}
	if id := ev.PhysicalResourceID; id != "" && len(id) <= MaxPhysicalIDBytes {
		return id, refused
	}
	if id := h.fallbackID(ev, log); id != "" && len(id) <= MaxPhysicalIDBytes {
		return id, refused
	}
	return derivedID(ev), refused
}

// fallbackID calls Fallback, treating a panic like an empty answer.
func (h *Handler) fallbackID(ev cfn.Event, log *slog.Logger) (id string) {
	if h.Fallback == nil {
		return ""
	}
	defer func() {
		if v := recover(); v != nil {
			log.Error("physical id fallback panicked", slog.String("panic", fmt.Sprint(v)))
			id = ""
		}
	}()
	return h.Fallback(ev)
}

// derivedID is a last-resort id, stable for one request: the logical id plus a hash of the
// stack, logical id and request id.
func derivedID(ev cfn.Event) string {
	sum := sha256.Sum256([]byte(ev.StackID + "\n" + ev.LogicalResourceID + "\n" + ev.RequestID))
	prefix := ev.LogicalResourceID
	if prefix == "" {
		prefix = "resource"
	}
	const maxPrefix = 255 // CloudFormation's limit on logical ids
	if len(prefix) > maxPrefix {
		prefix = truncateUTF8(prefix, maxPrefix)
	}
	return prefix + "-" + hex.EncodeToString(sum[:10])
}
