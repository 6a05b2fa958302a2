package contractdoc

import (
	"bytes"
	"encoding/json"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// SchemaID is the $id of the properties schema.
const SchemaID = "https://github.com/gtrole/groundtruth-execution-role/schema/properties.schema.json"

// String forms CloudFormation delivers for booleans and integers.
const (
	boolString = `^\s*([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])\s*$`
	trueString = `^\s*[Tt][Rr][Uu][Ee]\s*$`
	intString  = `^\s*[0-9]+\s*$`
)

type obj = map[string]any

// intrinsic is a CloudFormation intrinsic function ({"Ref": …}, {"Fn::GetAtt": …}), accepted wherever a value is.
var intrinsic = obj{"$ref": "#/$defs/intrinsic"}

// Schema is the JSON Schema (draft 2020-12) of Custom::GroundTruthExecutionRole's Properties, indented JSON.
func Schema() ([]byte, error) {
	props := obj{}
	var required []string
	var anyOf []any
	dependent := obj{}
	for _, name := range contract.Ignored {
		props[name] = obj{"description": "CloudFormation's own property; the provider ignores it."}
	}
	for _, p := range contract.Properties {
		props[p.Name] = propertySchema(p)
		switch {
		case p.Required && p.Unless != "":
			anyOf = append(anyOf, obj{"required": []string{p.Name}}, obj{"required": []string{p.Unless}})
		case p.Required:
			required = append(required, p.Name)
		}
		if p.Needs != "" {
			need := obj{"required": []string{p.Needs}}
			if n, _ := contract.Lookup(p.Needs); n.Type == contract.Boolean {
				need["properties"] = obj{p.Needs: obj{"anyOf": []any{obj{"const": true}, obj{"type": "string", "pattern": trueString}, intrinsic}}}
			}
			dependent[p.Name] = need
		}
	}
	s := obj{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"$id":                  SchemaID,
		"title":                "Custom::GroundTruthExecutionRole Properties",
		"description":          "The Properties of a Custom::GroundTruthExecutionRole resource, generated from lambda/contract. The provider checks more than a schema can (partitions, accounts, regions, IAM's character set); `gtrole render` runs those checks without any AWS call.",
		"type":                 "object",
		"properties":           props,
		"required":             required,
		"additionalProperties": false,
		"$defs": obj{"intrinsic": obj{
			"description":          "A CloudFormation intrinsic function such as {\"Ref\": …} or {\"Fn::GetAtt\": […]}, resolved before the provider sees the value.",
			"type":                 "object",
			"minProperties":        1,
			"maxProperties":        1,
			"patternProperties":    obj{"^(Ref|Fn::[A-Za-z0-9]+)$": obj{}},
			"additionalProperties": false,
		}},
	}
	if len(anyOf) > 0 {
		s["anyOf"] = anyOf
	}
	if len(dependent) > 0 {
		s["dependentSchemas"] = dependent
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func propertySchema(p contract.Property) obj {
	s := valueSchema(p)
	s["description"] = descriptionText(p)
	if p.Default != "" {
		switch p.Type {
		case contract.Boolean:
			s["default"] = p.Default == "true"
		}
	}
	return s
}

// valueSchema is the schema of one value: its documented form, or an intrinsic function.
func valueSchema(p contract.Property) obj {
	var forms []any
	switch p.Type {
	case contract.Boolean:
		forms = []any{obj{"type": "boolean"}, obj{"type": "string", "pattern": boolString}}
	case contract.Integer:
		forms = []any{obj{"type": "integer", "minimum": p.Minimum, "maximum": p.Maximum}, obj{"type": "string", "pattern": intString}}
	case contract.StringList:
		list := obj{"type": "array", "items": obj{"anyOf": []any{stringSchema(p), intrinsic}}}
		if p.MinItems > 0 {
			list["minItems"] = p.MinItems
		}
		if p.MaxItems > 0 {
			list["maxItems"] = p.MaxItems
		}
		forms = []any{list}
	case contract.TagList:
		tag := obj{
			"type": "object",
			"properties": obj{
				"Key":   obj{"anyOf": []any{obj{"type": "string", "minLength": 1, "maxLength": contract.MaxTagKeyLength}, intrinsic}},
				"Value": obj{"anyOf": []any{obj{"type": "string", "maxLength": contract.MaxTagValueLength}, intrinsic}},
			},
			"required":             []string{"Key"},
			"additionalProperties": false,
		}
		forms = []any{obj{"type": "array", "maxItems": p.MaxItems, "items": tag}}
	case contract.Object:
		fields := obj{}
		var required []string
		for _, f := range p.Fields {
			fs := valueSchema(f)
			fs["description"] = f.Description
			fields[f.Name] = fs
			if f.Required {
				required = append(required, f.Name)
			}
		}
		o := obj{"type": "object", "properties": fields, "additionalProperties": false}
		if len(required) > 0 {
			o["required"] = required
		}
		forms = []any{o}
	default:
		forms = []any{stringSchema(p)}
	}
	return obj{"anyOf": append(forms, intrinsic)}
}

func stringSchema(p contract.Property) obj {
	s := obj{"type": "string"}
	if p.MinLength > 0 {
		s["minLength"] = p.MinLength
	}
	if p.MaxLength > 0 {
		s["maxLength"] = p.MaxLength
	}
	if p.Pattern != "" {
		s["pattern"] = p.Pattern
	}
	return s
}
