package cfntemplate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"

	"gopkg.in/yaml.v3"
)

// Template is a parsed CloudFormation template with its short-form tags expanded.
type Template struct {
	parameters map[string]parameter
	mappings   map[string]any
	conditions map[string]any
	rules      map[string]any
	resources  map[string]resource
	outputs    map[string]output
}

type resource struct {
	typ        string
	condition  string
	properties any
}

type output struct {
	condition  string
	value      any
	exportName any
}

// LoadFile reads and parses the template at path.
func LoadFile(path string) (*Template, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read template: %w", err)
	}
	t, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("parse template %s: %w", path, err)
	}
	return t, nil
}

// Parse parses a YAML or JSON CloudFormation template; only the first YAML document is read.
func Parse(data []byte) (*Template, error) {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty template")
		}
		return nil, fmt.Errorf("decode YAML: %w", err)
	}
	tree, err := normalize(&doc, "")
	if err != nil {
		return nil, err
	}
	root, ok := tree.(map[string]any)
	if !ok {
		return nil, errors.New("template is not a mapping")
	}
	t := &Template{}
	if t.parameters, err = parseParameters(root["Parameters"]); err != nil {
		return nil, err
	}
	if t.mappings, err = section(root, "Mappings"); err != nil {
		return nil, err
	}
	if t.conditions, err = section(root, "Conditions"); err != nil {
		return nil, err
	}
	if t.rules, err = section(root, "Rules"); err != nil {
		return nil, err
	}
	if t.resources, err = parseResources(root["Resources"]); err != nil {
		return nil, err
	}
	if t.outputs, err = parseOutputs(root["Outputs"]); err != nil {
		return nil, err
	}
	return t, nil
}

// ResourceType returns the Type of the resource with the given logical ID.
func (t *Template) ResourceType(logicalID string) (string, error) {
	r, ok := t.resources[logicalID]
	if !ok {
		return "", fmt.Errorf("no resource %q in template", logicalID)
	}
	return r.typ, nil
}

// ResourceIDs returns the sorted logical IDs of the resources of the given type.
func (t *Template) ResourceIDs(resourceType string) []string {
	var ids []string
	for id, r := range t.resources {
		if r.typ == resourceType {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// ParameterNames returns the sorted names of the template's parameters.
func (t *Template) ParameterNames() []string {
	names := make([]string, 0, len(t.parameters))
	for name := range t.parameters {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// section returns a top-level mapping section, or an empty one when it is absent.
func section(root map[string]any, name string) (map[string]any, error) {
	v, ok := root[name]
	if !ok || v == nil {
		return map[string]any{}, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, &ResolveError{Path: name, Err: errors.New("not a mapping")}
	}
	return m, nil
}

func parseResources(v any) (map[string]resource, error) {
	if v == nil {
		return nil, errors.New("template has no Resources")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, &ResolveError{Path: "Resources", Err: errors.New("not a mapping")}
	}
	out := make(map[string]resource, len(m))
	for id, raw := range m {
		path := "Resources." + id
		body, ok := raw.(map[string]any)
		if !ok {
			return nil, &ResolveError{Path: path, Err: errors.New("not a mapping")}
		}
		typ, ok := body["Type"].(string)
		if !ok || typ == "" {
			return nil, &ResolveError{Path: path + ".Type", Err: errors.New("missing or not a string")}
		}
		cond, err := optionalString(body, "Condition", path)
		if err != nil {
			return nil, err
		}
		out[id] = resource{typ: typ, condition: cond, properties: body["Properties"]}
	}
	return out, nil
}

func parseOutputs(v any) (map[string]output, error) {
	out := map[string]output{}
	if v == nil {
		return out, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, &ResolveError{Path: "Outputs", Err: errors.New("not a mapping")}
	}
	for name, raw := range m {
		path := "Outputs." + name
		body, ok := raw.(map[string]any)
		if !ok {
			return nil, &ResolveError{Path: path, Err: errors.New("not a mapping")}
		}
		cond, err := optionalString(body, "Condition", path)
		if err != nil {
			return nil, err
		}
		o := output{condition: cond, value: body["Value"]}
		if export, ok := body["Export"].(map[string]any); ok {
			o.exportName = export["Name"]
		}
		out[name] = o
	}
	return out, nil
}

// optionalString returns body[key] when it is a string, "" when it is absent.
func optionalString(body map[string]any, key, path string) (string, error) {
	v, ok := body[key]
	if !ok || v == nil {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", &ResolveError{Path: path + "." + key, Err: errors.New("not a string")}
	}
	return s, nil
}

// OutputNames returns the sorted names of the template's outputs.
func (t *Template) OutputNames() []string {
	names := make([]string, 0, len(t.outputs))
	for name := range t.outputs {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
