package templates

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/gtrole/groundtruth-execution-role/internal/cfntemplate"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/test/iamauthz"
)

// orgTarget is one account and Region a StackSet reaches.
type orgTarget struct{ partition, region, account string }

// orgTargets are accounts of several Regions and partitions; StackSets names each stack itself.
var orgTargets = []orgTarget{
	{"aws", "us-east-1", "111111111111"},
	{"aws", "eu-west-1", "222222222222"},
	{"aws-cn", "cn-north-1", "333333333333"},
	{"aws-us-gov", "us-gov-west-1", "444444444444"},
}

// orgContext binds a template in target as a StackSet instance; Ref of a resource is "<id>@<account>", Fn::GetAtt
// Arn of a bucket its ARN, and imports come from exports.
func orgContext(tg orgTarget, params map[string]string, exports map[string]string) cfntemplate.Context {
	return cfntemplate.Context{
		Parameters: params,
		Partition:  tg.partition, Region: tg.region, AccountID: tg.account,
		StackName: "StackSet-gt-provider-0f0e0d0c-1111-2222-3333-444455556666",
		StackID:   "arn:" + tg.partition + ":cloudformation:" + tg.region + ":" + tg.account + ":stack/StackSet-gt-provider/1",
		Ref:       func(id string) (string, error) { return id + "@" + tg.account, nil },
		GetAtt: func(id, attr string) (any, error) {
			if id == "CodeBucket" && attr == "Arn" {
				return "arn:" + tg.partition + ":s3:::" + id + "@" + tg.account, nil
			}
			return id + "." + attr + "@" + tg.account, nil
		},
		ImportValue: func(name string) (string, error) {
			if v, ok := exports[name]; ok {
				return v, nil
			}
			return "", fmt.Errorf("no export named %s", name)
		},
	}
}

func bindIn(t *testing.T, file string, ctx cfntemplate.Context) (*cfntemplate.Template, *cfntemplate.Stack) {
	t.Helper()
	tmpl, err := cfntemplate.LoadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	st, err := tmpl.Bind(ctx)
	if err != nil {
		t.Fatalf("bind %s: %v", file, err)
	}
	return tmpl, st
}

// exportsOf resolves every exported output of a bound stack.
func exportsOf(t *testing.T, tmpl *cfntemplate.Template, st *cfntemplate.Stack) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, name := range tmpl.OutputNames() {
		o, err := st.Output(name)
		if errors.Is(err, cfntemplate.ErrConditionFalse) {
			continue
		}
		if err != nil {
			t.Fatalf("output %s: %v", name, err)
		}
		if o.ExportName != "" {
			out[o.ExportName] = fmt.Sprint(o.Value)
		}
	}
	return out
}

// stackSetParams are provider.yaml's parameters in docs/templates.md's organization rollout.
var stackSetParams = map[string]string{
	"CodeBucketPrefix": "gt-code", "CodeKey": "groundtruth/bootstrap-0.1.0.zip",
	"ExportNamePrefix": "GroundTruthRoleProvider", "CreatePermissionsBoundary": "true",
}

func TestProviderAsStackSetInstance(t *testing.T) {
	for _, tg := range orgTargets {
		t.Run(tg.partition+"/"+tg.region, func(t *testing.T) {
			tmpl, st := bindIn(t, "provider.yaml", orgContext(tg, stackSetParams, nil))
			fn := resourceProperties(t, st, "ProviderFunction")
			var got struct {
				Code        struct{ S3Bucket, S3Key string }
				Environment struct{ Variables map[string]string }
			}
			b, _ := json.Marshal(fn)
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if want := "gt-code-" + tg.region; got.Code.S3Bucket != want || got.Code.S3Key != stackSetParams["CodeKey"] {
				t.Errorf("code = %+v, want bucket %s", got.Code, want)
			}
			boundaryRef := "GroundTruthRoleBoundary@" + tg.account
			if b := got.Environment.Variables["REQUIRED_PERMISSIONS_BOUNDARY"]; b != boundaryRef {
				t.Errorf("REQUIRED_PERMISSIONS_BOUNDARY = %q, want the created boundary %q", b, boundaryRef)
			}
			// The export names are the same in every account and Region, whatever StackSets calls the stack.
			wantExports := map[string]string{
				"GroundTruthRoleProvider-ServiceToken":        "ProviderFunction.Arn@" + tg.account,
				"GroundTruthRoleProvider-PermissionsBoundary": boundaryRef,
			}
			if got := exportsOf(t, tmpl, st); !reflect.DeepEqual(got, wantExports) {
				t.Errorf("exports = %v, want %v", got, wantExports)
			}
			// The provider's role may create roles only with the created boundary, and may not remove it.
			var doc policyDocument
			decodeInto(t, resourceProperties(t, st, "ProviderPolicy")["PolicyDocument"], &doc)
			var creates []statement
			for _, s := range doc.Statement {
				for _, a := range s.Action {
					if a == "iam:CreateRole" || a == "iam:DeleteRolePermissionsBoundary" {
						creates = append(creates, s)
					}
				}
			}
			want := iamdoc.Condition{"StringEquals": {"iam:PermissionsBoundary": {boundaryRef}}}
			if len(creates) != 1 || creates[0].Sid != "CreateGroundTruthRolesWithBoundary" || !reflect.DeepEqual(creates[0].Condition, want) {
				t.Errorf("statements granting CreateRole or DeleteRolePermissionsBoundary = %+v, want one, conditioned on %v", creates, want)
			}
		})
	}
}

// TestProviderExportNameUnchangedByDefault keeps existing consumers working: without ExportNamePrefix the export is
// still <stack name>-ServiceToken, and without a boundary there is no boundary export.
func TestProviderExportNameUnchangedByDefault(t *testing.T) {
	tmpl, st := bindIn(t, "provider.yaml", orgContext(orgTargets[0], map[string]string{"CodeBucket": "my-code", "CodeKey": "k"}, nil))
	want := map[string]string{"StackSet-gt-provider-0f0e0d0c-1111-2222-3333-444455556666-ServiceToken": "ProviderFunction.Arn@111111111111"}
	if got := exportsOf(t, tmpl, st); !reflect.DeepEqual(got, want) {
		t.Errorf("exports = %v, want %v", got, want)
	}
	if b := resourceProperties(t, st, "ProviderFunction")["Code"].(map[string]any)["S3Bucket"]; b != "my-code" {
		t.Errorf("S3Bucket = %v, want my-code", b)
	}
}

func TestProviderRules(t *testing.T) {
	cases := []struct {
		name     string
		params   map[string]string
		wantRule string // "" = accepted
	}{
		{"bucket", map[string]string{"CodeBucket": "bbb", "CodeKey": "k"}, ""},
		{"bucket prefix", map[string]string{"CodeBucketPrefix": "p", "CodeKey": "k"}, ""},
		{"no bucket", map[string]string{"CodeKey": "k"}, "OneCodeBucket"},
		{"both buckets", map[string]string{"CodeBucket": "bbb", "CodeBucketPrefix": "p", "CodeKey": "k"}, "OneCodeBucket"},
		{"created and given boundary", map[string]string{
			"CodeBucket": "bbb", "CodeKey": "k", "CreatePermissionsBoundary": "true", "RequiredPermissionsBoundary": boundary,
		}, "OneBoundary"},
	}
	tmpl, err := loadProvider(t)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tmpl.Bind(providerContext(tc.params))
			var re *cfntemplate.RuleError
			switch {
			case tc.wantRule == "" && err != nil:
				t.Fatalf("bind: %v", err)
			case tc.wantRule != "" && (!errors.As(err, &re) || re.Rule != tc.wantRule):
				t.Fatalf("bind error = %v, want rule %s to fail", err, tc.wantRule)
			}
		})
	}
}

// boundaryIn resolves provider.yaml's created boundary for a partition and account.
func boundaryIn(t *testing.T, partition, account string) iamauthz.Policy {
	t.Helper()
	params := map[string]string{"CodeBucket": "bbb", "CodeKey": "k", "CreatePermissionsBoundary": "true"}
	_, st := bindIn(t, "provider.yaml", orgContext(orgTarget{partition, "us-east-1", account}, params, nil))
	var doc iamdoc.Document
	b, _ := json.Marshal(resourceProperties(t, st, "GroundTruthRoleBoundary")["PolicyDocument"])
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	p, err := iamauthz.NewPolicy(doc)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// notIAMActions are actions the generator lists that IAM authorizes under another name.
var notIAMActions = map[string]string{"sqs:SendMessageBatch": "sqs:SendMessage"}

// TestBoundaryAllowsEveryGeneratedRole checks that the created boundary takes nothing from a role the provider
// writes: every statement of every golden role of `gtrole render` (each scenario, each partition) is allowed by it.
func TestBoundaryAllowsEveryGeneratedRole(t *testing.T) {
	goldens, err := filepath.Glob("../lambda/cmd/gtrole/testdata/*.golden.json")
	if err != nil || len(goldens) < 10 {
		t.Fatalf("golden roles: %v (found %d)", err, len(goldens))
	}
	checked := 0
	for _, file := range goldens {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var role iamdoc.Role
		if err := json.Unmarshal(raw, &role); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		trust := accountARN(t, file, role)
		bound := boundaryIn(t, trust.Partition, trust.AccountID)
		for _, p := range role.Policies {
			for _, s := range p.PolicyDocument.Statement {
				for _, action := range s.Action {
					if alias, ok := notIAMActions[action]; ok {
						action = alias
					}
					for _, resource := range s.Resource {
						req := iamauthz.Request{Action: action, Resource: resource, Context: map[string]string{
							"iam:PassedToService": "sagemaker.amazonaws.com",
						}}
						if d := bound.Decide(req); !d.Allowed {
							t.Errorf("%s: %s on %s is outside the boundary", filepath.Base(file), action, resource)
						}
						checked++
					}
				}
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d action/resource pairs checked", checked)
	}
}

// accountARN returns the first ARN in the role's statements that names an account, else the partition of any
// ARN with render's default account.
func accountARN(t *testing.T, file string, role iamdoc.Role) arn.ARN {
	t.Helper()
	for _, p := range role.Policies {
		for _, s := range p.PolicyDocument.Statement {
			for _, r := range s.Resource {
				if a, err := arn.Parse(r); err == nil && a.AccountID != "" && a.AccountID != "*" {
					return a
				}
			}
		}
	}
	for _, p := range role.Policies {
		for _, s := range p.PolicyDocument.Statement {
			for _, r := range s.Resource {
				if a, err := arn.Parse(r); err == nil {
					a.AccountID = testAccount // the account gtrole render uses by default
					return a
				}
			}
		}
	}
	t.Fatalf("%s: no ARN", file)
	return arn.ARN{}
}

// TestBoundaryKeepsRolesGroundTruthShaped: what a taken-over provider would write is refused by the boundary.
func TestBoundaryKeepsRolesGroundTruthShaped(t *testing.T) {
	bound := boundaryIn(t, "aws", "111111111111")
	for _, req := range []iamauthz.Request{
		{Action: "iam:CreateRole", Resource: "*"},
		{Action: "iam:PutRolePolicy", Resource: "arn:aws:iam::111111111111:role/admin"},
		{Action: "iam:PassRole", Resource: "arn:aws:iam::111111111111:role/admin", Context: map[string]string{"iam:PassedToService": "sagemaker.amazonaws.com"}},
		{Action: "iam:PassRole", Resource: "arn:aws:iam::111111111111:role/groundtruth/x", Context: map[string]string{"iam:PassedToService": "ec2.amazonaws.com"}},
		{Action: "sts:AssumeRole", Resource: "*"},
		{Action: "s3:DeleteBucket", Resource: "arn:aws:s3:::data"},
		{Action: "kms:ScheduleKeyDeletion", Resource: "*"},
		{Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:999988887777:GroundTruth-x"},
		{Action: "ec2:RunInstances", Resource: "*"},
	} {
		if d := bound.Decide(req); d.Allowed {
			t.Errorf("boundary allows %s on %s (statement %s)", req.Action, req.Resource, d.Sid)
		}
	}
}

func TestCodeBucketAcrossPartitions(t *testing.T) {
	for _, tg := range orgTargets {
		t.Run(tg.partition+"/"+tg.region, func(t *testing.T) {
			_, st := bindIn(t, "code-bucket.yaml", orgContext(tg, map[string]string{"BucketPrefix": "gt-code", "OrganizationId": "o-a1b2c3d4e5"}, nil))
			if name := resourceProperties(t, st, "CodeBucket")["BucketName"]; name != "gt-code-"+tg.region {
				t.Errorf("BucketName = %v, want the name provider.yaml derives from CodeBucketPrefix", name)
			}
			var doc struct {
				Version   string
				Statement []struct {
					Sid, Effect string
					Principal   string
					Action      iamdoc.Strings
					Resource    iamdoc.Strings
					Condition   iamdoc.Condition
				}
			}
			decodeInto(t, resourceProperties(t, st, "CodeBucketPolicy")["PolicyDocument"], &doc)
			bucketArn := "arn:" + tg.partition + ":s3:::CodeBucket@" + tg.account
			read := doc.Statement[0]
			if read.Effect != "Allow" || read.Principal != "*" ||
				!reflect.DeepEqual(read.Action, iamdoc.Strings{"s3:GetObject", "s3:GetObjectVersion"}) ||
				!reflect.DeepEqual(read.Resource, iamdoc.Strings{bucketArn + "/*"}) ||
				!reflect.DeepEqual(read.Condition, iamdoc.Condition{"StringEquals": {"aws:PrincipalOrgID": {"o-a1b2c3d4e5"}}}) {
				t.Errorf("read statement = %+v", read)
			}
			if len(doc.Statement) != 2 || doc.Statement[1].Effect != "Deny" {
				t.Errorf("want a second statement denying plain http, got %+v", doc.Statement)
			}
		})
	}
}

// TestLaunchRoleRequiresProviderBoundary: the launch role, and so every launch of the product, exists only where
// the provider stack exports a permissions boundary.
func TestLaunchRoleRequiresProviderBoundary(t *testing.T) {
	for _, tg := range orgTargets {
		t.Run(tg.partition+"/"+tg.region, func(t *testing.T) {
			ptmpl, pst := bindIn(t, "provider.yaml", orgContext(tg, stackSetParams, nil))
			_, lst := bindIn(t, "launch-role.yaml", orgContext(tg, nil, exportsOf(t, ptmpl, pst)))
			role := resourceProperties(t, lst, "LaunchRole")
			tags, _ := json.Marshal(role["Tags"])
			if want := `[{"Key":"gtrole:permissions-boundary","Value":"GroundTruthRoleBoundary@` + tg.account + `"}]`; string(tags) != want {
				t.Errorf("tags = %s, want %s", tags, want)
			}
			if role["RoleName"] != "GroundTruthRoleProductLaunch-"+tg.region {
				t.Errorf("RoleName = %v", role["RoleName"])
			}

			unbounded := map[string]string{}
			for k, v := range stackSetParams {
				unbounded[k] = v
			}
			unbounded["CreatePermissionsBoundary"] = "false"
			ptmpl, pst = bindIn(t, "provider.yaml", orgContext(tg, unbounded, nil))
			_, lst = bindIn(t, "launch-role.yaml", orgContext(tg, nil, exportsOf(t, ptmpl, pst)))
			if _, err := lst.ResourceProperties("LaunchRole"); err == nil || !strings.Contains(err.Error(), "GroundTruthRoleProvider-PermissionsBoundary") {
				t.Errorf("launch role beside a provider without a boundary: err = %v, want the missing boundary export", err)
			}
		})
	}
}

// TestProductResolvesInEveryAccount: product.yaml, launched in a member account, finds that account's provider.
func TestProductResolvesInEveryAccount(t *testing.T) {
	for _, tg := range orgTargets {
		ptmpl, pst := bindIn(t, "provider.yaml", orgContext(tg, stackSetParams, nil))
		_, st := bindIn(t, "product.yaml", orgContext(tg, map[string]string{"OutputBuckets": "out"}, exportsOf(t, ptmpl, pst)))
		if tok := resourceProperties(t, st, "ExecutionRole")["ServiceToken"]; tok != "ProviderFunction.Arn@"+tg.account {
			t.Errorf("%s: ServiceToken = %v, want this account's provider", tg.region, tok)
		}
	}
}

func TestServiceCatalogForAnOrganization(t *testing.T) {
	for _, tg := range orgTargets {
		t.Run(tg.partition+"/"+tg.region, func(t *testing.T) {
			params := map[string]string{
				"ProductTemplateUrl":       "https://admin.s3." + tg.region + ".amazonaws.com/product.yaml",
				"EndUserPermissionSetName": "GroundTruthLabelers",
			}
			_, st := bindIn(t, "servicecatalog.yaml", orgContext(tg, params, nil))
			got := resourceProperties(t, st, "PermissionSetUsers")
			want := map[string]any{
				"PortfolioId":   "Portfolio@" + tg.account,
				"PrincipalARN":  "arn:" + tg.partition + ":iam:::role/aws-reserved/sso.amazonaws.com/*AWSReservedSSO_GroundTruthLabelers_*",
				"PrincipalType": "IAM_PATTERN",
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("PermissionSetUsers = %v, want %v", got, want)
			}
			if _, err := st.ResourceProperties("EndUsers"); !errors.Is(err, cfntemplate.ErrConditionFalse) {
				t.Errorf("EndUsers without EndUserPrincipalArn: err = %v, want left out", err)
			}
			c := resourceProperties(t, st, "LaunchRoleConstraint")
			if c["LocalRoleName"] != "GroundTruthRoleProductLaunch-"+tg.region || c["RoleArn"] != nil {
				t.Errorf("launch constraint = %v, want LocalRoleName only", c)
			}
		})
	}
	tmpl, err := cfntemplate.LoadFile("servicecatalog.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = tmpl.Bind(orgContext(orgTargets[0], map[string]string{"ProductTemplateUrl": "https://a.s3.amazonaws.com/p.yaml"}, nil))
	var re *cfntemplate.RuleError
	if !errors.As(err, &re) || re.Rule != "SomeEndUsers" {
		t.Errorf("no end users: err = %v, want rule SomeEndUsers", err)
	}
}
