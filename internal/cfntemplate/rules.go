package cfntemplate

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// RuleError reports a template rule whose assertion fails for the given parameters, as CloudFormation refuses
// such parameters before it creates or changes anything.
type RuleError struct {
	Rule        string
	Description string // the assertion's AssertDescription
}

// Error implements error.
func (e *RuleError) Error() string { return fmt.Sprintf("rule %s: %s", e.Rule, e.Description) }

// ruleFunctions are the intrinsic functions CloudFormation allows in a rule; of them the evaluator supports
// Fn::And, Fn::Equals, Fn::Not, Fn::Or and Ref to a parameter, and reports the others as unsupported:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-rules.html
var ruleFunctions = []string{
	"Fn::And", "Fn::Contains", "Fn::EachMemberEquals", "Fn::EachMemberIn", "Fn::Equals", "Fn::Not", "Fn::Or",
	"Fn::RefAll", "Fn::ValueOf", "Fn::ValueOfAll", "Ref",
}

// checkRules evaluates the Rules section in name order: a rule whose RuleCondition holds (or that has none) must
// have every assertion true.
func (s *Stack) checkRules() error {
	names := make([]string, 0, len(s.t.rules))
	for name := range s.t.rules {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		path := "Rules." + name
		rule, ok := s.t.rules[name].(map[string]any)
		if !ok {
			return &ResolveError{Path: path, Err: errors.New("not a mapping")}
		}
		if cond, ok := rule["RuleCondition"]; ok {
			holds, err := s.ruleExpression(cond, path+".RuleCondition")
			if err != nil {
				return err
			}
			if !holds {
				continue
			}
		}
		assertions, ok := rule["Assertions"].([]any)
		if !ok || len(assertions) == 0 {
			return &ResolveError{Path: path + ".Assertions", Err: errors.New("want a list of assertions")}
		}
		for i, a := range assertions {
			at := fmt.Sprintf("%s.Assertions[%d]", path, i)
			m, ok := a.(map[string]any)
			if !ok {
				return &ResolveError{Path: at, Err: errors.New("not a mapping")}
			}
			holds, err := s.ruleExpression(m["Assert"], at+".Assert")
			if err != nil {
				return err
			}
			if !holds {
				desc, _ := m["AssertDescription"].(string)
				return &RuleError{Rule: name, Description: desc}
			}
		}
	}
	return nil
}

// ruleExpression checks that v uses only functions a rule may use, then evaluates it as a condition.
func (s *Stack) ruleExpression(v any, path string) (bool, error) {
	if err := onlyRuleFunctions(v, path); err != nil {
		return false, err
	}
	return s.evalCondition(v, path)
}

func onlyRuleFunctions(v any, path string) error {
	switch t := v.(type) {
	case map[string]any:
		for k, inner := range t {
			if strings.HasPrefix(k, "Fn::") || k == "Ref" || k == "Condition" {
				if !slices.Contains(ruleFunctions, k) {
					return &ResolveError{Path: path, Err: fmt.Errorf("%s cannot be used in a rule", k)}
				}
			}
			if err := onlyRuleFunctions(inner, joinPath(path, k)); err != nil {
				return err
			}
		}
	case []any:
		for i, inner := range t {
			if err := onlyRuleFunctions(inner, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	}
	return nil
}
