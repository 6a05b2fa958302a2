package cfntemplate

import (
	"fmt"
	"strings"
)

// eval resolves every intrinsic function in v. AWS::NoValue removes the map
// entry or list element holding it; at the top it is returned as noValue{}.
func (s *Stack) eval(v any, path string) (any, error) {
	switch x := v.(type) {
	case nil, string:
		return x, nil
	case []any:
		out := make([]any, 0, len(x))
		for i, item := range x {
			ev, err := s.eval(item, fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, err
			}
			if _, drop := ev.(noValue); !drop {
				out = append(out, ev)
			}
		}
		return out, nil
	case map[string]any:
		if fn, arg, ok := intrinsic(x); ok {
			ev, err := s.evalIntrinsic(fn, arg, joinPath(path, fn))
			if err != nil {
				return nil, resolveErr(joinPath(path, fn), err)
			}
			return ev, nil
		}
		out := make(map[string]any, len(x))
		for k, item := range x {
			ev, err := s.eval(item, joinPath(path, k))
			if err != nil {
				return nil, err
			}
			if _, drop := ev.(noValue); !drop {
				out[k] = ev
			}
		}
		return out, nil
	default:
		return nil, &ResolveError{Path: path, Err: fmt.Errorf("unexpected value of type %T", v)}
	}
}

// intrinsic reports whether m is a function call: a one-key map whose key is Ref or Fn::*.
func intrinsic(m map[string]any) (fn string, arg any, ok bool) {
	if len(m) != 1 {
		return "", nil, false
	}
	for k, v := range m {
		if k == "Ref" || strings.HasPrefix(k, "Fn::") {
			return k, v, true
		}
	}
	return "", nil, false
}

func (s *Stack) evalIntrinsic(fn string, arg any, path string) (any, error) {
	switch fn {
	case "Ref":
		name, ok := arg.(string)
		if !ok {
			return nil, fmt.Errorf("argument must be a literal name, got %T", arg)
		}
		return s.ref(name)
	case "Fn::Sub":
		return s.sub(arg, path)
	case "Fn::GetAtt":
		return s.getAtt(arg, path)
	case "Fn::ImportValue":
		return s.importValue(arg, path)
	case "Fn::If":
		return s.ifThenElse(arg, path)
	case "Fn::Join":
		return s.join(arg, path)
	case "Fn::Split":
		return s.split(arg, path)
	case "Fn::Select":
		return s.selectItem(arg, path)
	case "Fn::FindInMap":
		return s.findInMap(arg, path)
	case "Fn::Base64":
		return s.base64(arg, path)
	case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or":
		return nil, fmt.Errorf("%s is only allowed in Conditions", fn)
	default:
		return nil, fmt.Errorf("unsupported intrinsic function %s", fn)
	}
}

// evalString evaluates v and requires a string.
func (s *Stack) evalString(v any, path string) (string, error) {
	ev, err := s.eval(v, path)
	if err != nil {
		return "", err
	}
	str, ok := ev.(string)
	if !ok {
		return "", &ResolveError{Path: path, Err: fmt.Errorf("resolved to %s, want a string", describe(ev))}
	}
	return str, nil
}

// evalList evaluates v and requires a list.
func (s *Stack) evalList(v any, path string) ([]any, error) {
	ev, err := s.eval(v, path)
	if err != nil {
		return nil, err
	}
	list, ok := ev.([]any)
	if !ok {
		return nil, &ResolveError{Path: path, Err: fmt.Errorf("resolved to %s, want a list", describe(ev))}
	}
	return list, nil
}

// args requires v to be a list of exactly n items.
func args(v any, n int) ([]any, error) {
	list, ok := v.([]any)
	if !ok || len(list) != n {
		return nil, fmt.Errorf("want a list of %d arguments, got %s", n, describe(v))
	}
	return list, nil
}

// describe names a value's shape for error messages.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case noValue:
		return "AWS::NoValue"
	case string:
		return fmt.Sprintf("string %q", x)
	case []any:
		return fmt.Sprintf("list of %d", len(x))
	case map[string]any:
		return "mapping"
	default:
		return fmt.Sprintf("%T", v)
	}
}
