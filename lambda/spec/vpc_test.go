package spec_test

import (
	"reflect"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

func TestVpcConfig(t *testing.T) {
	const sg, sg2 = "sg-0123456789abcdef0", "sg-12345678"
	const sn, sn2 = "subnet-0123456789abcdef0", "subnet-87654321"
	vpc := func(v any) map[string]any { return map[string]any{"AutomatedLabeling": "true", "VpcConfig": v} }
	obj := func(groups, subnets any) map[string]any {
		return map[string]any{"SecurityGroupIds": groups, "Subnets": subnets}
	}
	many := func(prefix string, n int) []any {
		var out []any
		for i := range n {
			out = append(out, prefix+string(rune('a'+i%6))+"234567"+string(rune('0'+i/6)))
		}
		return out
	}
	want := func(w spec.VpcConfig) func(t *testing.T, s spec.Spec) {
		return func(t *testing.T, s spec.Spec) {
			if s.VpcConfig == nil || !reflect.DeepEqual(*s.VpcConfig, w) {
				t.Errorf("VpcConfig = %+v, want %+v", s.VpcConfig, w)
			}
		}
	}
	runCases(t, []problemCase{
		{name: "one of each", props: vpc(obj([]any{sg}, []any{sn})), check: want(spec.VpcConfig{SecurityGroupIds: []string{sg}, Subnets: []string{sn}})},
		{name: "sorted and de-duplicated", props: vpc(obj([]any{sg, sg2, sg}, []any{sn2, sn})), check: want(spec.VpcConfig{SecurityGroupIds: []string{sg, sg2}, Subnets: []string{sn, sn2}})},
		{name: "SageMaker's maximum", props: vpc(obj(many("sg-", 5), many("subnet-", 16))), check: func(t *testing.T, s spec.Spec) {
			if len(s.VpcConfig.SecurityGroupIds) != 5 || len(s.VpcConfig.Subnets) != 16 {
				t.Errorf("VpcConfig = %+v", s.VpcConfig)
			}
		}},
		{name: "absent", check: func(t *testing.T, s spec.Spec) {
			if s.VpcConfig != nil {
				t.Errorf("VpcConfig = %+v, want nil", s.VpcConfig)
			}
		}},
		{name: "needs automated labeling", props: map[string]any{"VpcConfig": obj([]any{sg}, []any{sn})}, property: "VpcConfig", message: "set AutomatedLabeling to true or remove VpcConfig"},
		{name: "automated labeling false", props: map[string]any{"AutomatedLabeling": "false", "VpcConfig": obj([]any{sg}, []any{sn})}, property: "VpcConfig", message: "set AutomatedLabeling to true"},
		{name: "not an object", props: vpc([]any{sg}), property: "VpcConfig", message: "must be an object {SecurityGroupIds: [sg-…], Subnets: [subnet-…]}, got a list"},
		{name: "unknown key", props: vpc(map[string]any{"SecurityGroupIds": []any{sg}, "Subnets": []any{sn}, "VpcId": "vpc-12345678"}), property: "VpcConfig.VpcId", message: "is not a field of VpcConfig"},
		{name: "misspelt key", props: vpc(map[string]any{"SecurityGroups": []any{sg}, "Subnets": []any{sn}}), property: "VpcConfig.SecurityGroups", message: "is not a field of VpcConfig", more: true},
		{name: "no security groups", props: vpc(map[string]any{"Subnets": []any{sn}}), property: "VpcConfig.SecurityGroupIds", message: "is required: give 1 to 5 ids such as sg-"},
		{name: "no subnets", props: vpc(map[string]any{"SecurityGroupIds": []any{sg}}), property: "VpcConfig.Subnets", message: "is required: give 1 to 16 ids such as subnet-"},
		{name: "empty subnets", props: vpc(obj([]any{sg}, []any{})), property: "VpcConfig.Subnets", message: "has 0 distinct ids: SageMaker takes 1 to 16"},
		{name: "six security groups", props: vpc(obj(many("sg-", 6), []any{sn})), property: "VpcConfig.SecurityGroupIds", message: "has 6 distinct ids: SageMaker takes 1 to 5"},
		{name: "seventeen subnets", props: vpc(obj([]any{sg}, many("subnet-", 17))), property: "VpcConfig.Subnets", message: "has 17 distinct ids: SageMaker takes 1 to 16"},
		{name: "subnet as security group", props: vpc(obj([]any{sn}, []any{sn})), property: "VpcConfig.SecurityGroupIds[0]", value: sn, message: "is not an id of the form sg- followed by 8 or 17 lowercase hexadecimal digits"},
		{name: "upper-case id", props: vpc(obj([]any{"sg-0123456789ABCDEF0"}, []any{sn})), property: "VpcConfig.SecurityGroupIds[0]", value: "sg-0123456789ABCDEF0", message: "is not an id of the form sg-"},
		{name: "wildcard id", props: vpc(obj([]any{sg}, []any{"subnet-*"})), property: "VpcConfig.Subnets[0]", value: "subnet-*", message: "is not an id of the form subnet-"},
		{name: "subnet ARN instead of id", props: vpc(obj([]any{sg}, []any{"arn:aws:ec2:us-east-1:123456789012:subnet/" + sn})), property: "VpcConfig.Subnets[0]", value: "arn:aws:ec2:us-east-1:123456789012:subnet/" + sn, message: "is not an id of the form subnet-"},
		{name: "number in list", props: vpc(obj([]any{sg}, []any{12345678})), property: "VpcConfig.Subnets[0]", message: "must be a string, got a number"},
		{name: "character IAM refuses", props: vpc(obj([]any{sg}, []any{"subnet-０123456"})), property: "VpcConfig.Subnets[0]", value: "subnet-０123456", message: "which IAM does not accept in a policy document"},
	})
}
