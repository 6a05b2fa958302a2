package provider

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// A small CloudFormation evaluator for tests: it turns YAML (with short tags) into the JSON form and
// resolves intrinsic functions against fixed sample values, so a hand-written template and a CDK
// template can be compared value by value.

// noValue is what AWS::NoValue resolves to; lists and maps drop it.
type noValue struct{}

// shortTags maps YAML short tags to their long intrinsic names.
var shortTags = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition", "!Sub": "Fn::Sub", "!GetAtt": "Fn::GetAtt", "!If": "Fn::If",
	"!Not": "Fn::Not", "!Equals": "Fn::Equals", "!And": "Fn::And", "!Or": "Fn::Or", "!Join": "Fn::Join",
	"!Select": "Fn::Select", "!Split": "Fn::Split", "!ImportValue": "Fn::ImportValue", "!Base64": "Fn::Base64",
	"!FindInMap": "Fn::FindInMap", "!GetAZs": "Fn::GetAZs",
}

// fromYAML converts a YAML node to the JSON value model, expanding short tags.
func fromYAML(n *yaml.Node) (any, error) {
	if n.Kind == yaml.DocumentNode {
		return fromYAML(n.Content[0])
	}
	var v any
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			val, err := fromYAML(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = val
		}
		v = m
	case yaml.SequenceNode:
		list := []any{}
		for _, c := range n.Content {
			val, err := fromYAML(c)
			if err != nil {
				return nil, err
			}
			list = append(list, val)
		}
		v = list
	case yaml.ScalarNode:
		v = n.Value
	case yaml.AliasNode:
		return fromYAML(n.Alias)
	default:
		return nil, fmt.Errorf("line %d: unsupported YAML node kind %d", n.Line, n.Kind)
	}
	if !strings.HasPrefix(n.Tag, "!") || strings.HasPrefix(n.Tag, "!!") {
		return v, nil
	}
	name, ok := shortTags[n.Tag]
	if !ok {
		return nil, fmt.Errorf("line %d: unknown tag %s", n.Line, n.Tag)
	}
	if name == "Fn::GetAtt" {
		if s, isString := v.(string); isString {
			res, attr, _ := strings.Cut(s, ".")
			v = []any{res, attr}
		}
	}
	return map[string]any{name: v}, nil
}

// evaluator resolves intrinsics against sample values.
type evaluator struct {
	refs       map[string]any  // parameters, pseudo parameters and resource Refs
	attrs      map[string]any  // "Resource.Attribute" values for Fn::GetAtt
	conditions map[string]any  // the template's Conditions section
	known      map[string]bool // evaluated conditions
	refOf      func(string) (any, bool)
}

var subVar = regexp.MustCompile(`\$\{([^}]*)\}`)

// resolve evaluates every intrinsic function in v.
func (e *evaluator) resolve(v any) (any, error) {
	switch x := v.(type) {
	case []any:
		out := []any{}
		for _, item := range x {
			r, err := e.resolve(item)
			if err != nil {
				return nil, err
			}
			if _, skip := r.(noValue); !skip {
				out = append(out, r)
			}
		}
		return out, nil
	case map[string]any:
		if len(x) == 1 {
			for k, arg := range x {
				if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
					return e.intrinsic(k, arg)
				}
			}
		}
		out := map[string]any{}
		for k, item := range x {
			r, err := e.resolve(item)
			if err != nil {
				return nil, err
			}
			if _, skip := r.(noValue); !skip {
				out[k] = r
			}
		}
		return out, nil
	default:
		return v, nil
	}
}

// intrinsic evaluates one intrinsic function.
func (e *evaluator) intrinsic(name string, arg any) (any, error) {
	switch name {
	case "Ref":
		return e.ref(fmt.Sprint(arg))
	case "Condition":
		return e.condition(fmt.Sprint(arg))
	case "Fn::GetAtt":
		parts, ok := arg.([]any)
		if !ok || len(parts) != 2 {
			return nil, fmt.Errorf("Fn::GetAtt %v: want [resource, attribute]", arg)
		}
		key := fmt.Sprint(parts[0]) + "." + fmt.Sprint(parts[1])
		v, ok := e.attrs[key]
		if !ok {
			return nil, fmt.Errorf("Fn::GetAtt %s: no sample value", key)
		}
		return v, nil
	case "Fn::Sub":
		return e.sub(arg)
	case "Fn::Join":
		parts, ok := arg.([]any)
		if !ok || len(parts) != 2 {
			return nil, fmt.Errorf("Fn::Join %v: want [delimiter, list]", arg)
		}
		items, err := e.resolve(parts[1])
		if err != nil {
			return nil, err
		}
		list, ok := items.([]any)
		if !ok {
			return nil, fmt.Errorf("Fn::Join: %v is not a list", items)
		}
		strs := make([]string, 0, len(list))
		for _, item := range list {
			s, ok := item.(string)
			if !ok {
				return nil, fmt.Errorf("Fn::Join: item %v is not a string", item)
			}
			strs = append(strs, s)
		}
		return strings.Join(strs, fmt.Sprint(parts[0])), nil
	case "Fn::If":
		parts, ok := arg.([]any)
		if !ok || len(parts) != 3 {
			return nil, fmt.Errorf("Fn::If %v: want [condition, then, else]", arg)
		}
		cond, err := e.condition(fmt.Sprint(parts[0]))
		if err != nil {
			return nil, err
		}
		if cond {
			return e.resolve(parts[1])
		}
		return e.resolve(parts[2])
	case "Fn::Equals":
		parts, err := e.resolve(arg)
		if err != nil {
			return nil, err
		}
		list, ok := parts.([]any)
		if !ok || len(list) != 2 {
			return nil, fmt.Errorf("Fn::Equals %v: want two values", arg)
		}
		return fmt.Sprint(list[0]) == fmt.Sprint(list[1]), nil
	case "Fn::Not", "Fn::And", "Fn::Or":
		parts, err := e.resolve(arg)
		if err != nil {
			return nil, err
		}
		list, ok := parts.([]any)
		if !ok || len(list) == 0 {
			return nil, fmt.Errorf("%s %v: want a list of conditions", name, arg)
		}
		result := name == "Fn::And"
		for _, item := range list {
			b, ok := item.(bool)
			if !ok {
				return nil, fmt.Errorf("%s: %v is not a condition", name, item)
			}
			switch name {
			case "Fn::Not":
				return !b, nil
			case "Fn::And":
				result = result && b
			default:
				result = result || b
			}
		}
		return result, nil
	}
	return nil, fmt.Errorf("%s: not supported by the test evaluator", name)
}

// ref resolves a Ref: pseudo parameters and parameters from refs, resources through refOf.
func (e *evaluator) ref(name string) (any, error) {
	if name == "AWS::NoValue" {
		return noValue{}, nil
	}
	if v, ok := e.refs[name]; ok {
		return v, nil
	}
	if e.refOf != nil {
		if v, ok := e.refOf(name); ok {
			return e.resolve(v)
		}
	}
	return nil, fmt.Errorf("Ref %s: no sample value", name)
}

// condition evaluates a named condition of the template.
func (e *evaluator) condition(name string) (bool, error) {
	if b, ok := e.known[name]; ok {
		return b, nil
	}
	def, ok := e.conditions[name]
	if !ok {
		return false, fmt.Errorf("condition %s is not defined", name)
	}
	v, err := e.resolve(def)
	if err != nil {
		return false, fmt.Errorf("condition %s: %w", name, err)
	}
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("condition %s is %v, not a boolean", name, v)
	}
	if e.known == nil {
		e.known = map[string]bool{}
	}
	e.known[name] = b
	return b, nil
}

// sub evaluates Fn::Sub in its string and [string, variables] forms.
func (e *evaluator) sub(arg any) (any, error) {
	text, vars := "", map[string]any{}
	switch x := arg.(type) {
	case string:
		text = x
	case []any:
		if len(x) != 2 {
			return nil, fmt.Errorf("Fn::Sub %v: want [string, variables]", arg)
		}
		text = fmt.Sprint(x[0])
		m, ok := x[1].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("Fn::Sub variables %v are not a map", x[1])
		}
		vars = m
	default:
		return nil, fmt.Errorf("Fn::Sub %v: want a string", arg)
	}
	var firstErr error
	out := subVar.ReplaceAllStringFunc(text, func(m string) string {
		name := m[2 : len(m)-1]
		if strings.HasPrefix(name, "!") {
			return "${" + name[1:] + "}"
		}
		var v any
		var err error
		if val, ok := vars[name]; ok {
			v, err = e.resolve(val)
		} else if res, attr, isAttr := strings.Cut(name, "."); isAttr {
			v, err = e.intrinsic("Fn::GetAtt", []any{res, attr})
		} else {
			v, err = e.ref(name)
		}
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return fmt.Sprint(v)
	})
	return out, firstErr
}

// sortedKeys returns the keys of m in order, for stable failure messages.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
