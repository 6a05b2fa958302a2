package iamdoc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
)

// Version is the IAM policy language version every generated document declares.
const Version = "2012-10-17"

// Effect is a statement's Allow or Deny.
type Effect string

// The two statement effects.
const (
	Allow Effect = "Allow"
	Deny  Effect = "Deny"
)

// Document is an IAM policy document.
type Document struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one statement of a policy document; the field order is the order of the encoded JSON.
type Statement struct {
	Sid       string     `json:"Sid,omitempty"`
	Effect    Effect     `json:"Effect"`
	Principal *Principal `json:"Principal,omitempty"`
	Action    Strings    `json:"Action,omitempty"`
	Resource  Strings    `json:"Resource,omitempty"`
	Condition Condition  `json:"Condition,omitempty"`
}

// Principal names who a trust policy statement applies to.
type Principal struct {
	AWS           Strings `json:"AWS,omitempty"`
	Federated     Strings `json:"Federated,omitempty"`
	Service       Strings `json:"Service,omitempty"`
	CanonicalUser Strings `json:"CanonicalUser,omitempty"`
}

// Condition maps a condition operator to condition keys and their values; encoding/json sorts both levels.
type Condition map[string]map[string]Strings

// Encode returns the document as minified JSON; the same document always gives the same bytes.
func (d Document) Encode() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("encode policy document: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// String returns the minified JSON of the document, or an empty string if it cannot be encoded.
func (d Document) String() string {
	b, err := d.Encode()
	if err != nil {
		return ""
	}
	return string(b)
}

// Parse strictly decodes a policy document: unknown fields, trailing data and wrong types are errors.
func Parse(text string) (Document, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	var d Document
	if err := dec.Decode(&d); err != nil {
		return Document{}, fmt.Errorf("decode policy document: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Document{}, fmt.Errorf("decode policy document: trailing data after the document")
	}
	return d, nil
}

// ParseEncoded strictly decodes a document as IAM's GetRole and GetRolePolicy return it: URL-encoded.
func ParseEncoded(encoded string) (Document, error) {
	text, err := url.QueryUnescape(encoded)
	if err != nil {
		return Document{}, fmt.Errorf("decode policy document: not URL-encoded: %w", err)
	}
	return Parse(text)
}

// Canonical returns the document with every list sorted and de-duplicated and the statements in a stable
// order, so that two documents meaning the same thing compare equal.
func (d Document) Canonical() Document {
	out := Document{Version: d.Version, Statement: make([]Statement, 0, len(d.Statement))}
	for _, s := range d.Statement {
		c := Statement{
			Sid:      s.Sid,
			Effect:   s.Effect,
			Action:   NewStrings(s.Action...),
			Resource: NewStrings(s.Resource...),
		}
		if s.Principal != nil {
			c.Principal = &Principal{
				AWS:           NewStrings(s.Principal.AWS...),
				Federated:     NewStrings(s.Principal.Federated...),
				Service:       NewStrings(s.Principal.Service...),
				CanonicalUser: NewStrings(s.Principal.CanonicalUser...),
			}
		}
		if len(s.Condition) > 0 {
			c.Condition = make(Condition, len(s.Condition))
			for op, keys := range s.Condition {
				c.Condition[op] = make(map[string]Strings, len(keys))
				for k, v := range keys {
					c.Condition[op][k] = NewStrings(v...)
				}
			}
		}
		out.Statement = append(out.Statement, c)
	}
	slices.SortStableFunc(out.Statement, func(a, b Statement) int {
		return strings.Compare(Document{Statement: []Statement{a}}.String(), Document{Statement: []Statement{b}}.String())
	})
	return out
}

// Equivalent reports whether two documents grant the same thing, ignoring list order, duplicates,
// the string-or-list form and statement order.
func Equivalent(a, b Document) bool {
	return a.Canonical().String() == b.Canonical().String()
}
