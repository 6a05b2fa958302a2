package provider

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"

	"github.com/gtrole/groundtruth-execution-role/internal/cfntemplate"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
)

// Templates are read and resolved by internal/cfntemplate, the one CloudFormation evaluator of the tests, with sample
// values unlike any literal a template could hard-code: a value that should come from AWS::Partition, AWS::Region or
// AWS::AccountId and does not shows up as a difference.
const (
	samplePartition = "aws-cn"
	sampleRegion    = "cn-northwest-1"
	sampleAccount   = "111122223333"
	sampleFunction  = "gt-provider"
	sampleRoleName  = "gt-provider-role"
)

// Sample ARNs of the provider's function and role.
var (
	sampleFunctionArn = fmt.Sprintf("arn:%s:lambda:%s:%s:function:%s", samplePartition, sampleRegion, sampleAccount, sampleFunction)
	sampleRoleArn     = fmt.Sprintf("arn:%s:iam::%s:role/%s", samplePartition, sampleAccount, sampleRoleName)
	// sampleBoundaryArn answers Ref of a managed policy (the default permissions boundary): its ARN.
	sampleBoundaryArn = fmt.Sprintf("arn:%s:iam::%s:policy/gt-provider-boundary", samplePartition, sampleAccount)
)

// cdkTemplate parses a synthesized stack with cfntemplate. The default synthesizer's BootstrapVersion parameter is an
// SSM parameter only its Rules section reads; it is dropped, as nothing in the stack refers to it.
func cdkTemplate(t *testing.T, tpl assertions.Template) *cfntemplate.Template {
	t.Helper()
	m := *tpl.ToJSON()
	if params, ok := m["Parameters"].(map[string]any); ok {
		delete(params, "BootstrapVersion")
	}
	if rules, ok := m["Rules"].(map[string]any); ok {
		delete(rules, "CheckBootstrapVersion") // its rule, which reads the SSM parameter, goes with it
	}
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatalf("marshal template: %v", err)
	}
	out, err := cfntemplate.Parse(raw)
	if err != nil {
		t.Fatalf("parse synthesized template: %v", err)
	}
	return out
}

// sampleStack binds tmpl to the sample values: a function's Ref is its sample name and Arn its sample ARN, the role's
// likewise, and a log group's Ref is its LogGroupName, as CloudFormation answers them.
func sampleStack(t *testing.T, tmpl *cfntemplate.Template, params map[string]string) *cfntemplate.Stack {
	t.Helper()
	var st *cfntemplate.Stack
	ctx := cfntemplate.Context{
		Parameters: params,
		Partition:  samplePartition,
		Region:     sampleRegion,
		AccountID:  sampleAccount,
		StackName:  "gt-provider-stack",
		Ref: func(id string) (string, error) {
			typ, err := tmpl.ResourceType(id)
			if err != nil {
				return "", err
			}
			switch typ {
			case "AWS::Lambda::Function":
				return sampleFunction, nil
			case "AWS::IAM::Role":
				return sampleRoleName, nil
			case "AWS::IAM::ManagedPolicy":
				return sampleBoundaryArn, nil
			case "AWS::Logs::LogGroup":
				p, err := st.ResourceProperties(id)
				if err != nil {
					return "", err
				}
				name, ok := p["LogGroupName"].(string)
				if !ok {
					return "", fmt.Errorf("log group %s has no LogGroupName", id)
				}
				return name, nil
			}
			return "", fmt.Errorf("no sample Ref for %s (%s)", id, typ)
		},
		GetAtt: func(id, attr string) (any, error) {
			typ, err := tmpl.ResourceType(id)
			if err != nil {
				return nil, err
			}
			switch {
			case typ == "AWS::Lambda::Function" && attr == "Arn":
				return sampleFunctionArn, nil
			case typ == "AWS::IAM::Role" && attr == "Arn":
				return sampleRoleArn, nil
			}
			return nil, fmt.Errorf("no sample value for %s.%s (%s)", id, attr, typ)
		},
	}
	st, err := tmpl.Bind(ctx)
	if err != nil {
		t.Fatalf("bind template: %v", err)
	}
	return st
}

// onlyResource returns the logical id of the single resource of type typ.
func onlyResource(t *testing.T, tmpl *cfntemplate.Template, typ string) string {
	t.Helper()
	ids := tmpl.ResourceIDs(typ)
	if len(ids) != 1 {
		t.Fatalf("want exactly one %s, got %v", typ, ids)
	}
	return ids[0]
}

// resolved returns the resource's Properties with every intrinsic function resolved.
func resolved(t *testing.T, st *cfntemplate.Stack, id string) map[string]any {
	t.Helper()
	p, err := st.ResourceProperties(id)
	if err != nil {
		t.Fatalf("resolve %s: %v", id, err)
	}
	return p
}

// documentOf reads a resolved policy document into the policy model; its strict decoder refuses anything the model
// does not hold (NotAction, NotResource, NotPrincipal).
func documentOf(t *testing.T, v any) iamdoc.Document {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal policy document: %v", err)
	}
	d, err := iamdoc.Parse(string(raw))
	if err != nil {
		t.Fatalf("%v in %s", err, raw)
	}
	if d.Version != "2012-10-17" {
		t.Errorf("policy Version = %q, want 2012-10-17", d.Version)
	}
	return d
}

// diffDocuments fails t unless got and want grant the same (iamdoc.Equivalent), naming each differing statement.
func diffDocuments(t *testing.T, got, want iamdoc.Document) {
	t.Helper()
	if iamdoc.Equivalent(got, want) {
		return
	}
	bySid := func(d iamdoc.Document) map[string]string {
		out := map[string]string{}
		for _, s := range d.Canonical().Statement {
			out[s.Sid] += iamdoc.Document{Statement: []iamdoc.Statement{s}}.String()
		}
		return out
	}
	g, w := bySid(got), bySid(want)
	sids := map[string]bool{}
	for sid := range g {
		sids[sid] = true
	}
	for sid := range w {
		sids[sid] = true
	}
	for _, sid := range slices.Sorted(maps.Keys(sids)) {
		if g[sid] != w[sid] {
			t.Errorf("statement %q:\n got  %s\n want %s", sid, g[sid], w[sid])
		}
	}
	if len(got.Statement) != len(want.Statement) {
		t.Errorf("got %d statements, want %d", len(got.Statement), len(want.Statement))
	}
}

// rawValue returns the value at path in the synthesized template as CDK wrote it, intrinsic functions unresolved.
func rawValue(tpl assertions.Template, path ...string) any {
	var v any = *tpl.ToJSON()
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// sameJSON reports whether v holds the value of the JSON text want.
func sameJSON(t *testing.T, v any, want string) bool {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("decode %s: %v", want, err)
	}
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %v: %v", v, err)
	}
	var got any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return reflect.DeepEqual(got, w)
}
