package templates

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/internal/cfntemplate"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
)

func bindServiceCatalog(t *testing.T) *cfntemplate.Stack {
	t.Helper()
	tmpl, err := cfntemplate.LoadFile("servicecatalog.yaml")
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	ctx := testContext(map[string]string{
		"ProductTemplateUrl":  "https://admin-bucket.s3.us-east-1.amazonaws.com/groundtruth/product.yaml",
		"EndUserPrincipalArn": "arn:aws:iam::123456789012:role/labelers",
	})
	ctx.Ref = func(id string) (string, error) { return id + "-id", nil }
	ctx.GetAtt = func(id, attr string) (any, error) { return id + "." + attr, nil }
	stack, err := tmpl.Bind(ctx)
	if err != nil {
		t.Fatalf("bind: %v", err)
	}
	return stack
}

func TestLaunchRoleHasNoIAMPermissions(t *testing.T) {
	_, stack, err := bind(t, "launch-role.yaml", nil)
	if err != nil {
		t.Fatalf("bind: %v", err)
	}
	role, err := stack.ResourceProperties("LaunchRole")
	if err != nil {
		t.Fatalf("LaunchRole: %v", err)
	}
	var got struct {
		RoleName                 string
		Description              string
		Tags                     []struct{ Key, Value string }
		AssumeRolePolicyDocument json.RawMessage
		Policies                 []struct {
			PolicyName     string
			PolicyDocument policyDocument
		}
	}
	decodeInto(t, role, &got)
	if _, ok := role["ManagedPolicyArns"]; ok {
		t.Errorf("launch role has managed policies: %v", role["ManagedPolicyArns"])
	}
	if !strings.Contains(string(got.AssumeRolePolicyDocument), `"Service":"servicecatalog.amazonaws.com"`) {
		t.Errorf("trust policy = %s, want servicecatalog.amazonaws.com", got.AssumeRolePolicyDocument)
	}
	if len(got.Policies) != 1 {
		t.Fatalf("launch role has %d inline policies, want 1", len(got.Policies))
	}
	wantResources := map[string][]string{
		"ManageProductStacks":           {"arn:aws:cloudformation:us-east-1:123456789012:stack/SC-*"},
		"ReadTemplates":                 {"*"},
		"ReadProvisioningArtifacts":     {"*"},
		"InvokeGroundTruthRoleProvider": {providerArn},
	}
	gotResources := map[string][]string{}
	for _, st := range got.Policies[0].PolicyDocument.Statement {
		gotResources[st.Sid] = st.Resource
		for _, action := range st.Action {
			service, _, _ := strings.Cut(action, ":")
			switch service {
			case "cloudformation", "s3", "lambda":
			default:
				t.Errorf("statement %s grants %s; the launch role may only use CloudFormation, S3 and Lambda", st.Sid, action)
			}
			if strings.Contains(action, "*") {
				t.Errorf("statement %s grants wildcard action %s", st.Sid, action)
			}
		}
		if st.Sid == "ReadProvisioningArtifacts" {
			want := iamdoc.Condition{"StringEquals": {"s3:ExistingObjectTag/servicecatalog:provisioning": {"true"}}}
			if !reflect.DeepEqual(st.Condition, want) {
				t.Errorf("ReadProvisioningArtifacts condition = %v, want %v", st.Condition, want)
			}
		}
	}
	if !reflect.DeepEqual(gotResources, wantResources) {
		t.Errorf("statement resources = %v, want %v", gotResources, wantResources)
	}
}

func TestServiceCatalogWiring(t *testing.T) {
	stack := bindServiceCatalog(t)
	cases := []struct {
		id   string
		want map[string]any
	}{
		{"PortfolioProduct", map[string]any{"PortfolioId": "Portfolio-id", "ProductId": "Product-id"}},
		{"EndUsers", map[string]any{
			"PortfolioId": "Portfolio-id", "PrincipalARN": "arn:aws:iam::123456789012:role/labelers", "PrincipalType": "IAM",
		}},
		{"LaunchRoleConstraint", map[string]any{
			"PortfolioId": "Portfolio-id", "ProductId": "Product-id", "LocalRoleName": "GroundTruthRoleProductLaunch-us-east-1",
			"Description": "Provision with the launch role, which has no IAM permissions.",
		}},
	}
	for _, tc := range cases {
		got, err := stack.ResourceProperties(tc.id)
		if err != nil {
			t.Fatalf("%s: %v", tc.id, err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s = %#v, want %#v", tc.id, got, tc.want)
		}
	}

	product, err := stack.ResourceProperties("Product")
	if err != nil {
		t.Fatalf("Product: %v", err)
	}
	var artifacts []struct {
		Name, Description, Type string
		Info                    struct{ LoadTemplateFromURL string }
	}
	decodeInto(t, product["ProvisioningArtifactParameters"], &artifacts)
	if len(artifacts) != 1 || artifacts[0].Type != "CLOUD_FORMATION_TEMPLATE" || artifacts[0].Name != "v1" ||
		artifacts[0].Info.LoadTemplateFromURL != "https://admin-bucket.s3.us-east-1.amazonaws.com/groundtruth/product.yaml" {
		t.Errorf("provisioning artifacts = %+v", artifacts)
	}

	productTemplate, err := cfntemplate.LoadFile("product.yaml")
	if err != nil {
		t.Fatalf("load product.yaml: %v", err)
	}
	if !slices.Contains(productTemplate.ParameterNames(), "ProviderStackName") {
		t.Errorf("product.yaml has no ProviderStackName parameter for the template constraint to pin")
	}

	constraint, err := stack.ResourceProperties("ProviderConstraint")
	if err != nil {
		t.Fatalf("ProviderConstraint: %v", err)
	}
	rules, ok := constraint["Rules"].(string)
	if !ok {
		t.Fatalf("Rules = %#v, want a JSON string", constraint["Rules"])
	}
	var parsed map[string]struct {
		Assertions []struct {
			Assert            map[string][]any `json:"Assert"`
			AssertDescription string
		}
	}
	if err := json.Unmarshal([]byte(rules), &parsed); err != nil {
		t.Fatalf("Rules is not JSON: %v\n%s", err, rules)
	}
	assertions := parsed["FixedProvider"].Assertions
	if len(assertions) != 1 {
		t.Fatalf("FixedProvider assertions = %+v", assertions)
	}
	wantAssert := []any{map[string]any{"Ref": "ProviderStackName"}, "GroundTruthRoleProvider"}
	if got := assertions[0].Assert["Fn::Equals"]; !reflect.DeepEqual(got, wantAssert) {
		t.Errorf("assertion = %#v, want Fn::Equals %#v", got, wantAssert)
	}
}
