package templates

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
)

// statement is an IAM policy statement as provider.yaml writes it (Action and Resource always lists or strings).
type statement struct {
	Sid       string
	Effect    string
	Action    []string
	Resource  iamdoc.Strings
	Condition iamdoc.Condition `json:",omitempty"`
}

// policyDocument is the typed form of the provider's inline policy.
type policyDocument struct {
	Version   string
	Statement []statement
}

// decodeInto converts a resolved template value into a typed Go value.
func decodeInto(t *testing.T, v any, out any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(out); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}

const (
	roles         = "arn:aws:iam::123456789012:role/groundtruth/*"
	gtPolicy      = "arn:aws:iam::aws:policy/AmazonSageMakerGroundTruthExecution"
	boundary      = "arn:aws:iam::123456789012:policy/gt-boundary"
	logGroupName  = "/aws/lambda/GroundTruthRoleProvider-ProviderFunction-abc"
	logGroupArn   = "arn:aws:logs:us-east-1:123456789012:log-group:" + logGroupName
	functionPhyID = "GroundTruthRoleProvider-ProviderFunction-abc"
)

func providerStatements(boundaryStatements []statement, allowList []string, rolesArn, profilesArn string) []statement {
	out := []statement{{
		Sid:    "ReadGroundTruthRoles",
		Effect: "Allow",
		Action: []string{
			"iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies",
			"iam:ListInstanceProfilesForRole", "iam:ListRolePolicies", "iam:ListRoleTags",
		},
		Resource: iamdoc.Strings{rolesArn},
	}}
	out = append(out, boundaryStatements...)
	return append(out,
		statement{
			Sid:       "AttachAllowedManagedPolicies",
			Effect:    "Allow",
			Action:    []string{"iam:AttachRolePolicy"},
			Resource:  iamdoc.Strings{rolesArn},
			Condition: iamdoc.Condition{"ArnEquals": {"iam:PolicyARN": allowList}},
		},
		statement{
			Sid:      "RemoveGrantsFromGroundTruthRoles",
			Effect:   "Allow",
			Action:   []string{"iam:DeleteRolePolicy", "iam:DetachRolePolicy"},
			Resource: iamdoc.Strings{rolesArn},
		},
		statement{
			Sid:      "RemoveFromGroundTruthInstanceProfiles",
			Effect:   "Allow",
			Action:   []string{"iam:RemoveRoleFromInstanceProfile"},
			Resource: iamdoc.Strings{profilesArn},
		},
		statement{
			Sid:      "WriteOwnLogs",
			Effect:   "Allow",
			Action:   []string{"logs:CreateLogStream", "logs:PutLogEvents"},
			Resource: iamdoc.Strings{logGroupArn, logGroupArn + ":log-stream:*"},
		},
		statement{
			Sid:      "VerifyRequestsWithCloudFormation",
			Effect:   "Allow",
			Action:   []string{"cloudformation:DescribeStackResource", "cloudformation:DescribeStacks"},
			Resource: iamdoc.Strings{"arn:aws:cloudformation:us-east-1:123456789012:stack/*"},
		},
		listRolesForDriftAudit,
	)
}

// listRolesForDriftAudit is the drift audit's one statement beyond the fenced reads: its bulk reads.
var listRolesForDriftAudit = statement{Sid: "ListRolesForDriftAudit", Effect: "Allow", Action: []string{"iam:GetAccountAuthorizationDetails", "iam:ListRoles"}, Resource: iamdoc.Strings{"*"}}

var writeActions = []string{
	"iam:DeleteRole", "iam:PutRolePolicy", "iam:TagRole", "iam:UntagRole",
	"iam:UpdateAssumeRolePolicy", "iam:UpdateRole",
}

func TestProviderPolicy(t *testing.T) {
	withoutBoundary := []statement{{
		Sid:    "WriteGroundTruthRoles",
		Effect: "Allow",
		Action: []string{
			"iam:CreateRole", "iam:DeleteRole", "iam:DeleteRolePermissionsBoundary",
			"iam:PutRolePermissionsBoundary", "iam:PutRolePolicy", "iam:TagRole", "iam:UntagRole",
			"iam:UpdateAssumeRolePolicy", "iam:UpdateRole",
		},
		Resource: iamdoc.Strings{roles},
	}}
	withBoundary := []statement{
		{Sid: "WriteGroundTruthRoles", Effect: "Allow", Action: writeActions, Resource: iamdoc.Strings{roles}},
		{
			Sid:       "CreateGroundTruthRolesWithBoundary",
			Effect:    "Allow",
			Action:    []string{"iam:CreateRole", "iam:PutRolePermissionsBoundary"},
			Resource:  iamdoc.Strings{roles},
			Condition: iamdoc.Condition{"StringEquals": {"iam:PermissionsBoundary": {boundary}}},
		},
	}
	const profiles = "arn:aws:iam::123456789012:instance-profile/groundtruth/*"
	cases := []struct {
		name    string
		params  map[string]string
		want    []statement
		wantEnv map[string]string
	}{
		{
			name:   "defaults",
			params: map[string]string{"CodeBucket": "code-bucket", "CodeKey": "gt/bootstrap.zip"},
			want:   providerStatements(withoutBoundary, []string{gtPolicy}, roles, profiles),
			wantEnv: map[string]string{
				"ROLE_PATH_PREFIX": "/groundtruth/", "ALLOWED_MANAGED_POLICY_ARNS": gtPolicy, "REQUIRED_PERMISSIONS_BOUNDARY": "", "ALLOWED_RESOURCE_ACCOUNTS": "",
			},
		},
		{
			name: "required boundary",
			params: map[string]string{
				"CodeBucket": "code-bucket", "CodeKey": "gt/bootstrap.zip", "RequiredPermissionsBoundary": boundary,
			},
			want: providerStatements(withBoundary, []string{gtPolicy}, roles, profiles),
			wantEnv: map[string]string{
				"ROLE_PATH_PREFIX": "/groundtruth/", "ALLOWED_MANAGED_POLICY_ARNS": gtPolicy, "REQUIRED_PERMISSIONS_BOUNDARY": boundary, "ALLOWED_RESOURCE_ACCOUNTS": "",
			},
		},
		{
			name:   "drift audit off",
			params: map[string]string{"CodeBucket": "code-bucket", "CodeKey": "gt/bootstrap.zip", "DriftAuditSchedule": ""},
			want: func() []statement {
				all := providerStatements(withoutBoundary, []string{gtPolicy}, roles, profiles)
				return all[:len(all)-1]
			}(),
			wantEnv: map[string]string{
				"ROLE_PATH_PREFIX": "/groundtruth/", "ALLOWED_MANAGED_POLICY_ARNS": gtPolicy, "REQUIRED_PERMISSIONS_BOUNDARY": "", "ALLOWED_RESOURCE_ACCOUNTS": "",
			},
		},
		{
			name: "own prefix and allow-list",
			params: map[string]string{
				"CodeBucket": "code-bucket", "CodeKey": "gt/bootstrap.zip", "RolePathPrefix": "/teams/gt/",
				"AllowedManagedPolicyArns": gtPolicy + ",arn:aws:iam::123456789012:policy/gt-extra",
				"AllowedResourceAccounts":  "444455556666,777788889999",
			},
			want: func() []statement {
				prefixed := []statement{withoutBoundary[0]}
				prefixed[0].Resource = iamdoc.Strings{"arn:aws:iam::123456789012:role/teams/gt/*"}
				return providerStatements(prefixed,
					[]string{gtPolicy, "arn:aws:iam::123456789012:policy/gt-extra"},
					"arn:aws:iam::123456789012:role/teams/gt/*",
					"arn:aws:iam::123456789012:instance-profile/teams/gt/*")
			}(),
			wantEnv: map[string]string{
				"ROLE_PATH_PREFIX":              "/teams/gt/",
				"ALLOWED_MANAGED_POLICY_ARNS":   gtPolicy + ",arn:aws:iam::123456789012:policy/gt-extra",
				"REQUIRED_PERMISSIONS_BOUNDARY": "",
				"ALLOWED_RESOURCE_ACCOUNTS":     "444455556666,777788889999",
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			stack := bindProvider(t, tc.params)
			props := resourceProperties(t, stack, "ProviderPolicy")
			var doc policyDocument
			decodeInto(t, props["PolicyDocument"], &doc)
			if doc.Version != "2012-10-17" {
				t.Errorf("Version = %q", doc.Version)
			}
			if !reflect.DeepEqual(doc.Statement, tc.want) {
				gotJSON, _ := json.MarshalIndent(doc.Statement, "", "  ")
				wantJSON, _ := json.MarshalIndent(tc.want, "", "  ")
				t.Fatalf("statements:\n got %s\nwant %s", gotJSON, wantJSON)
			}
			if props["RoleName"] != "ProviderRole-physical" {
				t.Errorf("policy attached to %v, want the provider role", props["RoleName"])
			}

			fn := resourceProperties(t, stack, "ProviderFunction")
			var env struct{ Variables map[string]string }
			decodeInto(t, fn["Environment"], &env)
			if !reflect.DeepEqual(env.Variables, tc.wantEnv) {
				t.Errorf("environment = %v, want %v", env.Variables, tc.wantEnv)
			}
		})
	}
}

func TestProviderFunctionAndOutputs(t *testing.T) {
	stack := bindProvider(t, map[string]string{"CodeBucket": "code-bucket", "CodeKey": "gt/bootstrap.zip"})
	fn := resourceProperties(t, stack, "ProviderFunction")
	var got struct {
		Description   string
		Runtime       string
		Architectures []string
		Handler       string
		Code          struct{ S3Bucket, S3Key string }
		MemorySize    string
		Timeout       string
		Role          string
		Environment   any
	}
	decodeInto(t, fn, &got)
	if got.Runtime != "provided.al2023" || !reflect.DeepEqual(got.Architectures, []string{"arm64"}) ||
		got.Handler != "bootstrap" || got.MemorySize != "128" || got.Timeout != "300" ||
		got.Code.S3Bucket != "code-bucket" || got.Code.S3Key != "gt/bootstrap.zip" || got.Role != "ProviderRole.Arn" {
		t.Errorf("function = %+v", got)
	}

	logs := resourceProperties(t, stack, "ProviderLogGroup")
	wantLogs := map[string]any{"LogGroupName": logGroupName, "RetentionInDays": "365"}
	if !reflect.DeepEqual(logs, wantLogs) {
		t.Errorf("log group = %#v, want %#v", logs, wantLogs)
	}

	role := resourceProperties(t, stack, "ProviderRole")
	var trust struct {
		Description              string
		AssumeRolePolicyDocument struct {
			Version   string
			Statement []struct {
				Effect    string
				Principal struct{ Service string }
				Action    string
			}
		}
	}
	decodeInto(t, role, &trust)
	st := trust.AssumeRolePolicyDocument.Statement
	if len(st) != 1 || st[0].Effect != "Allow" || st[0].Principal.Service != "lambda.amazonaws.com" || st[0].Action != "sts:AssumeRole" {
		t.Errorf("trust policy = %+v", trust.AssumeRolePolicyDocument)
	}

	token, err := stack.Output("ServiceToken")
	if err != nil {
		t.Fatalf("Output(ServiceToken): %v", err)
	}
	if token.Value != "ProviderFunction.Arn" || token.ExportName != "gt-roles-ServiceToken" {
		t.Errorf("ServiceToken output = %#v", token)
	}
	arn, err := stack.Output("FunctionArn")
	if err != nil || arn.Value != "ProviderFunction.Arn" {
		t.Errorf("FunctionArn output = %#v, %v", arn, err)
	}
}

func TestProviderParametersRejected(t *testing.T) {
	cases := []struct {
		name   string
		params map[string]string
		want   []string
	}{
		{name: "code key missing", params: map[string]string{"CodeBucket": "code-bucket"}, want: []string{"CodeKey"}},
		{
			name:   "root path prefix",
			params: map[string]string{"CodeBucket": "code-bucket", "CodeKey": "k", "RolePathPrefix": "/"},
			want:   []string{"RolePathPrefix"},
		},
		{
			name:   "prefix without trailing slash",
			params: map[string]string{"CodeBucket": "code-bucket", "CodeKey": "k", "RolePathPrefix": "/groundtruth"},
			want:   []string{"RolePathPrefix"},
		},
		{
			name:   "wildcard in allow-list",
			params: map[string]string{"CodeBucket": "code-bucket", "CodeKey": "k", "AllowedManagedPolicyArns": "arn:aws:iam::aws:policy/*"},
			want:   []string{"AllowedManagedPolicyArns"},
		},
		{
			name:   "boundary that is not a policy ARN",
			params: map[string]string{"CodeBucket": "code-bucket", "CodeKey": "k", "RequiredPermissionsBoundary": "gt-boundary"},
			want:   []string{"RequiredPermissionsBoundary"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, err := loadProvider(t)
			if err != nil {
				t.Fatal(err)
			}
			_, err = tmpl.Bind(providerContext(tc.params))
			if got := parameterErrorNames(err); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("parameters reported = %v, want %v (err: %v)", got, tc.want, err)
			}
		})
	}
}
