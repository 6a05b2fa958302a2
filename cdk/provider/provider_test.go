package provider

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/jsii-runtime-go"

	"github.com/gtrole/groundtruth-execution-role/cdk/internal/cdktest"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
)

// expectedFence writes down the contract of fence.md, independently of fence.go, for a stack resolved with the
// sample partition, region and account.
func expectedFence(prefix, boundary string, allowed []string, logGroup string, driftAudit bool) iamdoc.Document {
	iamArn := "arn:" + samplePartition + ":iam::" + sampleAccount + ":"
	roles := iamArn + "role" + prefix + "*"
	profiles := iamArn + "instance-profile" + prefix + "*"
	logGroupArn := "arn:" + samplePartition + ":logs:" + sampleRegion + ":" + sampleAccount + ":log-group:" + logGroup

	write := []string{"iam:DeleteRole", "iam:PutRolePolicy", "iam:TagRole", "iam:UntagRole",
		"iam:UpdateAssumeRolePolicy", "iam:UpdateRole"}
	if boundary == "" {
		write = append(write, "iam:CreateRole", "iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary")
	}
	allow := func(sid string, actions, resources []string, cond iamdoc.Condition) iamdoc.Statement {
		return iamdoc.Statement{Sid: sid, Effect: iamdoc.Allow, Action: actions, Resource: resources, Condition: cond}
	}
	d := iamdoc.Document{Version: "2012-10-17", Statement: []iamdoc.Statement{
		allow("AttachAllowedManagedPolicies", []string{"iam:AttachRolePolicy"}, []string{roles},
			iamdoc.Condition{"ArnEquals": {"iam:PolicyARN": allowed}}),
		allow("RemoveGrantsFromGroundTruthRoles", []string{"iam:DeleteRolePolicy", "iam:DetachRolePolicy"}, []string{roles}, nil),
		allow("ReadGroundTruthRoles", []string{"iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies",
			"iam:ListInstanceProfilesForRole", "iam:ListRolePolicies", "iam:ListRoleTags"}, []string{roles}, nil),
		allow("RemoveFromGroundTruthInstanceProfiles", []string{"iam:RemoveRoleFromInstanceProfile"}, []string{profiles}, nil),
		allow("WriteGroundTruthRoles", write, []string{roles}, nil),
		allow("WriteOwnLogs", []string{"logs:CreateLogStream", "logs:PutLogEvents"},
			[]string{logGroupArn, logGroupArn + ":log-stream:*"}, nil),
		allow("VerifyRequestsWithCloudFormation", []string{"cloudformation:DescribeStackResource", "cloudformation:DescribeStacks"},
			[]string{"arn:" + samplePartition + ":cloudformation:" + sampleRegion + ":" + sampleAccount + ":stack/*"}, nil),
	}}
	if boundary != "" {
		d.Statement = append(d.Statement, allow("CreateGroundTruthRolesWithBoundary",
			[]string{"iam:CreateRole", "iam:PutRolePermissionsBoundary"}, []string{roles},
			iamdoc.Condition{"StringEquals": {"iam:PermissionsBoundary": {boundary}}}))
	}
	if driftAudit {
		d.Statement = append(d.Statement, allow("ListRolesForDriftAudit", []string{"iam:GetAccountAuthorizationDetails", "iam:ListRoles"}, []string{"*"}, nil))
	}
	return d
}

func TestProviderRolePolicyIsExactlyTheFence(t *testing.T) {
	defaultAllowed := []string{"arn:" + samplePartition + ":iam::aws:policy/AmazonSageMakerGroundTruthExecution"}
	const boundary = "arn:aws:iam::123456789012:policy/gt-boundary"
	cases := []struct {
		name     string
		props    Props
		flags    bool
		prefix   string
		boundary string
		allowed  []string
		noDrift  bool // the drift audit is off: no iam:ListRoles, no iam:GetAccountAuthorizationDetails
	}{
		{name: "defaults: the created boundary", prefix: "/groundtruth/", boundary: sampleBoundaryArn, allowed: defaultAllowed},
		{name: "defaults with cdk.json flags", flags: true, prefix: "/groundtruth/", boundary: sampleBoundaryArn, allowed: defaultAllowed},
		{name: "no boundary (opted out)", props: Props{NoPermissionsBoundary: true}, prefix: "/groundtruth/", allowed: defaultAllowed},
		{name: "drift audit off", props: Props{DriftAuditSchedule: jsii.String("")}, prefix: "/groundtruth/",
			boundary: sampleBoundaryArn, allowed: defaultAllowed, noDrift: true},
		{name: "required boundary", props: Props{RequiredPermissionsBoundary: jsii.String(boundary)},
			prefix: "/groundtruth/", boundary: boundary, allowed: defaultAllowed},
		{name: "required boundary with cdk.json flags", flags: true,
			props:  Props{RequiredPermissionsBoundary: jsii.String(boundary)},
			prefix: "/groundtruth/", boundary: boundary, allowed: defaultAllowed},
		{name: "custom prefix and allow-list",
			props: Props{
				NoPermissionsBoundary: true,
				RolePathPrefix:        jsii.String("/labeling/team-a/"),
				AllowedManagedPolicyArns: jsii.Strings("arn:aws:iam::aws:policy/AmazonSageMakerGroundTruthExecution",
					"arn:aws:iam::123456789012:policy/extra"),
			},
			prefix:  "/labeling/team-a/",
			allowed: []string{"arn:aws:iam::123456789012:policy/extra", "arn:aws:iam::aws:policy/AmazonSageMakerGroundTruthExecution"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			props := tc.props
			props.FunctionName = jsii.String("gt-provider")
			var ctx map[string]interface{}
			if tc.flags {
				ctx = cdktest.ProjectConfig(t).Context
			}
			tmpl := cdkTemplate(t, synthStackWithContext(t, props, ctx))
			role := resolved(t, sampleStack(t, tmpl, nil), onlyResource(t, tmpl, "AWS::IAM::Role"))
			policies, _ := role["Policies"].([]any)
			if len(policies) != 1 || policies[0].(map[string]any)["PolicyName"] != InlinePolicyName {
				t.Fatalf("want exactly one inline policy %q, got %v", InlinePolicyName, policies)
			}
			got := documentOf(t, policies[0].(map[string]any)["PolicyDocument"])
			diffDocuments(t, got, expectedFence(tc.prefix, tc.boundary, tc.allowed, "/aws/lambda/gt-provider", !tc.noDrift))
		})
	}
}

func TestProviderGrantsNothingBroad(t *testing.T) {
	for _, boundary := range []string{"", "created", "arn:aws:iam::123456789012:policy/gt-boundary"} {
		t.Run("boundary="+boundary, func(t *testing.T) {
			props := Props{NoPermissionsBoundary: boundary == ""}
			if strings.HasPrefix(boundary, "arn:") {
				props.RequiredPermissionsBoundary = jsii.String(boundary)
			}
			tmpl := cdkTemplate(t, synthStackWithContext(t, props, cdktest.ProjectConfig(t).Context))
			for _, typ := range []string{"AWS::IAM::Policy", "AWS::IAM::RolePolicy", "AWS::IAM::User", "AWS::IAM::Group"} {
				for _, id := range tmpl.ResourceIDs(typ) {
					t.Errorf("%s: unexpected %s; the role's only permissions are its inline fence", id, typ)
				}
			}
			// The only managed policy is the created boundary, attached to nothing.
			managed := tmpl.ResourceIDs("AWS::IAM::ManagedPolicy")
			if want := map[bool]int{true: 1, false: 0}[boundary == "created"]; len(managed) != want {
				t.Errorf("managed policies %v, want %d", managed, want)
			}
			for _, id := range managed {
				p := resolved(t, sampleStack(t, tmpl, nil), id)
				for _, k := range []string{"Roles", "Users", "Groups"} {
					if p[k] != nil {
						t.Errorf("%s is attached to %s %v; a boundary grants nothing", id, k, p[k])
					}
				}
			}
			role := resolved(t, sampleStack(t, tmpl, nil), onlyResource(t, tmpl, "AWS::IAM::Role"))
			if arns, ok := role["ManagedPolicyArns"]; ok {
				t.Errorf("role has ManagedPolicyArns %v, want none", arns)
			}
			trust := documentOf(t, role["AssumeRolePolicyDocument"]).Statement
			if len(trust) != 1 || trust[0].Principal == nil || !slices.Equal(trust[0].Principal.Service, []string{"lambda.amazonaws.com"}) ||
				len(trust[0].Principal.AWS)+len(trust[0].Principal.Federated)+len(trust[0].Principal.CanonicalUser) != 0 ||
				!slices.Equal(trust[0].Action, []string{"sts:AssumeRole"}) {
				t.Errorf("trust policy = %+v, want only lambda.amazonaws.com sts:AssumeRole", trust)
			}
			policies, _ := role["Policies"].([]any)
			for _, p := range policies {
				// documentOf refuses NotAction and NotResource: every statement is a plain list of grants.
				for _, s := range documentOf(t, p.(map[string]any)["PolicyDocument"]).Statement {
					if s.Effect != iamdoc.Allow {
						t.Errorf("%s: want an Allow statement, got Effect %q", s.Sid, s.Effect)
					}
					for _, a := range s.Action {
						if strings.Contains(a, "*") {
							t.Errorf("%s: wildcard action %q", s.Sid, a)
						}
						if strings.EqualFold(a, "iam:PassRole") {
							t.Errorf("%s: grants iam:PassRole", s.Sid)
						}
					}
					// The one exception: the drift audit's bulk reads have no resource type, and it needs nothing else on *.
					if slices.Contains(s.Resource, "*") && !slices.Equal(s.Action, []string{"iam:GetAccountAuthorizationDetails", "iam:ListRoles"}) {
						t.Errorf("%s: %v on Resource *", s.Sid, s.Action)
					}
				}
			}
		})
	}
}

func TestProviderFunctionAndOutputs(t *testing.T) {
	cases := []struct {
		name      string
		props     Props
		env       map[string]string
		retention int
	}{
		{
			name:  "defaults",
			props: Props{FunctionName: jsii.String("gt-provider")},
			env: map[string]string{
				EnvRolePathPrefix:              "/groundtruth/",
				EnvAllowedManagedPolicyArns:    "arn:" + samplePartition + ":iam::aws:policy/AmazonSageMakerGroundTruthExecution",
				EnvRequiredPermissionsBoundary: sampleBoundaryArn,
				EnvAllowedResourceAccounts:     "",
			},
			retention: 365,
		},
		{
			name: "custom settings",
			props: Props{
				FunctionName:                jsii.String("gt-provider"),
				RolePathPrefix:              jsii.String("/labeling/"),
				AllowedManagedPolicyArns:    jsii.Strings("arn:aws:iam::aws:policy/A", "arn:aws:iam::123456789012:policy/B"),
				RequiredPermissionsBoundary: jsii.String("arn:aws:iam::123456789012:policy/boundary"),
				AllowedResourceAccounts:     jsii.Strings("444455556666", "777788889999"),
				LogRetention:                awslogs.RetentionDays_THREE_MONTHS,
			},
			env: map[string]string{
				EnvRolePathPrefix:              "/labeling/",
				EnvAllowedManagedPolicyArns:    "arn:aws:iam::aws:policy/A,arn:aws:iam::123456789012:policy/B",
				EnvRequiredPermissionsBoundary: "arn:aws:iam::123456789012:policy/boundary",
				EnvAllowedResourceAccounts:     "444455556666,777788889999",
			},
			retention: 90,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tpl := synthStackWithContext(t, tc.props, nil)
			tmpl := cdkTemplate(t, tpl)
			st := sampleStack(t, tmpl, nil)
			fnID := onlyResource(t, tmpl, "AWS::Lambda::Function")
			fn := resolved(t, st, fnID)
			if got := fmt.Sprint(fn["Runtime"], "/", fn["Handler"], "/", fn["MemorySize"], "/", fn["Timeout"]); got != "provided.al2023/bootstrap/128/300" {
				t.Errorf("function runtime/handler/memory/timeout = %s, want provided.al2023/bootstrap/128/300", got)
			}
			if got := fmt.Sprint(fn["Architectures"]); got != "[arm64]" {
				t.Errorf("architectures = %s, want [arm64]", got)
			}
			env := map[string]string{}
			if e, ok := fn["Environment"].(map[string]any); ok {
				for k, v := range e["Variables"].(map[string]any) {
					env[k] = fmt.Sprint(v)
				}
			}
			if !maps.Equal(env, tc.env) {
				t.Errorf("environment = %v, want exactly %v", env, tc.env)
			}
			roleID := onlyResource(t, tmpl, "AWS::IAM::Role")
			if r := rawValue(tpl, "Resources", fnID, "Properties", "Role"); !sameJSON(t, r, `{"Fn::GetAtt":["`+roleID+`","Arn"]}`) {
				t.Errorf("function role = %v, want the provider role %s", r, roleID)
			}
			if d := rawValue(tpl, "Resources", fnID, "DependsOn"); d != nil {
				t.Errorf("function DependsOn %v, want none (GetAtt orders it)", d)
			}

			lgID := onlyResource(t, tmpl, "AWS::Logs::LogGroup")
			lg := resolved(t, st, lgID)
			if lg["LogGroupName"] != "/aws/lambda/"+fmt.Sprint(fn["FunctionName"]) || fmt.Sprint(lg["RetentionInDays"]) != fmt.Sprint(tc.retention) {
				t.Errorf("log group = %v, want /aws/lambda/%v kept %d days", lg, fn["FunctionName"], tc.retention)
			}
			if g := rawValue(tpl, "Resources", fnID, "Properties", "LoggingConfig", "LogGroup"); !sameJSON(t, g, `{"Ref":"`+lgID+`"}`) {
				t.Errorf("function logs to %v, want its log group %s", g, lgID)
			}

			arn := `{"Fn::GetAtt":["` + fnID + `","Arn"]}`
			token, err := st.Output("ServiceToken")
			if err != nil {
				t.Fatal(err)
			}
			if token.ExportName != "TestProvider-ServiceToken" {
				t.Errorf("ServiceToken export = %q, want TestProvider-ServiceToken", token.ExportName)
			}
			tokenValue, fnArn := rawValue(tpl, "Outputs", "ServiceToken", "Value"), rawValue(tpl, "Outputs", "FunctionArn", "Value")
			if !sameJSON(t, tokenValue, arn) || !sameJSON(t, fnArn, arn) {
				t.Errorf("outputs ServiceToken=%v FunctionArn=%v, want the function ARN", tokenValue, fnArn)
			}
		})
	}
}

func TestProviderCodePathFromContext(t *testing.T) {
	app := awscdk.NewApp(&awscdk.AppProps{
		Outdir:  jsii.String(t.TempDir()),
		Context: &map[string]interface{}{CodePathContextKey: cdktest.PlaceholderZip(t, t.TempDir())},
	})
	stack := awscdk.NewStack(app, jsii.String("Ctx"), nil)
	p := NewProvider(stack, "Provider", nil)
	if p.ServiceToken() == nil || p.Role() == nil || p.LogGroup() == nil {
		t.Fatal("provider accessors returned nil")
	}
}

func TestProviderRejectsBadProps(t *testing.T) {
	zip := cdktest.PlaceholderZip(t, t.TempDir())
	cases := []struct {
		name  string
		props Props
	}{
		{"prefix without leading slash", Props{CodePath: jsii.String(zip), RolePathPrefix: jsii.String("groundtruth/")}},
		{"prefix without trailing slash", Props{CodePath: jsii.String(zip), RolePathPrefix: jsii.String("/groundtruth")}},
		{"missing bundle", Props{CodePath: jsii.String(zip + ".missing")}},
		{"bundle is a directory", Props{CodePath: jsii.String(t.TempDir())}},
		{"boundary required and opted out", Props{CodePath: jsii.String(zip), NoPermissionsBoundary: true,
			RequiredPermissionsBoundary: jsii.String("arn:aws:iam::123456789012:policy/b")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
			stack := awscdk.NewStack(app, jsii.String("Bad"), nil)
			defer func() {
				if recover() == nil {
					t.Errorf("NewProvider accepted %+v", tc.props)
				}
			}()
			NewProvider(stack, "Provider", &tc.props)
		})
	}
}

func TestValidatePathPrefix(t *testing.T) {
	cases := []struct {
		prefix string
		ok     bool
	}{
		{"/groundtruth/", true},
		{"/a/b/", true},
		{"/", false},
		{"/a b/", false},
		{"groundtruth/", false},
		{"/groundtruth", false},
		{"", false},
		{"/" + strings.Repeat("a", 511) + "/", false},
	}
	for _, tc := range cases {
		if err := validatePathPrefix(tc.prefix); (err == nil) != tc.ok {
			t.Errorf("validatePathPrefix(%q) = %v, want ok=%v", tc.prefix, err, tc.ok)
		}
	}
}

// TestProviderStackExportsItsBoundary: by default the stack creates the boundary and exports it as
// <stack>-PermissionsBoundary, which templates/launch-role.yaml imports; opted out, there is no such export.
func TestProviderStackExportsItsBoundary(t *testing.T) {
	for _, optOut := range []bool{false, true} {
		t.Run(fmt.Sprint("optOut=", optOut), func(t *testing.T) {
			tmpl := cdkTemplate(t, synthStackWithContext(t, Props{NoPermissionsBoundary: optOut}, nil))
			out, err := sampleStack(t, tmpl, nil).Output("PermissionsBoundary")
			switch {
			case optOut && err == nil:
				t.Errorf("opted out, the stack still outputs a boundary: %+v", out)
			case !optOut && err != nil:
				t.Fatalf("PermissionsBoundary output: %v", err)
			case !optOut && (out.ExportName != "TestProvider"+PermissionsBoundaryExportSuffix || out.Value != sampleBoundaryArn):
				t.Errorf("PermissionsBoundary output = %+v, want %s exported as TestProvider-PermissionsBoundary", out, sampleBoundaryArn)
			}
		})
	}
}
