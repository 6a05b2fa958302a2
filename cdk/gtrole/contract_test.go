package gtrole

import (
	"reflect"
	"slices"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/jsii-runtime-go"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// constructOnly are Props fields that configure the construct and render no property.
var constructOnly = []string{"Provider"}

// propsFields maps each Props field to the property its cfn tag names.
func propsFields(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	typ := reflect.TypeFor[Props]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, tagged := f.Tag.Lookup("cfn")
		switch {
		case slices.Contains(constructOnly, f.Name):
			if tagged {
				t.Errorf("Props.%s is construct-only but has cfn tag %q", f.Name, name)
			}
		case !tagged:
			t.Errorf("Props.%s has no cfn tag: name the contract property it renders (lambda/contract), or list it as construct-only", f.Name)
		default:
			out[f.Name] = name
		}
	}
	return out
}

// TestPropsMatchTheContract ties the typed props to the contract both ways: every contract property has exactly
// one Props field and every tagged field names a contract property (or one of CloudFormation's own).
func TestPropsMatchTheContract(t *testing.T) {
	fields := propsFields(t)
	named := map[string][]string{}
	for field, prop := range fields {
		named[prop] = append(named[prop], field)
		if _, ok := contract.Lookup(prop); !ok && !slices.Contains(contract.Ignored, prop) {
			t.Errorf("Props.%s renders %q, which is not a property of the contract", field, prop)
		}
	}
	for _, name := range contract.Names() {
		if len(named[name]) != 1 {
			t.Errorf("contract property %s is rendered by Props fields %v, want exactly one", name, named[name])
		}
	}
}

// TestEveryPropRendersItsProperty sets every Props field and checks that the synthesized resource carries exactly
// the properties the fields' cfn tags name: a field cannot be declared and then not rendered.
func TestEveryPropRendersItsProperty(t *testing.T) {
	stack := newStack(t)
	s := importSiblings(stack)
	samples := map[reflect.Type]any{
		reflect.TypeFor[*string]():                 jsii.String("gt-sample"),
		reflect.TypeFor[*bool]():                   jsii.Bool(true),
		reflect.TypeFor[awscdk.Duration]():         awscdk.Duration_Hours(jsii.Number(2)),
		reflect.TypeFor[awsiam.IManagedPolicy]():   s.boundary,
		reflect.TypeFor[[]awscdk.CfnTag]():         []awscdk.CfnTag{{Key: jsii.String("team"), Value: jsii.String("vision")}},
		reflect.TypeFor[[]BucketAccess]():          []BucketAccess{{Bucket: s.in, Prefix: jsii.String("input/")}},
		reflect.TypeFor[[]awssns.ITopic]():         []awssns.ITopic{s.topicIn},
		reflect.TypeFor[[]awslambda.IFunction]():   []awslambda.IFunction{s.pre},
		reflect.TypeFor[[]awskms.IKey]():           []awskms.IKey{s.data},
		reflect.TypeFor[[]awsiam.IManagedPolicy](): []awsiam.IManagedPolicy{s.gtMP},
		reflect.TypeFor[[]awsiam.IRole]():          []awsiam.IRole{awsiam.Role_FromRoleArn(stack, jsii.String("PostRole"), jsii.String("arn:aws:iam::123456789012:role/gt-post"), nil)},
		reflect.TypeFor[*VpcConfig](): &VpcConfig{
			Subnets:        []awsec2.ISubnet{awsec2.Subnet_FromSubnetId(stack, jsii.String("Subnet"), jsii.String("subnet-0123456789abcdef0"))},
			SecurityGroups: []awsec2.ISecurityGroup{awsec2.SecurityGroup_FromSecurityGroupId(stack, jsii.String("SG"), jsii.String("sg-0123456789abcdef0"), nil)},
		},
	}
	fields := propsFields(t)
	props := &Props{}
	v := reflect.ValueOf(props).Elem()
	for field := range fields {
		f := v.FieldByName(field)
		sample, ok := samples[f.Type()]
		if !ok {
			t.Fatalf("no sample value for Props.%s of type %s: add one to this test", field, f.Type())
		}
		f.Set(reflect.ValueOf(sample))
	}
	NewGroundTruthExecutionRole(stack, "Role", props)

	want := []string{contract.ServiceTimeout} // set by the construct itself (TestServiceTimeout)
	for _, prop := range fields {
		want = append(want, prop)
	}
	slices.Sort(want)
	for _, r := range resources(t, stack, ResourceType) {
		var got []string
		for name := range r.Properties {
			got = append(got, name)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("rendered properties %q, want %q (one per tagged Props field)", got, want)
		}
	}
}
