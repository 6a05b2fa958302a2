package provider

import (
	"encoding/json"
	"fmt"
	"sort"
	"testing"
)

// canonStatement is a policy statement in an order-free form: actions and resources sorted, every
// value as canonical JSON text, so two documents granting the same thing compare equal.
type canonStatement struct {
	Sid       string
	Effect    string
	Actions   []string
	Resources []string
	Condition string
}

// String prints the statement for failure messages.
func (s canonStatement) String() string {
	return fmt.Sprintf("{Sid:%s Effect:%s Actions:%v Resources:%v Condition:%s}", s.Sid, s.Effect, s.Actions, s.Resources, s.Condition)
}

// canonicalStatements decodes a policy document and returns its statements sorted by Sid.
func canonicalStatements(t *testing.T, doc []byte) []canonStatement {
	t.Helper()
	var d policyDocument
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatalf("decode policy document: %v", err)
	}
	if d.Version != "2012-10-17" {
		t.Errorf("policy Version = %q, want 2012-10-17", d.Version)
	}
	out := make([]canonStatement, 0, len(d.Statement))
	for _, s := range d.Statement {
		out = append(out, canonStatement{
			Sid:       s.Sid,
			Effect:    s.Effect,
			Actions:   sortedCopy(s.Action),
			Resources: canonicalList(t, s.Resource),
			Condition: canonicalCondition(t, s.Condition),
		})
	}
	sortStatements(out)
	return out
}

// sortStatements orders statements by Sid.
func sortStatements(s []canonStatement) {
	sort.Slice(s, func(i, j int) bool { return s[i].Sid < s[j].Sid })
}

// canonicalList turns a JSON value or list of values into sorted canonical JSON texts.
func canonicalList(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	if len(raw) == 0 {
		return nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	out := make([]string, 0, len(items))
	for _, item := range items {
		out = append(out, canonicalJSON(t, item))
	}
	sort.Strings(out)
	return out
}

// canonicalCondition renders a Condition block with every value list sorted ("" when absent).
func canonicalCondition(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	if len(raw) == 0 {
		return ""
	}
	var cond map[string]map[string]json.RawMessage
	if err := json.Unmarshal(raw, &cond); err != nil {
		t.Fatalf("decode condition %s: %v", raw, err)
	}
	canon := map[string]map[string][]string{}
	for op, keys := range cond {
		canon[op] = map[string][]string{}
		for key, values := range keys {
			canon[op][key] = canonicalList(t, values)
		}
	}
	return canonicalJSON(t, canon)
}

// canonicalJSON marshals v; encoding/json sorts map keys, which makes the text canonical.
func canonicalJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %v: %v", v, err)
	}
	return string(b)
}

// diffStatements reports every difference between two canonical statement lists.
func diffStatements(t *testing.T, got, want []canonStatement) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d statements, want %d", len(got), len(want))
	}
	for i := 0; i < len(got) || i < len(want); i++ {
		var g, w string
		if i < len(got) {
			g = got[i].String()
		}
		if i < len(want) {
			w = want[i].String()
		}
		if g != w {
			t.Errorf("statement %d:\n got  %s\n want %s", i, g, w)
		}
	}
}
