package iamdoc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// Strings is a policy field IAM accepts as one string or a list of strings; it encodes one element as a string.
type Strings []string

// NewStrings returns the values sorted with duplicates and empty strings removed.
func NewStrings(values ...string) Strings {
	out := make(Strings, 0, len(values))
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// MarshalJSON encodes a single value as a JSON string and anything else as a JSON array, without HTML escapes.
func (s Strings) MarshalJSON() ([]byte, error) {
	var v any = []string(s)
	if len(s) == 1 {
		v = s[0]
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// UnmarshalJSON accepts a JSON string or an array of strings.
func (s *Strings) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var one string
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*s = Strings{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("want a string or a list of strings: %w", err)
	}
	*s = many
	return nil
}
