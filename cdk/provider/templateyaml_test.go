package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"gopkg.in/yaml.v3"

	"github.com/gtrole/groundtruth-execution-role/cdk/internal/cdktest"
)

// The hand-written templates/provider.yaml and this package implement the same fence. This test
// evaluates both with the same sample values and compares the provider role's statements and the
// function's settings.

// Sample values both templates are evaluated with.
const (
	samplePartition = "aws"
	sampleRegion    = "us-east-1"
	sampleAccount   = "123456789012"
	sampleFunction  = "gt-provider"
	sampleLogGroup  = "/aws/lambda/" + sampleFunction
	sampleRoleName  = "gt-provider-role"
)

// sampleFunctionArn is the sample ARN of the provider function.
var sampleFunctionArn = fmt.Sprintf("arn:%s:lambda:%s:%s:function:%s", samplePartition, sampleRegion, sampleAccount, sampleFunction)

// providerSettings is one configuration of the provider, as YAML parameters and as CDK props.
type providerSettings struct {
	name      string
	prefix    string   // "" = default
	allowed   []string // nil = default
	boundary  string
	wantAllow string // resolved ALLOWED_MANAGED_POLICY_ARNS
}

// yamlParams renders the settings as the parameters of templates/provider.yaml.
func (s providerSettings) yamlParams() map[string]any {
	prefix := s.prefix
	if prefix == "" {
		prefix = DefaultRolePathPrefix
	}
	allowed := []any{""} // CloudFormation's value of an empty CommaDelimitedList
	if s.allowed != nil {
		allowed = []any{}
		for _, a := range s.allowed {
			allowed = append(allowed, a)
		}
	}
	return map[string]any{
		"RolePathPrefix":              prefix,
		"AllowedManagedPolicyArns":    allowed,
		"RequiredPermissionsBoundary": s.boundary,
		"CodeBucket":                  "code-bucket",
		"CodeKey":                     "bootstrap.zip",
		"LogRetentionInDays":          "365",
	}
}

// cdkProps renders the settings as Props.
func (s providerSettings) cdkProps() Props {
	p := Props{FunctionName: jsii.String(sampleFunction)}
	if s.prefix != "" {
		p.RolePathPrefix = jsii.String(s.prefix)
	}
	if s.allowed != nil {
		p.AllowedManagedPolicyArns = jsii.Strings(s.allowed...)
	}
	if s.boundary != "" {
		p.RequiredPermissionsBoundary = jsii.String(s.boundary)
	}
	return p
}

// templateDoc is a whole template in the JSON value model.
type templateDoc struct {
	Conditions map[string]any         `json:"Conditions"`
	Resources  map[string]templateRes `json:"Resources"`
}

// templateRes is one resource in the JSON value model.
type templateRes struct {
	Type       string         `json:"Type"`
	Properties map[string]any `json:"Properties"`
}

// newEvaluator prepares an evaluator over doc: Refs to resources resolve to sample names.
func newEvaluator(doc templateDoc, params map[string]any) *evaluator {
	refs := map[string]any{
		"AWS::Partition": samplePartition, "AWS::Region": sampleRegion, "AWS::AccountId": sampleAccount,
		"AWS::StackName": "gt-provider-stack", "AWS::URLSuffix": "amazonaws.com",
	}
	for k, v := range params {
		refs[k] = v
	}
	attrs := map[string]any{}
	for id, r := range doc.Resources {
		switch r.Type {
		case "AWS::Lambda::Function":
			refs[id] = sampleFunction
			attrs[id+".Arn"] = sampleFunctionArn
		case "AWS::IAM::Role":
			refs[id] = sampleRoleName
			attrs[id+".Arn"] = fmt.Sprintf("arn:%s:iam::%s:role/%s", samplePartition, sampleAccount, sampleRoleName)
		}
	}
	e := &evaluator{refs: refs, attrs: attrs, conditions: doc.Conditions}
	e.refOf = func(id string) (any, bool) {
		r, ok := doc.Resources[id]
		if ok && r.Type == "AWS::Logs::LogGroup" {
			return r.Properties["LogGroupName"], true // a log group's Ref is its name
		}
		return nil, false
	}
	return e
}

// providerFacts are the resolved values compared between the two templates.
type providerFacts struct {
	statements []canonStatement
	env        map[string]string
	function   string // runtime, architectures, handler, memory and timeout
}

// factsOf resolves the provider role's statements (inline or attached by a policy resource) and the
// function's settings.
func factsOf(t *testing.T, doc templateDoc, e *evaluator) providerFacts {
	t.Helper()
	var roles []string
	for _, id := range sortedKeys(doc.Resources) {
		if doc.Resources[id].Type == "AWS::IAM::Role" {
			roles = append(roles, id)
		}
	}
	if len(roles) != 1 {
		t.Fatalf("want one IAM role, got %v", roles)
	}
	var docs []any
	role := doc.Resources[roles[0]]
	if inline, ok := role.Properties["Policies"].([]any); ok {
		for _, p := range inline {
			docs = append(docs, p.(map[string]any)["PolicyDocument"])
		}
	}
	for _, id := range sortedKeys(doc.Resources) {
		switch doc.Resources[id].Type {
		case "AWS::IAM::RolePolicy", "AWS::IAM::Policy":
			docs = append(docs, doc.Resources[id].Properties["PolicyDocument"])
		case "AWS::IAM::ManagedPolicy":
			t.Errorf("%s: the provider must have no managed policies", id)
		}
	}
	if _, ok := role.Properties["ManagedPolicyArns"]; ok {
		t.Errorf("role %s has ManagedPolicyArns", roles[0])
	}

	var facts providerFacts
	for _, d := range docs {
		resolved, err := e.resolve(d)
		if err != nil {
			t.Fatalf("resolve policy document: %v", err)
		}
		raw, err := json.Marshal(resolved)
		if err != nil {
			t.Fatalf("marshal policy document: %v", err)
		}
		facts.statements = append(facts.statements, canonicalStatements(t, raw)...)
	}
	sortStatements(facts.statements)

	var fnID string
	for id, r := range doc.Resources {
		if r.Type == "AWS::Lambda::Function" {
			fnID = id
		}
	}
	fn, err := e.resolve(doc.Resources[fnID].Properties)
	if err != nil {
		t.Fatalf("resolve function: %v", err)
	}
	props := fn.(map[string]any)
	facts.function = fmt.Sprintf("runtime=%v arch=%v handler=%v memory=%v timeout=%v",
		props["Runtime"], props["Architectures"], props["Handler"], props["MemorySize"], props["Timeout"])
	facts.env = map[string]string{}
	if env, ok := props["Environment"].(map[string]any); ok {
		for k, v := range env["Variables"].(map[string]any) {
			facts.env[k] = fmt.Sprint(v)
		}
	}
	return facts
}

// loadYAMLTemplate parses templates/provider.yaml with its short tags.
func loadYAMLTemplate(t *testing.T) templateDoc {
	t.Helper()
	raw, err := os.ReadFile("../../templates/provider.yaml")
	if err != nil {
		t.Fatalf("read templates/provider.yaml: %v", err)
	}
	var node yaml.Node
	if err := yaml.Unmarshal(raw, &node); err != nil {
		t.Fatalf("parse templates/provider.yaml: %v", err)
	}
	v, err := fromYAML(&node)
	if err != nil {
		t.Fatalf("convert templates/provider.yaml: %v", err)
	}
	return toTemplateDoc(t, v)
}

// toTemplateDoc re-decodes a JSON value model into templateDoc.
func toTemplateDoc(t *testing.T, v any) templateDoc {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal template: %v", err)
	}
	var doc templateDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("decode template: %v", err)
	}
	return doc
}

func TestYAMLProviderTemplateMatchesCDK(t *testing.T) {
	yamlDoc := loadYAMLTemplate(t)
	const gtPolicy = "arn:aws:iam::aws:policy/AmazonSageMakerGroundTruthExecution"
	cases := []providerSettings{
		{name: "defaults", wantAllow: gtPolicy},
		{name: "required boundary", boundary: "arn:aws:iam::123456789012:policy/gt-boundary", wantAllow: gtPolicy},
		{name: "custom prefix and allow-list", prefix: "/labeling/team-a/",
			allowed:   []string{gtPolicy, "arn:aws:iam::123456789012:policy/extra"},
			wantAllow: gtPolicy + ",arn:aws:iam::123456789012:policy/extra"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fromYAML := factsOf(t, yamlDoc, newEvaluator(yamlDoc, tc.yamlParams()))
			cdkDoc := toTemplateDoc(t, synthStackWithContext(t, tc.cdkProps(), cdktest.ProjectConfig(t).Context).ToJSON())
			fromCDK := factsOf(t, cdkDoc, newEvaluator(cdkDoc, nil))

			if len(fromCDK.statements) < 5 {
				t.Fatalf("CDK provider has only %d statements: the comparison would prove nothing", len(fromCDK.statements))
			}
			diffStatements(t, fromYAML.statements, fromCDK.statements)
			if fromYAML.function != fromCDK.function {
				t.Errorf("function settings: yaml %s, cdk %s", fromYAML.function, fromCDK.function)
			}
			if got := fromCDK.env[EnvAllowedManagedPolicyArns]; got != tc.wantAllow {
				t.Errorf("CDK %s = %q, want %q", EnvAllowedManagedPolicyArns, got, tc.wantAllow)
			}
			for _, k := range sortedKeys(fromCDK.env) {
				if fromYAML.env[k] != fromCDK.env[k] {
					t.Errorf("env %s: yaml %q, cdk %q", k, fromYAML.env[k], fromCDK.env[k])
				}
			}
			if len(fromYAML.env) != len(fromCDK.env) {
				t.Errorf("env: yaml %v, cdk %v", fromYAML.env, fromCDK.env)
			}
		})
	}
}
