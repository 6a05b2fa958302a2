package cfntemplate

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// shortTags maps each YAML short-form tag to the long-form key CloudFormation uses.
var shortTags = map[string]string{
	"!Ref":         "Ref",
	"!Condition":   "Condition",
	"!Base64":      "Fn::Base64",
	"!Cidr":        "Fn::Cidr",
	"!FindInMap":   "Fn::FindInMap",
	"!GetAZs":      "Fn::GetAZs",
	"!GetAtt":      "Fn::GetAtt",
	"!ImportValue": "Fn::ImportValue",
	"!Join":        "Fn::Join",
	"!Select":      "Fn::Select",
	"!Split":       "Fn::Split",
	"!Sub":         "Fn::Sub",
	"!Transform":   "Fn::Transform",
	"!And":         "Fn::And",
	"!Equals":      "Fn::Equals",
	"!If":          "Fn::If",
	"!Not":         "Fn::Not",
	"!Or":          "Fn::Or",
}

// normalize turns a YAML node into the long-form value tree: strings, []any,
// map[string]any and nil, with every short-form tag rewritten as a
// one-key map {"Fn::Name": argument}.
func normalize(n *yaml.Node, path string) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return normalize(n.Content[0], path)
	case yaml.AliasNode:
		return normalize(n.Alias, path)
	}
	tag := n.ShortTag()
	fn, isIntrinsic := shortTags[tag]
	if !isIntrinsic && strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!") {
		return nil, &ResolveError{Path: path, Err: fmt.Errorf("line %d: unknown tag %s", n.Line, tag)}
	}
	var v any
	var err error
	switch n.Kind {
	case yaml.ScalarNode:
		v = normalizeScalar(n, tag, isIntrinsic)
	case yaml.SequenceNode:
		v, err = normalizeSequence(n, path)
	case yaml.MappingNode:
		v, err = normalizeMapping(n, path)
	default:
		err = &ResolveError{Path: path, Err: fmt.Errorf("line %d: unexpected YAML node kind %d", n.Line, n.Kind)}
	}
	if err != nil {
		return nil, err
	}
	if !isIntrinsic {
		return v, nil
	}
	if fn == "Fn::GetAtt" && n.Kind == yaml.ScalarNode {
		v = splitGetAtt(n.Value)
	}
	return map[string]any{fn: v}, nil
}

// normalizeScalar returns a scalar as CloudFormation passes it on: a string,
// or nil for an untagged null. Booleans are lower-cased as CloudFormation does.
func normalizeScalar(n *yaml.Node, tag string, isIntrinsic bool) any {
	switch {
	case isIntrinsic:
		return n.Value
	case tag == "!!null":
		return nil
	case tag == "!!bool":
		return strings.ToLower(n.Value)
	default:
		return n.Value
	}
}

func normalizeSequence(n *yaml.Node, path string) (any, error) {
	out := make([]any, 0, len(n.Content))
	for i, item := range n.Content {
		v, err := normalize(item, fmt.Sprintf("%s[%d]", path, i))
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func normalizeMapping(n *yaml.Node, path string) (any, error) {
	out := make(map[string]any, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind != yaml.ScalarNode {
			return nil, &ResolveError{Path: path, Err: fmt.Errorf("line %d: mapping key is not a scalar", k.Line)}
		}
		childPath := joinPath(path, k.Value)
		if _, dup := out[k.Value]; dup {
			return nil, &ResolveError{Path: childPath, Err: fmt.Errorf("line %d: duplicate key", k.Line)}
		}
		v, err := normalize(n.Content[i+1], childPath)
		if err != nil {
			return nil, err
		}
		out[k.Value] = v
	}
	return out, nil
}

// splitGetAtt splits "Resource.Attribute" (the attribute may itself contain dots) into its two parts.
func splitGetAtt(s string) []any {
	res, attr, _ := strings.Cut(s, ".")
	return []any{res, attr}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
