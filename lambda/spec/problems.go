package spec

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with one property value.
type Problem struct {
	Property string // e.g. "InputBuckets[2]"
	Value    string // the offending value as given, shortened; empty when the property is missing
	Message  string // what is wrong and what is allowed
}

func (p Problem) String() string {
	if p.Value == "" {
		return p.Property + ": " + p.Message
	}
	return fmt.Sprintf("%s: %q %s", p.Property, p.Value, p.Message)
}

// Problems is every problem found in a set of properties; it is the error Parse returns.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return fmt.Sprintf("invalid properties (%d): %s", len(ps), strings.Join(lines, "; "))
}

// shorten keeps error messages readable when a value is very long.
func shorten(s string) string {
	const max = 120
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return string(r[:max]) + "…"
}

type collector struct{ problems Problems }

func (c *collector) add(property, value, format string, args ...any) {
	c.problems = append(c.problems, Problem{Property: property, Value: shorten(value), Message: fmt.Sprintf(format, args...)})
}
