package cfntemplate

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// parameter is one entry of the template's Parameters section.
type parameter struct {
	typ            string
	defaultValue   *string
	allowedValues  []string
	allowedPattern *regexp.Regexp
	minLength      *int
	maxLength      *int
	minValue       *float64
	maxValue       *float64
}

// isList reports whether CloudFormation hands the parameter's value to the template as a list.
func (p parameter) isList() bool {
	return p.typ == "CommaDelimitedList" || strings.HasPrefix(p.typ, "List<")
}

// isNumber reports whether the parameter's value (or each list element) must be a number.
func (p parameter) isNumber() bool {
	return p.typ == "Number" || p.typ == "List<Number>"
}

func parseParameters(v any) (map[string]parameter, error) {
	out := map[string]parameter{}
	if v == nil {
		return out, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, &ResolveError{Path: "Parameters", Err: errors.New("not a mapping")}
	}
	for name, raw := range m {
		p, err := parseParameter(raw)
		if err != nil {
			return nil, resolveErr("Parameters."+name, err)
		}
		out[name] = p
	}
	return out, nil
}

func parseParameter(raw any) (parameter, error) {
	body, ok := raw.(map[string]any)
	if !ok {
		return parameter{}, errors.New("not a mapping")
	}
	var p parameter
	var err error
	if p.typ, ok = body["Type"].(string); !ok {
		return p, errors.New("the Type is missing or not a string")
	}
	if strings.HasPrefix(p.typ, "AWS::SSM::Parameter::") {
		return p, fmt.Errorf("unsupported parameter type %s", p.typ)
	}
	if d, ok := body["Default"]; ok {
		s, ok := d.(string)
		if !ok {
			return p, errors.New("the Default is not a scalar")
		}
		p.defaultValue = &s
	}
	if av, ok := body["AllowedValues"]; ok {
		list, ok := av.([]any)
		if !ok {
			return p, errors.New("AllowedValues is not a list")
		}
		for _, item := range list {
			s, ok := item.(string)
			if !ok {
				return p, errors.New("AllowedValues holds a non-scalar")
			}
			p.allowedValues = append(p.allowedValues, s)
		}
	}
	if pat, ok := body["AllowedPattern"].(string); ok {
		// CloudFormation requires the pattern to match the whole value.
		if p.allowedPattern, err = regexp.Compile("^(?:" + pat + ")$"); err != nil {
			return p, fmt.Errorf("AllowedPattern: %w", err)
		}
	}
	if p.minLength, err = intField(body, "MinLength"); err != nil {
		return p, err
	}
	if p.maxLength, err = intField(body, "MaxLength"); err != nil {
		return p, err
	}
	if p.minValue, err = floatField(body, "MinValue"); err != nil {
		return p, err
	}
	if p.maxValue, err = floatField(body, "MaxValue"); err != nil {
		return p, err
	}
	return p, nil
}

func intField(body map[string]any, key string) (*int, error) {
	s, ok := body[key].(string)
	if !ok {
		return nil, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	return &n, nil
}

func floatField(body map[string]any, key string) (*float64, error) {
	s, ok := body[key].(string)
	if !ok {
		return nil, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	return &f, nil
}

// bindParameters picks each parameter's value (given, else Default), checks
// it against the declared constraints and converts list types to []any.
// Every problem is reported, joined.
func bindParameters(decls map[string]parameter, given map[string]string) (map[string]any, error) {
	var errs []error
	for name := range given {
		if _, ok := decls[name]; !ok {
			errs = append(errs, &ParameterError{Name: name, Reason: "not declared in the template"})
		}
	}
	values := make(map[string]any, len(decls))
	for _, name := range sortedKeys(decls) {
		p := decls[name]
		raw, ok := given[name]
		if !ok {
			if p.defaultValue == nil {
				errs = append(errs, &ParameterError{Name: name, Reason: "no value given and no Default"})
				continue
			}
			raw = *p.defaultValue
		}
		if reason := p.check(raw); reason != "" {
			errs = append(errs, &ParameterError{Name: name, Reason: reason})
			continue
		}
		if p.isList() {
			values[name] = splitList(raw)
		} else {
			values[name] = raw
		}
	}
	return values, errors.Join(errs...)
}

// check returns why raw breaks the parameter's constraints, or "".
func (p parameter) check(raw string) string {
	elems := []string{raw}
	if p.isList() {
		elems = strings.Split(raw, ",")
	}
	for _, e := range elems {
		if p.isNumber() {
			f, err := strconv.ParseFloat(e, 64)
			if err != nil {
				return fmt.Sprintf("%q is not a number", e)
			}
			if p.minValue != nil && f < *p.minValue {
				return fmt.Sprintf("%s is below MinValue %v", e, *p.minValue)
			}
			if p.maxValue != nil && f > *p.maxValue {
				return fmt.Sprintf("%s is above MaxValue %v", e, *p.maxValue)
			}
		}
		if len(p.allowedValues) > 0 && !slices.Contains(p.allowedValues, e) {
			return fmt.Sprintf("%q is not one of AllowedValues %q", e, p.allowedValues)
		}
		if p.allowedPattern != nil && (p.typ == "String" || p.typ == "CommaDelimitedList") && !p.allowedPattern.MatchString(e) {
			return fmt.Sprintf("%q does not match AllowedPattern", e)
		}
	}
	if p.typ == "String" {
		n := utf8.RuneCountInString(raw)
		if p.minLength != nil && n < *p.minLength {
			return fmt.Sprintf("length %d is below MinLength %d", n, *p.minLength)
		}
		if p.maxLength != nil && n > *p.maxLength {
			return fmt.Sprintf("length %d is above MaxLength %d", n, *p.maxLength)
		}
	}
	return ""
}

// splitList splits a list parameter's value on commas, as CloudFormation does (no trimming).
func splitList(raw string) []any {
	parts := strings.Split(raw, ",")
	out := make([]any, len(parts))
	for i, s := range parts {
		out[i] = s
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
