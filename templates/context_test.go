package templates

import (
	"errors"
	"fmt"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/internal/cfntemplate"
)

const (
	testAccount  = "123456789012"
	testRegion   = "us-east-1"
	testStack    = "gt-roles"
	providerArn  = "arn:aws:lambda:us-east-1:123456789012:function:GroundTruthRoleProvider-ProviderFunction-abc"
	otherArn     = "arn:aws:lambda:us-east-1:123456789012:function:other-provider"
	roleArn      = "arn:aws:iam::123456789012:role/groundtruth/gt-roles-ExecutionRole-abc"
	roleName     = "gt-roles-ExecutionRole-abc"
	resourceType = "Custom::GroundTruthExecutionRole"
)

// exports stands in for the account's CloudFormation exports.
var exports = map[string]string{
	"GroundTruthRoleProvider-ServiceToken":        providerArn,
	"GroundTruthRoleProvider-PermissionsBoundary": boundary,
	"other-provider-ServiceToken":                 otherArn,
}

// testContext binds params with fixed pseudo parameters, the exports above and the role's attributes.
func testContext(params map[string]string) cfntemplate.Context {
	return cfntemplate.Context{
		Parameters: params,
		Partition:  "aws",
		Region:     testRegion,
		AccountID:  testAccount,
		StackName:  testStack,
		StackID:    "arn:aws:cloudformation:us-east-1:123456789012:stack/gt-roles/0f0e0d0c-1111-2222-3333-444455556666",
		ImportValue: func(name string) (string, error) {
			if v, ok := exports[name]; ok {
				return v, nil
			}
			return "", fmt.Errorf("no export named %s", name)
		},
		GetAtt: func(id, attr string) (any, error) {
			switch attr {
			case "Arn":
				return roleArn, nil
			case "RoleName":
				return roleName, nil
			}
			return nil, fmt.Errorf("%s has no attribute %s", id, attr)
		},
	}
}

// bind loads a template of this directory and binds params.
func bind(t *testing.T, file string, params map[string]string) (*cfntemplate.Template, *cfntemplate.Stack, error) {
	t.Helper()
	tmpl, err := cfntemplate.LoadFile(file)
	if err != nil {
		t.Fatalf("load %s: %v", file, err)
	}
	stack, err := tmpl.Bind(testContext(params))
	return tmpl, stack, err
}

// parameterErrorNames returns the names of every *cfntemplate.ParameterError joined in err, in order.
func parameterErrorNames(err error) []string {
	if pe, ok := err.(*cfntemplate.ParameterError); ok {
		return []string{pe.Name}
	}
	var names []string
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		for _, inner := range u.Unwrap() {
			names = append(names, parameterErrorNames(inner)...)
		}
	case interface{ Unwrap() error }:
		names = append(names, parameterErrorNames(u.Unwrap())...)
	}
	return names
}

func TestParameterErrorNames(t *testing.T) {
	err := fmt.Errorf("bind: %w", errors.Join(
		&cfntemplate.ParameterError{Name: "A"}, errors.New("other"), &cfntemplate.ParameterError{Name: "B"}))
	if got := parameterErrorNames(err); len(got) != 2 || got[0] != "A" || got[1] != "B" {
		t.Fatalf("parameterErrorNames = %v, want [A B]", got)
	}
}

func loadProvider(t *testing.T) (*cfntemplate.Template, error) {
	t.Helper()
	return cfntemplate.LoadFile("provider.yaml")
}

// bindProvider binds provider.yaml to params.
func bindProvider(t *testing.T, params map[string]string) *cfntemplate.Stack {
	t.Helper()
	tmpl, err := loadProvider(t)
	if err != nil {
		t.Fatal(err)
	}
	stack, err := tmpl.Bind(providerContext(params))
	if err != nil {
		t.Fatalf("bind: %v", err)
	}
	return stack
}

// resourceProperties returns a bound resource's resolved properties.
func resourceProperties(t *testing.T, stack *cfntemplate.Stack, logicalID string) map[string]any {
	t.Helper()
	props, err := stack.ResourceProperties(logicalID)
	if err != nil {
		t.Fatalf("%s: %v", logicalID, err)
	}
	return props
}

// providerContext answers the provider template's resource references with recognisable placeholders.
func providerContext(params map[string]string) cfntemplate.Context {
	ctx := testContext(params)
	ctx.Ref = func(id string) (string, error) {
		if id == "ProviderFunction" {
			return functionPhyID, nil
		}
		if id == "ProviderLogGroup" {
			return logGroupName, nil
		}
		return id + "-physical", nil
	}
	ctx.GetAtt = func(id, attr string) (any, error) { return id + "." + attr, nil }
	return ctx
}
