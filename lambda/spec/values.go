package spec

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// CloudFormation delivers every scalar as a string; templates fed to the CLI and CDK may use real JSON types.
// These helpers accept both and report a problem naming the property otherwise.

func (c *collector) str(name string, v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case float64, int, int64, bool:
		return fmt.Sprint(x), true
	default:
		c.add(name, "", "must be a string, got %s", kind(v))
		return "", false
	}
}

func (c *collector) boolean(name string, v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true":
			return true
		case "false", "":
			return false
		}
		c.add(name, x, "is not a boolean: use true or false")
	default:
		c.add(name, "", "must be a boolean (true or false), got %s", kind(v))
	}
	return false
}

func (c *collector) integer(name string, v any) (int64, bool) {
	var text string
	switch x := v.(type) {
	case string:
		text = strings.TrimSpace(x)
	case json.Number:
		text = x.String()
	case int:
		return int64(x), true
	case int64:
		return x, true
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x), true
		}
		text = strconv.FormatFloat(x, 'g', -1, 64)
	default:
		c.add(name, "", "must be a whole number, got %s", kind(v))
		return 0, false
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		c.add(name, text, "is not a whole number")
		return 0, false
	}
	return n, true
}

// strings reads a list of strings; a lone string counts as a one-element list.
func (c *collector) strings(name string, v any) []string {
	switch x := v.(type) {
	case string:
		if strings.Contains(x, ",") {
			c.add(name, x, "is one string with commas: give a list of values instead (in a template, !Split or a CommaDelimitedList parameter)")
			return nil
		}
		if strings.TrimSpace(x) == "" {
			return nil
		}
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for i, item := range x {
			s, ok := item.(string)
			if !ok {
				c.add(fmt.Sprintf("%s[%d]", name, i), "", "must be a string, got %s", kind(item))
				continue
			}
			out = append(out, s)
		}
		return out
	case []string:
		return x
	default:
		c.add(name, "", "must be a list of strings, got %s", kind(v))
		return nil
	}
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case float64, int, int64, json.Number:
		return "a number"
	case []any, []string:
		return "a list"
	case map[string]any:
		return "an object"
	default:
		return fmt.Sprintf("%T", v)
	}
}
