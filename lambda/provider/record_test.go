package provider

import (
	"fmt"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/policy"
	"github.com/gtrole/groundtruth-execution-role/lambda/record"
	"github.com/gtrole/groundtruth-execution-role/lambda/trustpolicy"
)

// The largest role the generator makes fits IAM's tag limits: every inline policy and 20 managed policies, IAM's
// highest quota of attached managed policies per role. (Moved from lambda/record, which does not link policy.)
func TestLargestRoleFits(t *testing.T) {
	r := iamdoc.Role{
		RoleName:                 "r",
		Description:              "labeling",
		Tags:                     []iamdoc.Tag{{Key: "team", Value: "vision"}, {Key: "cost-center", Value: "42"}},
		AssumeRolePolicyDocument: trustpolicy.For("123456789012", true, nil),
		PermissionsBoundary:      "arn:aws:iam::123456789012:policy/b",
		MaxSessionDuration:       43200,
	}
	for _, n := range []string{policy.PolicyS3, policy.PolicyCloudWatch, policy.PolicyStreaming, policy.PolicyLambda,
		policy.PolicyKMS, policy.PolicyAutomatedLabeling} {
		r.Policies = append(r.Policies, iamdoc.InlinePolicy{PolicyName: n, PolicyDocument: r.AssumeRolePolicyDocument})
	}
	for i := range 20 {
		r.ManagedPolicyArns = append(r.ManagedPolicyArns, fmt.Sprintf("arn:aws:iam::123456789012:policy/p%d", i))
	}
	tags, err := record.Of(r).Encode()
	if err != nil {
		t.Fatal(err)
	}
	if len(tags) != contract.RecordTags {
		t.Fatalf("Encode gave %d tags, want %d", len(tags), contract.RecordTags)
	}
	for k, v := range tags {
		if len(v) > 256 {
			t.Errorf("%s is %d characters", k, len(v))
		}
	}
}
