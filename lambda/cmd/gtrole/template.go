package main

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gtrole/groundtruth-execution-role/internal/cfntemplate"
	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// resourceType is the type render looks for in a template.
const resourceType = "Custom::GroundTruthExecutionRole"

// params are --param KEY=VALUE flags: a stack's parameter values as CloudFormation receives them (a
// CommaDelimitedList as "a,b").
type params map[string]string

func (p params) String() string { return "" }

func (p params) Set(s string) error {
	key, value, ok := strings.Cut(s, "=")
	if !ok || key == "" {
		return fmt.Errorf("want KEY=VALUE, got %q", s)
	}
	p[key] = value
	return nil
}

// isTemplate reports whether data is a CloudFormation template (a mapping with Resources) rather than a
// Properties object; Resources is not a property of the resource type, so the two cannot be confused.
func isTemplate(data []byte) bool {
	var top map[string]yaml.Node
	if err := yaml.Unmarshal(data, &top); err != nil {
		return false
	}
	_, ok := top["Resources"]
	return ok
}

// importPrefix marks the value of an Fn::ImportValue, which render cannot look up: the ServiceToken is one, and is
// not a property of the role; any other property holding one is an error.
const importPrefix = "\x00import:"

// templateProperties resolves the Properties of every Custom::GroundTruthExecutionRole in the template the way
// CloudFormation would before it sends them to the provider: parameter values from values, then Defaults (checked
// against AllowedPattern, AllowedValues and the other constraints), pseudo parameters from the stack flags,
// Conditions and intrinsic functions. It returns them by logical ID.
func templateProperties(data []byte, values map[string]string, stackName, account, region, partition string) (map[string]map[string]any, error) {
	t, err := cfntemplate.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("read template: %w", err)
	}
	for name := range values {
		if !contains(t.ParameterNames(), name) {
			return nil, fmt.Errorf("--param %s: the template has no such parameter (it has %s)", name, strings.Join(t.ParameterNames(), ", "))
		}
	}
	ids := t.ResourceIDs(resourceType)
	if len(ids) == 0 {
		return nil, fmt.Errorf("the template has no resource of type %s", resourceType)
	}
	stack, err := t.Bind(cfntemplate.Context{
		Parameters: values,
		Partition:  partition, Region: region, AccountID: account, StackName: stackName,
		StackID:     fmt.Sprintf("arn:%s:cloudformation:%s:%s:stack/%s/00000000-0000-0000-0000-000000000000", partition, region, account, stackName),
		ImportValue: func(name string) (string, error) { return importPrefix + name, nil },
	})
	if err != nil {
		var pe *cfntemplate.ParameterError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%w\n(pass parameter values with --param KEY=VALUE)", err)
		}
		return nil, err
	}
	out := map[string]map[string]any{}
	for _, id := range ids {
		props, err := stack.ResourceProperties(id)
		if errors.Is(err, cfntemplate.ErrConditionFalse) {
			continue // CloudFormation does not create it
		} else if err != nil {
			return nil, err
		}
		delete(props, contract.ServiceToken)
		if name, path := findImport(props, "Resources."+id+".Properties"); name != "" {
			return nil, fmt.Errorf("%s: Fn::ImportValue %s cannot be resolved offline; pass the value as a parameter", path, name)
		}
		out[id] = props
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("every %s in the template has a false Condition", resourceType)
	}
	return out, nil
}

// findImport returns the export name and path of the first imported value in v, or "".
func findImport(v any, path string) (name, at string) {
	switch v := v.(type) {
	case string:
		if n, ok := strings.CutPrefix(v, importPrefix); ok {
			return n, path
		}
	case []any:
		for i, e := range v {
			if n, p := findImport(e, fmt.Sprintf("%s[%d]", path, i)); n != "" {
				return n, p
			}
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if n, p := findImport(v[k], path+"."+k); n != "" {
				return n, p
			}
		}
	}
	return "", ""
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
