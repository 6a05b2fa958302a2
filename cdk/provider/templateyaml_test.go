package provider

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/aws/jsii-runtime-go"

	"github.com/gtrole/groundtruth-execution-role/cdk/internal/cdktest"
	"github.com/gtrole/groundtruth-execution-role/internal/cfntemplate"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
)

// The hand-written templates/provider.yaml and this package implement the same fence. This test
// evaluates both with the same sample values and compares the provider role's statements and the
// function's settings.

// providerSettings is one configuration of the provider, as YAML parameters and as CDK props.
type providerSettings struct {
	name      string
	prefix    string   // "" = default
	allowed   []string // nil = default
	boundary  string   // "created": provider.yaml's CreatePermissionsBoundary, the CDK default; "" none
	driftOff  bool     // the drift audit turned off
	wantAllow string   // resolved ALLOWED_MANAGED_POLICY_ARNS
}

// yamlParams renders the settings as the parameters of templates/provider.yaml, as CloudFormation receives them.
func (s providerSettings) yamlParams() map[string]string {
	prefix := s.prefix
	if prefix == "" {
		prefix = DefaultRolePathPrefix
	}
	schedule := DefaultDriftAuditSchedule
	if s.driftOff {
		schedule = ""
	}
	given, create := s.boundary, "false"
	if s.boundary == "created" {
		given, create = "", "true"
	}
	return map[string]string{
		"DriftAuditSchedule":          schedule,
		"RolePathPrefix":              prefix,
		"AllowedManagedPolicyArns":    strings.Join(s.allowed, ","),
		"CreatePermissionsBoundary":   create,
		"RequiredPermissionsBoundary": given,
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
	switch s.boundary {
	case "created":
	case "":
		p.NoPermissionsBoundary = true
	default:
		p.RequiredPermissionsBoundary = jsii.String(s.boundary)
	}
	if s.driftOff {
		p.DriftAuditSchedule = jsii.String("")
	}
	return p
}

// providerFacts are the resolved values compared between the two templates.
type providerFacts struct {
	policy   iamdoc.Document // every statement granted to the provider role, inline or by a policy resource
	boundary iamdoc.Document // the created permissions boundary; no statements when there is none
	env      map[string]string
	function string // runtime, architectures, handler, memory and timeout
	drift    string // the drift audit's schedule, invoke permission and alarm; "" when there is none
}

// factsOf resolves the provider role's statements (inline or attached by a policy resource) and the
// function's settings.
func factsOf(t *testing.T, tmpl *cfntemplate.Template, st *cfntemplate.Stack) providerFacts {
	t.Helper()
	roleID := onlyResource(t, tmpl, "AWS::IAM::Role")
	role := resolved(t, st, roleID)
	var docs []any
	if inline, ok := role["Policies"].([]any); ok {
		for _, p := range inline {
			docs = append(docs, p.(map[string]any)["PolicyDocument"])
		}
	}
	for _, typ := range []string{"AWS::IAM::RolePolicy", "AWS::IAM::Policy"} {
		for _, id := range tmpl.ResourceIDs(typ) {
			docs = append(docs, resolved(t, st, id)["PolicyDocument"])
		}
	}
	// The only managed policy may be the roles' boundary, attached to nothing.
	var boundaries []string
	for _, id := range tmpl.ResourceIDs("AWS::IAM::ManagedPolicy") {
		p, err := st.ResourceProperties(id)
		if err != nil {
			continue // left out by its condition
		}
		if p["Roles"] != nil || p["Users"] != nil || p["Groups"] != nil {
			t.Errorf("%s: the provider must have no managed policies", id)
		}
		boundaries = append(boundaries, id)
	}
	if _, ok := role["ManagedPolicyArns"]; ok {
		t.Errorf("role %s has ManagedPolicyArns", roleID)
	}

	facts := providerFacts{policy: iamdoc.Document{Version: "2012-10-17"}}
	switch len(boundaries) {
	case 0:
	case 1:
		facts.boundary = documentOf(t, resolved(t, st, boundaries[0])["PolicyDocument"])
	default:
		t.Errorf("managed policies %v, want at most the one boundary", boundaries)
	}
	for _, d := range docs {
		facts.policy.Statement = append(facts.policy.Statement, documentOf(t, d).Statement...)
	}

	props := resolved(t, st, onlyResource(t, tmpl, "AWS::Lambda::Function"))
	facts.function = fmt.Sprintf("runtime=%v arch=%v handler=%v memory=%v timeout=%v",
		props["Runtime"], props["Architectures"], props["Handler"], props["MemorySize"], props["Timeout"])
	facts.drift = driftFactsOf(t, tmpl, st)
	facts.env = map[string]string{}
	if env, ok := props["Environment"].(map[string]any); ok {
		for k, v := range env["Variables"].(map[string]any) {
			facts.env[k] = fmt.Sprint(v)
		}
	}
	return facts
}

// driftFactsOf renders the schedule rule, the Lambda permission for EventBridge and the alarm on DriftedRoles.
func driftFactsOf(t *testing.T, tmpl *cfntemplate.Template, st *cfntemplate.Stack) string {
	t.Helper()
	var out []string
	for _, id := range tmpl.ResourceIDs("AWS::Events::Rule") {
		r, err := st.ResourceProperties(id)
		if err != nil {
			continue // left out by its condition
		}
		targets, _ := r["Targets"].([]any)
		out = append(out, fmt.Sprintf("rule schedule=%v state=%v targets=%d", r["ScheduleExpression"], r["State"], len(targets)))
	}
	for _, id := range tmpl.ResourceIDs("AWS::Lambda::Permission") {
		if p, err := st.ResourceProperties(id); err == nil {
			out = append(out, fmt.Sprintf("permission %v %v", p["Action"], p["Principal"]))
		}
	}
	for _, id := range tmpl.ResourceIDs("AWS::CloudWatch::Alarm") {
		a, err := st.ResourceProperties(id)
		if err != nil {
			continue
		}
		dims, _ := a["Dimensions"].([]any)
		var names []string
		for _, d := range dims {
			names = append(names, fmt.Sprint(d.(map[string]any)["Name"]))
		}
		out = append(out, fmt.Sprintf("alarm %v/%v dims=%v %v period=%v threshold=%v %v periods=%v missing=%v",
			a["Namespace"], a["MetricName"], names, a["Statistic"], a["Period"], a["Threshold"], a["ComparisonOperator"],
			a["EvaluationPeriods"], a["TreatMissingData"]))
	}
	slices.Sort(out)
	return strings.Join(out, "; ")
}

func TestYAMLProviderTemplateMatchesCDK(t *testing.T) {
	yamlTmpl, err := cfntemplate.LoadFile("../../templates/provider.yaml")
	if err != nil {
		t.Fatal(err)
	}
	gtPolicy := "arn:" + samplePartition + ":iam::aws:policy/AmazonSageMakerGroundTruthExecution"
	cases := []providerSettings{
		{name: "no boundary", wantAllow: gtPolicy},
		{name: "created boundary", boundary: "created", wantAllow: gtPolicy},
		{name: "required boundary", boundary: "arn:aws:iam::123456789012:policy/gt-boundary", wantAllow: gtPolicy},
		{name: "drift audit off", driftOff: true, wantAllow: gtPolicy},
		{name: "custom prefix and allow-list", prefix: "/labeling/team-a/",
			allowed:   []string{gtPolicy, "arn:aws:iam::123456789012:policy/extra"},
			wantAllow: gtPolicy + ",arn:aws:iam::123456789012:policy/extra"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fromYAML := factsOf(t, yamlTmpl, sampleStack(t, yamlTmpl, tc.yamlParams()))
			cdkTmpl := cdkTemplate(t, synthStackWithContext(t, tc.cdkProps(), cdktest.ProjectConfig(t).Context))
			fromCDK := factsOf(t, cdkTmpl, sampleStack(t, cdkTmpl, nil))

			if len(fromCDK.policy.Statement) < 5 {
				t.Fatalf("CDK provider has only %d statements: the comparison would prove nothing", len(fromCDK.policy.Statement))
			}
			diffDocuments(t, fromYAML.policy, fromCDK.policy)
			diffDocuments(t, fromYAML.boundary, fromCDK.boundary)
			if (len(fromCDK.boundary.Statement) == 0) != (tc.boundary != "created") {
				t.Errorf("created boundary has %d statements", len(fromCDK.boundary.Statement))
			}
			if fromYAML.drift != fromCDK.drift || (fromCDK.drift == "") != tc.driftOff {
				t.Errorf("drift audit:\nyaml %s\ncdk  %s", fromYAML.drift, fromCDK.drift)
			}
			if fromYAML.function != fromCDK.function {
				t.Errorf("function settings: yaml %s, cdk %s", fromYAML.function, fromCDK.function)
			}
			if got := fromCDK.env[EnvAllowedManagedPolicyArns]; got != tc.wantAllow {
				t.Errorf("CDK %s = %q, want %q", EnvAllowedManagedPolicyArns, got, tc.wantAllow)
			}
			for _, k := range slices.Sorted(maps.Keys(fromCDK.env)) {
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
