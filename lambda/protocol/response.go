package protocol

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/cfn"
)

// MaxResponseBytes is the largest response body CloudFormation accepts.
const MaxResponseBytes = 4096

// built is an encoded response and what had to be changed to make it fit.
type built struct {
	body        []byte
	resp        cfn.Response // as encoded
	trimmed     bool         // Reason was shortened
	fullReason  string       // Reason before trimming
	droppedData bool         // Data was too large and was replaced by a failure
	dataBytes   int          // encoded size of the dropped Data
}

// buildBody encodes r, failing the response when Data cannot fit and trimming Reason so the
// body is at most MaxResponseBytes; logStream is quoted in the truncation marker.
func buildBody(r cfn.Response, logStream string) (built, error) {
	r.Reason = strings.ToValidUTF8(r.Reason, "\uFFFD")
	b := built{fullReason: r.Reason}
	body, err := encode(r)
	if err != nil {
		if r.Data == nil {
			return b, err
		}
		// Data the encoder rejects (NaN, channels, …) becomes a failure.
		r.Status, r.Data = cfn.StatusFailed, nil
		r.Reason = fmt.Sprintf("internal error: encode response Data: %v", err)
		b.fullReason = r.Reason
		if body, err = encode(r); err != nil {
			return b, err
		}
	}
	if len(body) <= MaxResponseBytes {
		b.body, b.resp = body, r
		return b, nil
	}
	if r.Data != nil {
		withoutData := r
		withoutData.Data = nil
		small, err := encode(withoutData)
		if err != nil {
			return b, err
		}
		b.dataBytes = len(body) - len(small)
		if r.Status == cfn.StatusSuccess {
			b.droppedData = true
			r.Status = cfn.StatusFailed
			r.Reason = fmt.Sprintf("the provider's response Data encodes to about %d bytes; CloudFormation accepts at most %d bytes for the whole response",
				b.dataBytes, MaxResponseBytes)
			b.fullReason = r.Reason
		}
		r.Data = nil
		if body, err = encode(r); err != nil {
			return b, err
		}
		if len(body) <= MaxResponseBytes {
			b.body, b.resp = body, r
			return b, nil
		}
	}
	return trimReason(b, r, logStream)
}

// trimReason shortens r.Reason, keeping a marker, until the encoded body fits.
func trimReason(b built, r cfn.Response, logStream string) (built, error) {
	probe := r
	probe.Reason = "x" // keeps the Reason key, which omitempty would drop
	fixed, err := encode(probe)
	if err != nil {
		return b, err
	}
	budget := MaxResponseBytes - (len(fixed) - 1)
	marker := truncationMarker(logStream)
	for {
		r.Reason = fitReason(b.fullReason, budget, marker)
		body, err := encode(r)
		if err != nil {
			return b, err
		}
		if len(body) <= MaxResponseBytes {
			b.body, b.resp, b.trimmed = body, r, r.Reason != b.fullReason
			return b, nil
		}
		// Only reached if escapedLen disagrees with the encoder; shrink and try again.
		if budget <= 0 {
			return b, fmt.Errorf("response is %d bytes without a reason; CloudFormation accepts at most %d", len(fixed)-1, MaxResponseBytes)
		}
		budget -= len(body) - MaxResponseBytes
	}
}

// truncationMarker ends a trimmed reason and says where the full one is.
func truncationMarker(logStream string) string {
	if logStream == "" {
		return " … (truncated, full reason in CloudWatch logs)"
	}
	return " … (truncated, see CloudWatch logs " + logStream + ")"
}

// fitReason returns reason if its JSON-escaped form fits in budget bytes, else its longest
// rune-aligned prefix followed by marker that fits.
func fitReason(reason string, budget int, marker string) string {
	if escapedLen(reason) <= budget {
		return reason
	}
	room := budget - escapedLen(marker)
	if room < 0 {
		return prefixWithin(marker, budget)
	}
	return strings.TrimRightFunc(prefixWithin(reason, room), unicode.IsSpace) + marker
}

// prefixWithin returns the longest rune-aligned prefix of s whose escaped form fits in budget.
func prefixWithin(s string, budget int) string {
	used := 0
	for i, r := range s {
		used += escapedRuneLen(r)
		if used > budget {
			return s[:i]
		}
	}
	return s
}

// escapedLen is the length of s inside a JSON string as encode writes it (valid UTF-8 assumed).
func escapedLen(s string) int {
	n := 0
	for _, r := range s {
		n += escapedRuneLen(r)
	}
	return n
}

// escapedRuneLen mirrors encoding/json's string escaping with HTML escaping off.
func escapedRuneLen(r rune) int {
	switch {
	case r == '"', r == '\\', r == '\n', r == '\r', r == '\t', r == '\b', r == '\f':
		return 2
	case r < 0x20, r == '\u2028', r == '\u2029':
		return 6
	default:
		return utf8.RuneLen(r)
	}
}

// truncateUTF8 returns the longest prefix of s of at most n bytes that ends on a rune boundary.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// encode marshals r without HTML escaping, so '<' and '>' in reasons cost one byte.
func encode(r cfn.Response) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, fmt.Errorf("encode response: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
