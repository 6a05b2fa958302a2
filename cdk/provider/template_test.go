package provider

import (
	"encoding/json"
	"reflect"
	"sort"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"

	"github.com/gtrole/groundtruth-execution-role/lambda/policy"
)

// cfnTemplate is the part of a template the tests read.
type cfnTemplate struct {
	Resources map[string]cfnResource `json:"Resources"`
	Outputs   map[string]cfnOutput   `json:"Outputs"`
}

// cfnResource is one resource, its properties left raw for the typed decoders below.
type cfnResource struct {
	Type       string          `json:"Type"`
	Properties json.RawMessage `json:"Properties"`
	DependsOn  json.RawMessage `json:"DependsOn"`
}

// cfnOutput is one template output.
type cfnOutput struct {
	Value  json.RawMessage `json:"Value"`
	Export *struct {
		Name json.RawMessage `json:"Name"`
	} `json:"Export"`
}

// iamRole holds the properties of an AWS::IAM::Role the tests check.
type iamRole struct {
	AssumeRolePolicyDocument policyDocument  `json:"AssumeRolePolicyDocument"`
	ManagedPolicyArns        json.RawMessage `json:"ManagedPolicyArns"`
	PermissionsBoundary      json.RawMessage `json:"PermissionsBoundary"`
	Policies                 []struct {
		PolicyName     string          `json:"PolicyName"`
		PolicyDocument json.RawMessage `json:"PolicyDocument"`
	} `json:"Policies"`
}

// policyDocument is an IAM policy document with intrinsic values kept raw.
type policyDocument struct {
	Version   string            `json:"Version"`
	Statement []policyStatement `json:"Statement"`
}

// policyStatement is one statement; Action and Resource may be a string or a list.
type policyStatement struct {
	Sid       string          `json:"Sid"`
	Effect    string          `json:"Effect"`
	Principal json.RawMessage `json:"Principal"`
	Action    policy.Strings  `json:"Action"`
	Resource  json.RawMessage `json:"Resource"`
	Condition json.RawMessage `json:"Condition"`
}

// decodeTemplate turns an assertions.Template into its typed form.
func decodeTemplate(t *testing.T, tpl assertions.Template) cfnTemplate {
	t.Helper()
	raw, err := json.Marshal(tpl.ToJSON())
	if err != nil {
		t.Fatalf("marshal template: %v", err)
	}
	var out cfnTemplate
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("decode template: %v", err)
	}
	return out
}

// onlyResource returns the logical id and resource of the single resource of type typ.
func onlyResource(t *testing.T, tpl cfnTemplate, typ string) (string, cfnResource) {
	t.Helper()
	var ids []string
	for id, r := range tpl.Resources {
		if r.Type == typ {
			ids = append(ids, id)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("want exactly one %s, got %v", typ, ids)
	}
	return ids[0], tpl.Resources[ids[0]]
}

// decodeProps decodes a resource's properties into out.
func decodeProps(t *testing.T, r cfnResource, out any) {
	t.Helper()
	if err := json.Unmarshal(r.Properties, out); err != nil {
		t.Fatalf("decode %s properties: %v", r.Type, err)
	}
}

// jsonEqual reports whether two JSON texts hold the same value, ignoring formatting and key order.
func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		t.Fatalf("decode %s: %v", a, err)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return reflect.DeepEqual(va, vb)
}

// sortedCopy returns s sorted, leaving s untouched.
func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}
