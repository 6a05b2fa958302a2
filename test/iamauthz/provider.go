package iamauthz

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/gtrole/groundtruth-execution-role/internal/cfntemplate"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
)

// Settings are the provider settings provider.yaml takes as parameters; empty fields take the template's defaults.
type Settings struct {
	RolePathPrefix              string
	AllowedManagedPolicyArns    string // comma-separated
	RequiredPermissionsBoundary string
}

// Sample values the template is resolved with; they match moto's account and Region.
const (
	sampleAccount = "123456789012"
	sampleRegion  = "us-east-1"
)

// ProviderPolicy resolves the provider role's statements from a provider template (templates.ProviderYAML) with
// the given settings, as CloudFormation would deploy them. One source suffices: cdk/provider's
// TestYAMLProviderTemplateMatchesCDK proves that provider.yaml and the CDK provider stack grant the same statements.
// The provider role is the role of the function configured with ROLE_PATH_PREFIX; its statements are its inline
// Policies and every AWS::IAM::RolePolicy or AWS::IAM::Policy attached to it (a managed policy is an error: this
// evaluator cannot see it).
func ProviderPolicy(template []byte, s Settings) (*Policy, error) {
	const what = "provider template"
	tmpl, err := cfntemplate.Parse(template)
	if err != nil {
		return nil, err
	}
	params := map[string]string{"CodeBucket": "code-bucket", "CodeKey": "bootstrap.zip"}
	for name, v := range map[string]string{
		"RolePathPrefix": s.RolePathPrefix, "AllowedManagedPolicyArns": s.AllowedManagedPolicyArns,
		"RequiredPermissionsBoundary": s.RequiredPermissionsBoundary,
	} {
		if v != "" {
			params[name] = v
		}
	}
	stack, err := tmpl.Bind(cfntemplate.Context{
		Parameters: params,
		Partition:  "aws", Region: sampleRegion, AccountID: sampleAccount, URLSuffix: "amazonaws.com",
		StackName: "gt-provider", StackID: "arn:aws:cloudformation:us-east-1:123456789012:stack/gt-provider/1",
		Ref:    func(id string) (string, error) { return "ref:" + id, nil },
		GetAtt: func(id, attr string) (any, error) { return "getatt:" + id + "." + attr, nil },
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	role, err := providerRole(tmpl, stack)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	docs, err := roleDocuments(tmpl, stack, role)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("%s: no policy grants the provider role %s anything", what, role)
	}
	p, err := NewPolicy(docs...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return &p, nil
}

// properties returns a resource's resolved properties, or nil when its Condition is false.
func properties(stack *cfntemplate.Stack, id string) (map[string]any, error) {
	props, err := stack.ResourceProperties(id)
	if errors.Is(err, cfntemplate.ErrConditionFalse) {
		return nil, nil
	}
	return props, err
}

// providerRole is the logical id of the role of the function that has ROLE_PATH_PREFIX in its environment.
func providerRole(tmpl *cfntemplate.Template, stack *cfntemplate.Stack) (string, error) {
	var roles []string
	for _, id := range tmpl.ResourceIDs("AWS::Lambda::Function") {
		props, err := properties(stack, id)
		if err != nil {
			return "", err
		}
		env, _ := props["Environment"].(map[string]any)
		vars, _ := env["Variables"].(map[string]any)
		if _, ok := vars["ROLE_PATH_PREFIX"]; !ok {
			continue
		}
		ref, _ := props["Role"].(string)
		target, ok := strings.CutPrefix(ref, "getatt:")
		if !ok || !strings.HasSuffix(target, ".Arn") {
			return "", fmt.Errorf("function %s: Role %v is not the Arn of a role of the template", id, props["Role"])
		}
		roles = append(roles, strings.TrimSuffix(target, ".Arn"))
	}
	slices.Sort(roles)
	roles = slices.Compact(roles)
	if len(roles) != 1 {
		return "", fmt.Errorf("want one provider role (of the functions with ROLE_PATH_PREFIX), found %v", roles)
	}
	return roles[0], nil
}

// roleDocuments collects the policy documents that apply to the role with logical id role.
func roleDocuments(tmpl *cfntemplate.Template, stack *cfntemplate.Stack, role string) ([]iamdoc.Document, error) {
	props, err := properties(stack, role)
	if err != nil {
		return nil, err
	}
	if _, ok := props["ManagedPolicyArns"]; ok {
		return nil, fmt.Errorf("role %s has ManagedPolicyArns, which this evaluator cannot read", role)
	}
	var raw []any
	inline, _ := props["Policies"].([]any)
	for _, p := range inline {
		if m, ok := p.(map[string]any); ok {
			raw = append(raw, m["PolicyDocument"])
		}
	}
	ref := "ref:" + role
	for _, typ := range []string{"AWS::IAM::RolePolicy", "AWS::IAM::Policy"} {
		for _, id := range tmpl.ResourceIDs(typ) {
			props, err := properties(stack, id)
			if err != nil {
				return nil, err
			}
			if props == nil {
				continue
			}
			roles, _ := props["Roles"].([]any)
			if props["RoleName"] == ref || slices.Contains(roles, any(ref)) {
				raw = append(raw, props["PolicyDocument"])
			}
		}
	}
	// A managed policy that is not attached (the roles' permissions boundary) grants the provider nothing.
	var attached []string
	for _, id := range tmpl.ResourceIDs("AWS::IAM::ManagedPolicy") {
		props, err := properties(stack, id)
		if err != nil {
			return nil, err
		}
		if roles, _ := props["Roles"].([]any); slices.Contains(roles, any(ref)) {
			attached = append(attached, id)
		}
	}
	if _, ok := props["ManagedPolicyArns"]; ok || len(attached) > 0 {
		return nil, fmt.Errorf("managed policies %v cannot be evaluated here", attached)
	}
	var docs []iamdoc.Document
	for _, r := range raw {
		b, err := json.Marshal(r)
		if err != nil {
			return nil, err
		}
		d, err := iamdoc.Parse(string(b))
		if err != nil {
			return nil, fmt.Errorf("policy of %s: %w", role, err)
		}
		docs = append(docs, d)
	}
	return docs, nil
}
