package cfntemplate

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ref answers Ref: a pseudo parameter, a parameter, or a resource's physical ID.
func (s *Stack) ref(name string) (any, error) {
	if strings.HasPrefix(name, "AWS::") {
		return s.ctx.pseudo(name)
	}
	if v, ok := s.params[name]; ok {
		return v, nil
	}
	if _, ok := s.t.resources[name]; ok {
		if s.ctx.Ref == nil {
			return nil, fmt.Errorf("a Ref to resource %s needs Context.Ref, which is nil", name)
		}
		id, err := s.ctx.Ref(name)
		if err != nil {
			return nil, fmt.Errorf("resolve Ref %s: %w", name, err)
		}
		return id, nil
	}
	return nil, fmt.Errorf("a Ref to unknown name %s", name)
}

// getAtt answers Fn::GetAtt [resource, attribute] (or "resource.attribute").
func (s *Stack) getAtt(arg any, path string) (any, error) {
	if str, ok := arg.(string); ok {
		arg = splitGetAtt(str)
	}
	list, err := args(arg, 2)
	if err != nil {
		return nil, err
	}
	id, ok := list[0].(string)
	if !ok {
		return nil, errors.New("resource name must be a literal string")
	}
	attr, err := s.evalString(list[1], path+"[1]")
	if err != nil {
		return nil, err
	}
	return s.attribute(id, attr)
}

func (s *Stack) attribute(id, attr string) (any, error) {
	if _, ok := s.t.resources[id]; !ok {
		return nil, fmt.Errorf("GetAtt on unknown resource %s", id)
	}
	if attr == "" {
		return nil, fmt.Errorf("GetAtt on %s has no attribute name", id)
	}
	if s.ctx.GetAtt == nil {
		return nil, fmt.Errorf("GetAtt %s.%s but Context.GetAtt is nil", id, attr)
	}
	v, err := s.ctx.GetAtt(id, attr)
	if err != nil {
		return nil, fmt.Errorf("GetAtt %s.%s: %w", id, attr, err)
	}
	return v, nil
}

// importValue answers Fn::ImportValue through Context.ImportValue.
func (s *Stack) importValue(arg any, path string) (any, error) {
	name, err := s.evalString(arg, path)
	if err != nil {
		return nil, err
	}
	if s.ctx.ImportValue == nil {
		return nil, fmt.Errorf("import %q but Context.ImportValue is nil", name)
	}
	v, err := s.ctx.ImportValue(name)
	if err != nil {
		return nil, fmt.Errorf("import %q: %w", name, err)
	}
	return v, nil
}

// ifThenElse answers Fn::If [condition, valueIfTrue, valueIfFalse].
func (s *Stack) ifThenElse(arg any, path string) (any, error) {
	list, err := args(arg, 3)
	if err != nil {
		return nil, err
	}
	name, ok := list[0].(string)
	if !ok {
		return nil, errors.New("condition name must be a literal string")
	}
	cond, err := s.Condition(name)
	if err != nil {
		return nil, err
	}
	if cond {
		return s.eval(list[1], path+"[1]")
	}
	return s.eval(list[2], path+"[2]")
}

// join answers Fn::Join [delimiter, list].
func (s *Stack) join(arg any, path string) (any, error) {
	list, err := args(arg, 2)
	if err != nil {
		return nil, err
	}
	delim, ok := list[0].(string)
	if !ok {
		return nil, errors.New("delimiter must be a literal string")
	}
	items, err := s.evalList(list[1], path+"[1]")
	if err != nil {
		return nil, err
	}
	parts := make([]string, len(items))
	for i, item := range items {
		str, ok := item.(string)
		if !ok {
			return nil, fmt.Errorf("element %d is %s, want a string", i, describe(item))
		}
		parts[i] = str
	}
	return strings.Join(parts, delim), nil
}

// split answers Fn::Split [delimiter, string].
func (s *Stack) split(arg any, path string) (any, error) {
	list, err := args(arg, 2)
	if err != nil {
		return nil, err
	}
	delim, ok := list[0].(string)
	if !ok || delim == "" {
		return nil, errors.New("delimiter must be a non-empty literal string")
	}
	source, err := s.evalString(list[1], path+"[1]")
	if err != nil {
		return nil, err
	}
	return splitOn(source, delim), nil
}

func splitOn(source, delim string) []any {
	parts := strings.Split(source, delim)
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out
}

// selectItem answers Fn::Select [index, list].
func (s *Stack) selectItem(arg any, path string) (any, error) {
	list, err := args(arg, 2)
	if err != nil {
		return nil, err
	}
	idxStr, err := s.evalString(list[0], path+"[0]")
	if err != nil {
		return nil, err
	}
	idx, err := strconv.Atoi(idxStr)
	if err != nil {
		return nil, fmt.Errorf("index %q is not an integer", idxStr)
	}
	items, err := s.evalList(list[1], path+"[1]")
	if err != nil {
		return nil, err
	}
	if idx < 0 || idx >= len(items) {
		return nil, fmt.Errorf("index %d out of range for a list of %d", idx, len(items))
	}
	return items[idx], nil
}

// findInMap answers Fn::FindInMap [map, top-level key, second-level key].
func (s *Stack) findInMap(arg any, path string) (any, error) {
	list, err := args(arg, 3)
	if err != nil {
		return nil, err
	}
	keys := make([]string, 3)
	for i, item := range list {
		if keys[i], err = s.evalString(item, fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return nil, err
		}
	}
	m, ok := s.t.mappings[keys[0]].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("no mapping %q", keys[0])
	}
	top, ok := m[keys[1]].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("mapping %s has no key %q", keys[0], keys[1])
	}
	v, ok := top[keys[2]]
	if !ok {
		return nil, fmt.Errorf("mapping %s.%s has no key %q", keys[0], keys[1], keys[2])
	}
	return v, nil
}

// base64 answers Fn::Base64 string.
func (s *Stack) base64(arg any, path string) (any, error) {
	str, err := s.evalString(arg, path)
	if err != nil {
		return nil, err
	}
	return base64.StdEncoding.EncodeToString([]byte(str)), nil
}
