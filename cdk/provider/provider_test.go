package provider

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/jsii-runtime-go"

	"github.com/gtrole/groundtruth-execution-role/cdk/internal/cdktest"
)

// Intrinsic values as CDK renders them in an environment-agnostic stack.
const (
	partitionRef = `{"Ref":"AWS::Partition"}`
	regionRef    = `{"Ref":"AWS::Region"}`
	accountRef   = `{"Ref":"AWS::AccountId"}`
)

// joinArn renders the Fn::Join CDK emits for "arn:<partition>" + middle (a JSON list tail).
func joinArn(parts ...string) string {
	return `{"Fn::Join":["",[` + strings.Join(parts, ",") + `]]}`
}

// expectedFence writes down the contract of fence.md, independently of fence.go.
func expectedFence(prefix, boundary, allowed, logGroup string) []canonStatement {
	roles := joinArn(`"arn:"`, partitionRef, `":iam::"`, accountRef, `":role`+prefix+`*"`)
	profiles := joinArn(`"arn:"`, partitionRef, `":iam::"`, accountRef, `":instance-profile`+prefix+`*"`)
	logGroupArn := joinArn(`"arn:"`, partitionRef, `":logs:"`, regionRef, `":"`, accountRef, `":log-group:`+logGroup+`"`)
	logStreams := joinArn(`"arn:"`, partitionRef, `":logs:"`, regionRef, `":"`, accountRef, `":log-group:`+logGroup+`:log-stream:*"`)

	write := []string{"iam:DeleteRole", "iam:PutRolePolicy", "iam:TagRole", "iam:UntagRole",
		"iam:UpdateAssumeRolePolicy", "iam:UpdateRole"}
	if boundary == "" {
		write = append(write, "iam:CreateRole", "iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary")
	}
	out := []canonStatement{
		{Sid: "AttachAllowedManagedPolicies", Effect: "Allow",
			Actions: []string{"iam:AttachRolePolicy"}, Resources: []string{roles},
			Condition: `{"ArnEquals":{"iam:PolicyARN":[` + allowed + `]}}`},
		{Sid: "RemoveGrantsFromGroundTruthRoles", Effect: "Allow",
			Actions: []string{"iam:DeleteRolePolicy", "iam:DetachRolePolicy"}, Resources: []string{roles}},
		{Sid: "ReadGroundTruthRoles", Effect: "Allow",
			Actions: []string{"iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies",
				"iam:ListInstanceProfilesForRole", "iam:ListRolePolicies", "iam:ListRoleTags"},
			Resources: []string{roles}},
		{Sid: "RemoveFromGroundTruthInstanceProfiles", Effect: "Allow",
			Actions: []string{"iam:RemoveRoleFromInstanceProfile"}, Resources: []string{profiles}},
		{Sid: "WriteGroundTruthRoles", Effect: "Allow", Actions: sortedCopy(write), Resources: []string{roles}},
		{Sid: "WriteOwnLogs", Effect: "Allow", Actions: []string{"logs:CreateLogStream", "logs:PutLogEvents"},
			Resources: sortedCopy([]string{logGroupArn, logStreams})},
	}
	if boundary != "" {
		out = append(out, canonStatement{Sid: "CreateGroundTruthRolesWithBoundary", Effect: "Allow",
			Actions: []string{"iam:CreateRole", "iam:PutRolePermissionsBoundary"}, Resources: []string{roles},
			Condition: `{"StringEquals":{"iam:PermissionsBoundary":["` + boundary + `"]}}`})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Sid < out[j].Sid })
	return out
}

func TestProviderRolePolicyIsExactlyTheFence(t *testing.T) {
	const defaultAllowed = `{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/AmazonSageMakerGroundTruthExecution"]]}`
	const boundary = "arn:aws:iam::123456789012:policy/gt-boundary"
	cases := []struct {
		name     string
		props    Props
		flags    bool
		prefix   string
		boundary string
		allowed  string
	}{
		{name: "defaults", prefix: "/groundtruth/", allowed: defaultAllowed},
		{name: "defaults with cdk.json flags", flags: true, prefix: "/groundtruth/", allowed: defaultAllowed},
		{name: "required boundary", props: Props{RequiredPermissionsBoundary: jsii.String(boundary)},
			prefix: "/groundtruth/", boundary: boundary, allowed: defaultAllowed},
		{name: "required boundary with cdk.json flags", flags: true,
			props:  Props{RequiredPermissionsBoundary: jsii.String(boundary)},
			prefix: "/groundtruth/", boundary: boundary, allowed: defaultAllowed},
		{name: "custom prefix and allow-list",
			props: Props{
				RolePathPrefix: jsii.String("/labeling/team-a/"),
				AllowedManagedPolicyArns: jsii.Strings("arn:aws:iam::aws:policy/AmazonSageMakerGroundTruthExecution",
					"arn:aws:iam::123456789012:policy/extra"),
			},
			prefix:  "/labeling/team-a/",
			allowed: `"arn:aws:iam::123456789012:policy/extra","arn:aws:iam::aws:policy/AmazonSageMakerGroundTruthExecution"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			props := tc.props
			props.FunctionName = jsii.String("gt-provider")
			var ctx map[string]interface{}
			if tc.flags {
				ctx = cdktest.ProjectConfig(t).Context
			}
			tpl := decodeTemplate(t, synthStackWithContext(t, props, ctx))
			_, roleRes := onlyResource(t, tpl, "AWS::IAM::Role")
			var role iamRole
			decodeProps(t, roleRes, &role)
			if len(role.Policies) != 1 || role.Policies[0].PolicyName != InlinePolicyName {
				t.Fatalf("want exactly one inline policy %q, got %+v", InlinePolicyName, role.Policies)
			}
			got := canonicalStatements(t, role.Policies[0].PolicyDocument)
			want := expectedFence(tc.prefix, tc.boundary, tc.allowed, "/aws/lambda/gt-provider")
			for i := range want {
				want[i].Condition = recanonicalCondition(t, want[i].Condition)
			}
			diffStatements(t, got, want)
		})
	}
}

// recanonicalCondition normalizes a hand-written Condition the same way as synthesized ones.
func recanonicalCondition(t *testing.T, cond string) string {
	t.Helper()
	if cond == "" {
		return ""
	}
	return canonicalCondition(t, json.RawMessage(cond))
}

func TestProviderGrantsNothingBroad(t *testing.T) {
	for _, boundary := range []string{"", "arn:aws:iam::123456789012:policy/gt-boundary"} {
		t.Run("boundary="+boundary, func(t *testing.T) {
			props := Props{}
			if boundary != "" {
				props.RequiredPermissionsBoundary = jsii.String(boundary)
			}
			tpl := decodeTemplate(t, synthStackWithContext(t, props, cdktest.ProjectConfig(t).Context))
			for id, r := range tpl.Resources {
				switch r.Type {
				case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy", "AWS::IAM::User", "AWS::IAM::Group":
					t.Errorf("%s: unexpected %s; the role's only permissions are its inline fence", id, r.Type)
				}
			}
			_, roleRes := onlyResource(t, tpl, "AWS::IAM::Role")
			var role iamRole
			decodeProps(t, roleRes, &role)
			if len(role.ManagedPolicyArns) != 0 {
				t.Errorf("role has ManagedPolicyArns %s, want none", role.ManagedPolicyArns)
			}
			trust := role.AssumeRolePolicyDocument.Statement
			if len(trust) != 1 || !jsonEqual(t, trust[0].Principal, []byte(`{"Service":"lambda.amazonaws.com"}`)) ||
				len(trust[0].Action) != 1 || trust[0].Action[0] != "sts:AssumeRole" {
				t.Errorf("trust policy = %+v, want only lambda.amazonaws.com sts:AssumeRole", trust)
			}
			for _, p := range role.Policies {
				var doc struct {
					Statement []struct {
						policyStatement
						NotAction   json.RawMessage `json:"NotAction"`
						NotResource json.RawMessage `json:"NotResource"`
					} `json:"Statement"`
				}
				if err := json.Unmarshal(p.PolicyDocument, &doc); err != nil {
					t.Fatalf("decode policy: %v", err)
				}
				for _, s := range doc.Statement {
					if s.Effect != "Allow" || len(s.NotAction) != 0 || len(s.NotResource) != 0 {
						t.Errorf("%s: want a plain Allow statement, got Effect %q NotAction %s NotResource %s",
							s.Sid, s.Effect, s.NotAction, s.NotResource)
					}
					resources := canonicalList(t, s.Resource)
					for _, a := range s.Action {
						if strings.Contains(a, "*") {
							t.Errorf("%s: wildcard action %q", s.Sid, a)
						}
						if strings.EqualFold(a, "iam:PassRole") {
							t.Errorf("%s: grants iam:PassRole", s.Sid)
						}
						for _, r := range resources {
							if strings.HasPrefix(strings.ToLower(a), "iam:") && r == `"*"` {
								t.Errorf("%s: IAM action %s on Resource *", s.Sid, a)
							}
						}
					}
					for _, r := range resources {
						if r == `"*"` {
							t.Errorf("%s: Resource *", s.Sid)
						}
					}
				}
			}
		})
	}
}

// lambdaFunction holds the properties of AWS::Lambda::Function the tests check.
type lambdaFunction struct {
	FunctionName  string   `json:"FunctionName"`
	Runtime       string   `json:"Runtime"`
	Architectures []string `json:"Architectures"`
	Handler       string   `json:"Handler"`
	MemorySize    int      `json:"MemorySize"`
	Timeout       int      `json:"Timeout"`
	Role          json.RawMessage
	LoggingConfig struct {
		LogGroup json.RawMessage `json:"LogGroup"`
	} `json:"LoggingConfig"`
	Environment struct {
		Variables map[string]json.RawMessage `json:"Variables"`
	} `json:"Environment"`
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
				EnvRolePathPrefix:              `"/groundtruth/"`,
				EnvAllowedManagedPolicyArns:    `{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/AmazonSageMakerGroundTruthExecution"]]}`,
				EnvRequiredPermissionsBoundary: `""`,
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
				LogRetention:                awslogs.RetentionDays_THREE_MONTHS,
			},
			env: map[string]string{
				EnvRolePathPrefix:              `"/labeling/"`,
				EnvAllowedManagedPolicyArns:    `"arn:aws:iam::aws:policy/A,arn:aws:iam::123456789012:policy/B"`,
				EnvRequiredPermissionsBoundary: `"arn:aws:iam::123456789012:policy/boundary"`,
			},
			retention: 90,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tpl := decodeTemplate(t, synthStackWithContext(t, tc.props, nil))
			fnID, fnRes := onlyResource(t, tpl, "AWS::Lambda::Function")
			var fn lambdaFunction
			decodeProps(t, fnRes, &fn)
			if fn.Runtime != "provided.al2023" || fn.Handler != "bootstrap" || fn.MemorySize != 128 || fn.Timeout != 300 {
				t.Errorf("function runtime/handler/memory/timeout = %s/%s/%d/%d, want provided.al2023/bootstrap/128/300",
					fn.Runtime, fn.Handler, fn.MemorySize, fn.Timeout)
			}
			if len(fn.Architectures) != 1 || fn.Architectures[0] != "arm64" {
				t.Errorf("architectures = %v, want [arm64]", fn.Architectures)
			}
			if len(fn.Environment.Variables) != len(tc.env) {
				t.Errorf("environment = %v, want exactly %v", fn.Environment.Variables, tc.env)
			}
			for k, want := range tc.env {
				if got, ok := fn.Environment.Variables[k]; !ok || !jsonEqual(t, got, []byte(want)) {
					t.Errorf("env %s = %s, want %s", k, got, want)
				}
			}
			roleID, _ := onlyResource(t, tpl, "AWS::IAM::Role")
			if !jsonEqual(t, fn.Role, []byte(`{"Fn::GetAtt":["`+roleID+`","Arn"]}`)) {
				t.Errorf("function role = %s, want the provider role %s", fn.Role, roleID)
			}
			if len(fnRes.DependsOn) != 0 {
				t.Errorf("function DependsOn %s, want none (GetAtt orders it)", fnRes.DependsOn)
			}

			lgID, lgRes := onlyResource(t, tpl, "AWS::Logs::LogGroup")
			var lg struct {
				LogGroupName    string `json:"LogGroupName"`
				RetentionInDays int    `json:"RetentionInDays"`
			}
			decodeProps(t, lgRes, &lg)
			if lg.LogGroupName != "/aws/lambda/"+fn.FunctionName || lg.RetentionInDays != tc.retention {
				t.Errorf("log group = %+v, want /aws/lambda/%s kept %d days", lg, fn.FunctionName, tc.retention)
			}
			if !jsonEqual(t, fn.LoggingConfig.LogGroup, []byte(`{"Ref":"`+lgID+`"}`)) {
				t.Errorf("function logs to %s, want its log group %s", fn.LoggingConfig.LogGroup, lgID)
			}

			arn := []byte(`{"Fn::GetAtt":["` + fnID + `","Arn"]}`)
			token, fnArn := tpl.Outputs["ServiceToken"], tpl.Outputs["FunctionArn"]
			if token.Export == nil || !jsonEqual(t, token.Export.Name, []byte(`"TestProvider-ServiceToken"`)) {
				t.Errorf("ServiceToken export = %+v, want TestProvider-ServiceToken", token.Export)
			}
			if !jsonEqual(t, token.Value, arn) || !jsonEqual(t, fnArn.Value, arn) {
				t.Errorf("outputs ServiceToken=%s FunctionArn=%s, want the function ARN", token.Value, fnArn.Value)
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
