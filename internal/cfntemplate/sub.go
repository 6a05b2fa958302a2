package cfntemplate

import (
	"errors"
	"fmt"
	"strings"
)

// sub answers Fn::Sub "template" and Fn::Sub ["template", {Var: value}].
// ${Name} takes a variable, then a parameter, pseudo parameter or resource
// Ref; ${Resource.Attribute} takes Fn::GetAtt; ${!Text} is the literal ${Text}.
func (s *Stack) sub(arg any, path string) (any, error) {
	tmpl, vars, err := s.subArgs(arg, path)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	rest := tmpl
	for {
		start := strings.Index(rest, "${")
		if start < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:start])
		rest = rest[start+2:]
		end := strings.IndexByte(rest, '}')
		if end < 0 {
			return nil, fmt.Errorf("unterminated ${ in %q", tmpl)
		}
		name := rest[:end]
		rest = rest[end+1:]
		if literal, ok := strings.CutPrefix(name, "!"); ok {
			b.WriteString("${" + literal + "}")
			continue
		}
		val, err := s.subVariable(name, vars)
		if err != nil {
			return nil, fmt.Errorf("${%s}: %w", name, err)
		}
		b.WriteString(val)
	}
	return b.String(), nil
}

// subArgs splits Fn::Sub's argument into the template string and its resolved variables.
func (s *Stack) subArgs(arg any, path string) (string, map[string]string, error) {
	if tmpl, ok := arg.(string); ok {
		return tmpl, nil, nil
	}
	list, err := args(arg, 2)
	if err != nil {
		return "", nil, err
	}
	tmpl, ok := list[0].(string)
	if !ok {
		return "", nil, errors.New("template must be a literal string")
	}
	m, ok := list[1].(map[string]any)
	if !ok {
		return "", nil, fmt.Errorf("variables must be a mapping, got %s", describe(list[1]))
	}
	vars := make(map[string]string, len(m))
	for k, v := range m {
		if vars[k], err = s.evalString(v, fmt.Sprintf("%s[1].%s", path, k)); err != nil {
			return "", nil, err
		}
	}
	return tmpl, vars, nil
}

func (s *Stack) subVariable(name string, vars map[string]string) (string, error) {
	if v, ok := vars[name]; ok {
		return v, nil
	}
	var v any
	var err error
	if id, attr, dotted := strings.Cut(name, "."); dotted && !strings.HasPrefix(name, "AWS::") {
		v, err = s.attribute(id, attr)
	} else {
		v, err = s.ref(name)
	}
	if err != nil {
		return "", err
	}
	str, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("resolved to %s, want a string", describe(v))
	}
	return str, nil
}
