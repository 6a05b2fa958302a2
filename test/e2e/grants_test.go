package e2e

import (
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/policy"
	"github.com/gtrole/groundtruth-execution-role/test/harness"
	"github.com/gtrole/groundtruth-execution-role/test/iamauthz"
	"github.com/gtrole/groundtruth-execution-role/test/moto"
)

// TestVpcRoleCanCreateNetworkInterfaces makes the VPC scenario's role through the compiled provider and asks the
// test IAM, with the statements IAM then holds, what SageMaker's training and inference jobs will ask of EC2:
// CreateNetworkInterface, authorized on the new interface, the subnet and each security group, must be allowed in
// every declared subnet with the declared group, and in no other subnet or with no other group; the interface
// actions only on interfaces in the declared subnets.
func TestVpcRoleCanCreateNetworkInterfaces(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	p := harness.Props(t, "vpc")
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: p}))
	role, err := h.Describe(t.Context(), "gt-auto-labeling-vpc")
	if err != nil {
		t.Fatal(err)
	}
	var docs []iamdoc.Document
	for _, ip := range role.Policies {
		docs = append(docs, ip.PolicyDocument)
	}
	holds, err := iamauthz.NewPolicy(docs...)
	if err != nil {
		t.Fatal(err)
	}
	n := iamauthz.Network{Partition: "aws", Account: moto.AccountID, Region: moto.Region, Vpc: "vpc-0123456789abcdef0", AvailabilityZone: "us-east-1a"}
	const group, eni = "sg-0123456789abcdef0", "eni-0123456789abcdef0"
	for _, subnet := range []string{"subnet-0123456789abcdef0", "subnet-0fedcba9876543210"} {
		if d, denied := holds.DecideAll(iamauthz.CreateNetworkInterface(n, subnet, group)); !d.Allowed {
			t.Errorf("CreateNetworkInterface in %s with %s is denied on %s (context %v)", subnet, group, denied.Resource, denied.Context)
		}
		for _, action := range []string{"ec2:DeleteNetworkInterface", "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterfacePermission"} {
			if r := iamauthz.OnNetworkInterface(n, action, eni, subnet); !holds.Decide(r).Allowed {
				t.Errorf("%s on an interface in %s is denied", action, subnet)
			}
		}
	}
	const otherSubnet, otherGroup = "subnet-00000000000000000", "sg-00000000000000000"
	if d, _ := holds.DecideAll(iamauthz.CreateNetworkInterface(n, otherSubnet, group)); d.Allowed {
		t.Errorf("CreateNetworkInterface in the undeclared %s is allowed", otherSubnet)
	}
	if d, _ := holds.DecideAll(iamauthz.CreateNetworkInterface(n, "subnet-0123456789abcdef0", group, otherGroup)); d.Allowed {
		t.Errorf("CreateNetworkInterface with the undeclared %s is allowed", otherGroup)
	}
	if r := iamauthz.OnNetworkInterface(n, "ec2:DeleteNetworkInterface", eni, otherSubnet); holds.Decide(r).Allowed {
		t.Errorf("DeleteNetworkInterface on an interface in the undeclared %s is allowed", otherSubnet)
	}
}

// TestCrossAccountARNsAreRefused sends, under the default provider settings, Creates whose Lambda functions, topics
// and keys are another account's: each fails naming the property, the value and ALLOWED_RESOURCE_ACCOUNTS, and no
// IAM write happens. With the account allowed, the same Create succeeds and the S3 statements hold only for
// buckets of the two accounts.
func TestCrossAccountARNsAreRefused(t *testing.T) {
	t.Parallel()
	const other = "999988887777"
	collector := "arn:aws:lambda:us-east-1:" + other + ":function:collector"
	topic := "arn:aws:sns:us-east-1:" + other + ":labels"
	key := "arn:aws:kms:us-east-1:" + other + ":key/1234abcd-12ab-34cd-56ef-1234567890ab"
	base := harness.Props(t, "non-streaming")
	ownTopic := []any{"arn:aws:sns:us-east-1:" + moto.AccountID + ":gt-input"}
	cases := []struct {
		name, property, value string
		props                 map[string]any
	}{
		{"pre-annotation Lambda", "PreAnnotationLambdaArns[0]", collector, harness.With(base, "PreAnnotationLambdaArns", []any{collector})},
		{"post-annotation Lambda", "PostAnnotationLambdaArns[0]", collector, harness.With(base, "PostAnnotationLambdaArns", []any{collector})},
		{"streaming output topic", "StreamingOutputTopicArns[0]", topic, harness.With(base, "StreamingInputTopicArns", ownTopic, "StreamingOutputTopicArns", []any{topic})},
		{"KMS key", "KmsKeyArns[0]", key, harness.With(base, "KmsKeyArns", []any{key})},
		{"post-annotation role", "PostAnnotationLambdaRoleArns[0]", "arn:aws:iam::" + other + ":role/collector",
			harness.With(base, "PostAnnotationLambdaArns", []any{"arn:aws:lambda:us-east-1:" + moto.AccountID + ":function:post"}, "PostAnnotationLambdaRoleArns", []any{"arn:aws:iam::" + other + ":role/collector"})},
	}
	t.Run("default settings", func(t *testing.T) {
		h, rt := fresh(t, 30*time.Second)
		for _, c := range cases {
			r := mustFail(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: c.props}), c.property, c.value, "ALLOWED_RESOURCE_ACCOUNTS")
			mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: r.PhysicalResourceID, Props: c.props}))
		}
		if w := h.Proxy.WriteCalls(); len(w) != 0 {
			t.Errorf("cross-account properties reached IAM: %v", w)
		}
	})
	t.Run("account allowed", func(t *testing.T) {
		env := "ALLOWED_RESOURCE_ACCOUNTS=" + other
		h, rt := fresh(t, 30*time.Second, env)
		p := harness.With(cases[0].props, "RoleName", "gt-data-lake", "KmsKeyArns", []any{key})
		mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: p}))
		role := assertRole(t, h, desired(t, p, "gt-data-lake", env))
		for _, ip := range role.Policies {
			for _, st := range ip.PolicyDocument.Statement {
				if ip.PolicyName != policy.PolicyS3 {
					continue
				}
				if got := st.Condition["StringEquals"]["s3:ResourceAccount"]; len(got) != 2 || got[0] != moto.AccountID || got[1] != other {
					t.Errorf("%s: s3:ResourceAccount = %v, want [%s %s]", st.Sid, got, moto.AccountID, other)
				}
			}
		}
	})
}
