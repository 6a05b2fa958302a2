package cfntemplate

import (
	"errors"
	"fmt"
)

// Stack is a template bound to a Context: parameters are checked and
// Conditions and intrinsic functions can be evaluated. It is not safe for concurrent use.
type Stack struct {
	t          *Template
	ctx        Context
	params     map[string]any
	conditions map[string]bool
	evaluating map[string]bool
}

// Output is a resolved entry of the template's Outputs section.
type Output struct {
	Value      any
	ExportName string
}

// Bind checks the parameter values in ctx against the template and returns the stack to resolve values in.
func (t *Template) Bind(ctx Context) (*Stack, error) {
	params, err := bindParameters(t.parameters, ctx.Parameters)
	if err != nil {
		return nil, fmt.Errorf("bind parameters: %w", err)
	}
	s := &Stack{
		t:          t,
		ctx:        ctx,
		params:     params,
		conditions: map[string]bool{},
		evaluating: map[string]bool{},
	}
	if err := s.checkRules(); err != nil {
		return nil, fmt.Errorf("bind parameters: %w", err)
	}
	return s, nil
}

// Parameter returns the bound value of a parameter: a string, or []any of strings for list types.
func (s *Stack) Parameter(name string) (any, error) {
	v, ok := s.params[name]
	if !ok {
		return nil, fmt.Errorf("no parameter %q in template", name)
	}
	return v, nil
}

// ResourceProperties returns the resolved Properties of a resource, as a custom-resource event carries them.
// It returns an error wrapping ErrConditionFalse when the resource's Condition is false.
func (s *Stack) ResourceProperties(logicalID string) (map[string]any, error) {
	r, ok := s.t.resources[logicalID]
	if !ok {
		return nil, fmt.Errorf("no resource %q in template", logicalID)
	}
	path := "Resources." + logicalID
	if err := s.requireCondition(r.condition, path); err != nil {
		return nil, err
	}
	v, err := s.eval(r.properties, path+".Properties")
	if err != nil {
		return nil, err
	}
	switch props := v.(type) {
	case nil, noValue:
		return map[string]any{}, nil
	case map[string]any:
		return props, nil
	default:
		return nil, &ResolveError{Path: path + ".Properties", Err: fmt.Errorf("resolved to %T, not a mapping", v)}
	}
}

// Output resolves an entry of the Outputs section.
// It returns an error wrapping ErrConditionFalse when the output's Condition is false.
func (s *Stack) Output(name string) (Output, error) {
	o, ok := s.t.outputs[name]
	if !ok {
		return Output{}, fmt.Errorf("no output %q in template", name)
	}
	path := "Outputs." + name
	if err := s.requireCondition(o.condition, path); err != nil {
		return Output{}, err
	}
	v, err := s.eval(o.value, path+".Value")
	if err != nil {
		return Output{}, err
	}
	out := Output{Value: v}
	if o.exportName != nil {
		name, err := s.evalString(o.exportName, path+".Export.Name")
		if err != nil {
			return Output{}, err
		}
		out.ExportName = name
	}
	return out, nil
}

// requireCondition returns nil when name is empty or true, and an error wrapping ErrConditionFalse when it is false.
func (s *Stack) requireCondition(name, path string) error {
	if name == "" {
		return nil
	}
	ok, err := s.Condition(name)
	if err != nil {
		return resolveErr(path+".Condition", err)
	}
	if !ok {
		return &ResolveError{Path: path, Err: fmt.Errorf("condition %s: %w", name, ErrConditionFalse)}
	}
	return nil
}

// Condition evaluates a named entry of the Conditions section.
func (s *Stack) Condition(name string) (bool, error) {
	if v, ok := s.conditions[name]; ok {
		return v, nil
	}
	body, ok := s.t.conditions[name]
	if !ok {
		return false, fmt.Errorf("no condition %q in template", name)
	}
	if s.evaluating[name] {
		return false, errors.New("condition " + name + " refers to itself")
	}
	s.evaluating[name] = true
	defer delete(s.evaluating, name)
	v, err := s.evalCondition(body, "Conditions."+name)
	if err != nil {
		return false, err
	}
	s.conditions[name] = v
	return v, nil
}
