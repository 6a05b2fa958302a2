package cfntemplate

import (
	"errors"
	"fmt"
	"reflect"
)

// evalCondition evaluates a condition function: Fn::Equals, Fn::Not, Fn::And,
// Fn::Or, or {Condition: name}.
func (s *Stack) evalCondition(v any, path string) (bool, error) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return false, &ResolveError{Path: path, Err: fmt.Errorf("want a condition function, got %s", describe(v))}
	}
	var fn string
	var arg any
	for k, a := range m {
		fn, arg = k, a
	}
	out, err := s.conditionFunction(fn, arg, joinPath(path, fn))
	if err != nil {
		return false, resolveErr(joinPath(path, fn), err)
	}
	return out, nil
}

func (s *Stack) conditionFunction(fn string, arg any, path string) (bool, error) {
	switch fn {
	case "Fn::Equals":
		list, err := args(arg, 2)
		if err != nil {
			return false, err
		}
		a, err := s.eval(list[0], path+"[0]")
		if err != nil {
			return false, err
		}
		b, err := s.eval(list[1], path+"[1]")
		if err != nil {
			return false, err
		}
		return reflect.DeepEqual(a, b), nil
	case "Fn::Not":
		list, err := args(arg, 1)
		if err != nil {
			return false, err
		}
		v, err := s.evalCondition(list[0], path+"[0]")
		return !v, err
	case "Fn::And", "Fn::Or":
		return s.andOr(fn == "Fn::And", arg, path)
	case "Condition":
		name, ok := arg.(string)
		if !ok {
			return false, errors.New("condition name must be a literal string")
		}
		return s.Condition(name)
	default:
		return false, fmt.Errorf("%s is not a condition function", fn)
	}
}

// andOr evaluates Fn::And (all) or Fn::Or (any) over 2 to 10 conditions; every operand is evaluated.
func (s *Stack) andOr(all bool, arg any, path string) (bool, error) {
	list, ok := arg.([]any)
	if !ok || len(list) < 2 || len(list) > 10 {
		return false, fmt.Errorf("want a list of 2 to 10 conditions, got %s", describe(arg))
	}
	result := all
	for i, item := range list {
		v, err := s.evalCondition(item, fmt.Sprintf("%s[%d]", path, i))
		if err != nil {
			return false, err
		}
		if all {
			result = result && v
		} else {
			result = result || v
		}
	}
	return result, nil
}
