package policy

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/propfile"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

// grant is one action on one resource under one (encoded) condition.
type grant struct{ action, resource, condition string }

func grantsOf(docs ...iamdoc.Document) map[grant]bool {
	out := map[grant]bool{}
	for _, d := range docs {
		for _, s := range d.Statement {
			cond := ""
			if len(s.Condition) > 0 {
				cond = iamdoc.Document{Statement: []iamdoc.Statement{{Condition: s.Condition}}}.String()
			}
			for _, a := range s.Action {
				for _, r := range s.Resource {
					out[grant{a, r, cond}] = true
				}
			}
		}
	}
	return out
}

func inlineGrants(r iamdoc.Role) map[grant]bool {
	var docs []iamdoc.Document
	for _, p := range r.Policies {
		docs = append(docs, p.PolicyDocument)
	}
	return grantsOf(docs...)
}

func cond(c iamdoc.Condition) string {
	return iamdoc.Document{Statement: []iamdoc.Statement{{Condition: c}}}.String()
}

// Reference statements, written out from ../shared/reference/sms-security-permission-execution-role.md with the
// declared resources substituted and its errata fixed (SNS actions on SNS topic ARNs, the partition derived).
// Beyond the reference, every S3 grant holds only for buckets of the role's account (s3:ResourceAccount).
func referenceS3(p string, buckets, objects []string) []grant {
	var g []grant
	own := cond(iamdoc.Condition{"StringEquals": {"s3:ResourceAccount": {"123456789012"}}})
	for _, b := range buckets {
		for _, a := range []string{"s3:ListBucket", "s3:GetBucketLocation"} {
			g = append(g, grant{a, "arn:" + p + ":s3:::" + b, own})
		}
	}
	for _, o := range objects {
		for _, a := range []string{"s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"} {
			g = append(g, grant{a, "arn:" + p + ":s3:::" + o, own})
		}
	}
	for _, a := range []string{"cloudwatch:PutMetricData", "logs:CreateLogStream", "logs:CreateLogGroup", "logs:DescribeLogStreams", "logs:PutLogEvents"} {
		g = append(g, grant{a, "*", ""})
	}
	return g
}

// Its fixes: the queue only in the input topic's region (not sqs:*:…), no sqs:SendMessageBatch (not an IAM
// action), sns:Unsubscribe on * (it takes a subscription ARN), the tagged objects only in the role's account.
func referenceStreaming(p, region, account string, topics []string) []grant {
	queue := "arn:" + p + ":sqs:" + region + ":" + account + ":*GroundTruth*"
	g := []grant{{"s3:GetObject", "*", cond(iamdoc.Condition{"StringEqualsIgnoreCase": {"s3:ExistingObjectTag/SageMaker": {"true"}}, "StringEquals": {"s3:ResourceAccount": {account}}})}}
	for _, a := range []string{"sqs:CreateQueue", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ReceiveMessage", "sqs:SendMessage", "sqs:SetQueueAttributes"} {
		g = append(g, grant{a, queue, ""})
	}
	subscribe := cond(iamdoc.Condition{"StringEquals": {"sns:Protocol": {"sqs"}}, "StringLike": {"sns:Endpoint": {queue}}})
	for _, t := range topics {
		g = append(g, grant{"sns:Subscribe", t, subscribe}, grant{"sns:Publish", t, ""})
	}
	return append(g, grant{"sns:Unsubscribe", "*", ""})
}

// vpcInterfaces are the network-interface grants of a VPC role: each action only on interfaces in the subnets.
func vpcInterfaces(ec2 string, subnets ...string) []grant {
	var arns iamdoc.Strings
	for _, s := range subnets {
		arns = append(arns, ec2+"subnet/"+s)
	}
	c := cond(iamdoc.Condition{"ArnEquals": {"ec2:Subnet": arns}})
	var g []grant
	for _, a := range []string{"ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface", "ec2:DeleteNetworkInterfacePermission"} {
		g = append(g, grant{a, ec2 + "network-interface/*", c})
	}
	return g
}

// vpcDescribe are the EC2 Describe actions a VPC role holds on "*", as they take no resource.
func vpcDescribe() []grant {
	var g []grant
	for _, a := range []string{"ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs"} {
		g = append(g, grant{a, "*", ""})
	}
	return g
}

func TestScenariosGrantExactlyTheReference(t *testing.T) {
	const account = "123456789012"
	key1 := "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	key2 := "arn:aws:kms:us-east-1:123456789012:key/0987dcba-09fe-87dc-65ba-ab0987654321"
	keyUse := func(keys ...string) []grant {
		var g []grant
		for _, k := range keys {
			for _, a := range []string{"kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"} {
				g = append(g, grant{a, k, ""})
			}
		}
		return g
	}
	tests := []struct {
		scenario, region, name string
		want                   []grant
	}{
		{
			scenario: "non-streaming", region: "us-east-1", name: "GroundTruthExecutionRole",
			want: referenceS3("aws", []string{"my-gt-input", "my-gt-output"}, []string{"my-gt-input/*", "my-gt-output/labels/*"}),
		},
		{
			scenario: "streaming", region: "us-east-1", name: "GroundTruthExecutionRole",
			want: slices.Concat(
				referenceS3("aws", []string{"my-gt-input", "my-gt-output"}, []string{"my-gt-input/*", "my-gt-output/*"}),
				referenceStreaming("aws", "us-east-1", account, []string{"arn:aws:sns:us-east-1:123456789012:gt-input-topic", "arn:aws:sns:us-east-1:123456789012:gt-output-topic"}),
			),
		},
		{
			scenario: "custom-workflow", region: "us-east-1", name: "GroundTruthExecutionRole",
			want: slices.Concat(
				referenceS3("aws", []string{"my-gt-input", "my-gt-output"}, []string{"my-gt-input/*", "my-gt-output/*"}),
				[]grant{
					{"lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function:gt-pre-annotation", ""},
					{"lambda:InvokeFunction", "arn:aws:lambda:us-east-1:123456789012:function:gt-post-annotation", ""},
				},
			),
		},
		{
			scenario: "automated-labeling", region: "us-east-1", name: "gt-auto-labeling",
			want: slices.Concat(
				referenceS3("aws", []string{"my-gt-input", "my-gt-output"}, []string{"my-gt-input/*", "my-gt-output/*"}),
				[]grant{
					{"iam:PassRole", "arn:aws:iam::123456789012:role/groundtruth/gt-auto-labeling", cond(iamdoc.Condition{"StringEquals": {"iam:PassedToService": {"sagemaker.amazonaws.com"}}})},
					{"kms:CreateGrant", key1, cond(iamdoc.Condition{"Bool": {"kms:GrantIsForAWSResource": {"true"}}})},
				},
				keyUse(key1),
			),
		},
		{
			// EC2 resource types and condition keys per the Service Authorization Reference for Amazon EC2; the actions
			// as SageMaker lists them for jobs in a VPC.
			scenario: "vpc", region: "us-east-1", name: "gt-auto-labeling-vpc",
			want: slices.Concat(
				referenceS3("aws", []string{"my-gt-input", "my-gt-output"}, []string{"my-gt-input/*", "my-gt-output/*"}),
				[]grant{
					{"iam:PassRole", "arn:aws:iam::123456789012:role/groundtruth/gt-auto-labeling-vpc", cond(iamdoc.Condition{"StringEquals": {"iam:PassedToService": {"sagemaker.amazonaws.com"}}})},
					{"ec2:CreateNetworkInterface", "arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0123456789abcdef0", ""},
					{"ec2:CreateNetworkInterface", "arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0fedcba9876543210", ""},
					{"ec2:CreateNetworkInterface", "arn:aws:ec2:us-east-1:123456789012:security-group/sg-0123456789abcdef0", ""},
					// The new interface: the SAR gives it no ec2:Subnet key, so it is granted without a condition.
					{"ec2:CreateNetworkInterface", "arn:aws:ec2:us-east-1:123456789012:network-interface/*", ""},
				},
				vpcInterfaces("arn:aws:ec2:us-east-1:123456789012:", "subnet-0123456789abcdef0", "subnet-0fedcba9876543210"),
				vpcDescribe(),
			),
		},
		{
			scenario: "kms", region: "us-east-1", name: "GroundTruthExecutionRole",
			want: slices.Concat(
				referenceS3("aws", []string{"my-gt-input", "my-gt-output"}, []string{"my-gt-input/*", "my-gt-output/*"}),
				keyUse(key1, key2),
			),
		},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			role := buildScenario(t, tt.scenario, tt.region, tt.name)
			got := inlineGrants(role)
			want := map[grant]bool{}
			for _, g := range tt.want {
				want[g] = true
				if !got[g] {
					t.Errorf("missing grant %s on %s (condition %s)", g.action, g.resource, g.condition)
				}
			}
			for g := range got {
				if !want[g] {
					t.Errorf("grant beyond the reference: %s on %s (condition %s)", g.action, g.resource, g.condition)
				}
			}
			if n := len(role.AssumeRolePolicyDocument.Statement); n != 1 {
				t.Fatalf("trust policy has %d statements, want 1", n)
			}
			st := role.AssumeRolePolicyDocument.Statement[0]
			if st.Principal == nil || !slices.Equal(st.Principal.Service, iamdoc.Strings{"sagemaker.amazonaws.com"}) || !slices.Equal(st.Action, iamdoc.Strings{"sts:AssumeRole"}) {
				t.Errorf("trust statement = %+v, want sagemaker.amazonaws.com sts:AssumeRole", st)
			}
		})
	}
}

func buildScenario(t testing.TB, scenario, region, name string) iamdoc.Role {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("../../test/testdata/properties", scenario+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	props, err := propfile.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	partition := spec.PartitionOf(region)
	settings, err := spec.SettingsFromEnv(func(string) string { return "" }, partition)
	if err != nil {
		t.Fatal(err)
	}
	s, err := spec.Parse(props, spec.Target{Account: "123456789012", Region: region, Settings: settings})
	if err != nil {
		t.Fatal(err)
	}
	if s.RoleName != "" {
		name = s.RoleName
	}
	r, err := Build(s, Scope{Account: "123456789012", Partition: partition, Region: region}, name)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestBuildPartitions(t *testing.T) {
	for _, region := range []string{"us-east-1", "cn-north-1", "us-gov-west-1", "us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1", "eusc-de-east-1"} {
		p := spec.PartitionOf(region)
		if p == "" || p == "aws" && region != "us-east-1" {
			t.Fatalf("%s: partition %q", region, p)
		}
		s := spec.Spec{
			Path:                    "/groundtruth/",
			InputBuckets:            []spec.S3Location{{Bucket: "in-bucket"}},
			OutputBuckets:           []spec.S3Location{{Bucket: "out-bucket", Prefix: "out/"}},
			StreamingInputTopicArns: []string{fmt.Sprintf("arn:%s:sns:%s:123456789012:t", p, region)},
			AutomatedLabeling:       true,
			UseManagedPolicy:        true,
		}
		r, err := Build(s, Scope{Account: "123456789012", Partition: p}, "r")
		if err != nil {
			t.Fatal(err)
		}
		for g := range inlineGrants(r) {
			if g.resource != "*" && !hasPrefix(g.resource, "arn:"+p+":") {
				t.Errorf("%s: %s on %s is not in partition %s", region, g.action, g.resource, p)
			}
		}
		if want := "arn:" + p + ":iam::aws:policy/AmazonSageMakerGroundTruthExecution"; !slices.Equal(r.ManagedPolicyArns, []string{want}) {
			t.Errorf("%s: managed = %v, want %s", region, r.ManagedPolicyArns, want)
		}
		if got := r.AssumeRolePolicyDocument.Statement[0].Principal.Service; !slices.Equal(got, iamdoc.Strings{"sagemaker.amazonaws.com"}) {
			t.Errorf("%s: principal %v", region, got)
		}
	}
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

func TestConfusedDeputyProtection(t *testing.T) {
	s := spec.Spec{Path: "/", OutputBuckets: []spec.S3Location{{Bucket: "out-bucket"}}}
	scope := Scope{Account: "123456789012", Partition: "aws"}
	plain, _ := Build(s, scope, "r")
	if c := plain.AssumeRolePolicyDocument.Statement[0].Condition; c != nil {
		t.Errorf("condition without protection: %v", c)
	}
	s.ConfusedDeputyProtection = true
	guarded, _ := Build(s, scope, "r")
	want := iamdoc.Condition{"StringEquals": {"aws:SourceAccount": {"123456789012"}}}
	if got := guarded.AssumeRolePolicyDocument.Statement[0].Condition; cond(got) != cond(want) {
		t.Errorf("condition = %v, want %v", got, want)
	}
}

func TestBuildOmitsUnusedPolicies(t *testing.T) {
	s := spec.Spec{Path: "/groundtruth/", InputBuckets: []spec.S3Location{{Bucket: "in-bucket"}}, OutputBuckets: []spec.S3Location{{Bucket: "in-bucket"}}}
	r, err := Build(s, Scope{Account: "123456789012", Partition: "aws"}, "r")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range r.Policies {
		names = append(names, p.PolicyName)
	}
	if want := []string{PolicyCloudWatch, PolicyS3}; !slices.Equal(names, want) {
		t.Errorf("policies = %v, want %v", names, want)
	}
	if r.ManagedPolicyArns != nil || r.Tags != nil {
		t.Errorf("unexpected managed %v / tags %v", r.ManagedPolicyArns, r.Tags)
	}
	// The same bucket as input and output is granted once.
	if got := r.Policies[1].PolicyDocument.Statement[0].Resource; !slices.Equal(got, iamdoc.Strings{"arn:aws:s3:::in-bucket"}) {
		t.Errorf("bucket resources = %v", got)
	}
}

// TestPostAnnotationTrust checks the second trust statement: exactly the declared roles, sts:AssumeRole, no other.
func TestPostAnnotationTrust(t *testing.T) {
	roles := []string{"arn:aws:iam::123456789012:role/b", "arn:aws:iam::123456789012:role/service-role/a"}
	s := spec.Spec{Path: "/", OutputBuckets: []spec.S3Location{{Bucket: "out-bucket"}}, PostAnnotationLambdaRoleArns: roles}
	r, err := Build(s, Scope{Account: "123456789012", Partition: "aws"}, "r")
	if err != nil {
		t.Fatal(err)
	}
	st := r.AssumeRolePolicyDocument.Statement
	if len(st) != 2 || st[1].Principal == nil || !slices.Equal(st[1].Principal.AWS, iamdoc.Strings{roles[0], roles[1]}) ||
		len(st[1].Principal.Service) != 0 || !slices.Equal(st[1].Action, iamdoc.Strings{"sts:AssumeRole"}) || st[1].Condition != nil {
		t.Errorf("trust = %s, want SageMaker's statement and one letting %v assume the role", r.AssumeRolePolicyDocument, roles)
	}
	s.PostAnnotationLambdaRoleArns = nil
	if r, _ := Build(s, Scope{Account: "123456789012", Partition: "aws"}, "r"); len(r.AssumeRolePolicyDocument.Statement) != 1 {
		t.Errorf("trust without post-annotation roles = %s", r.AssumeRolePolicyDocument)
	}
}

// TestS3StatementsNameTheResourceAccounts checks the data perimeter of S3: every S3 statement, the tagged-object
// one included, holds only for buckets of the spec's resource accounts (the role's own when none is given).
func TestS3StatementsNameTheResourceAccounts(t *testing.T) {
	for _, tt := range []struct {
		accounts []string
		want     iamdoc.Strings
	}{
		{nil, iamdoc.Strings{"123456789012"}},
		{[]string{"444455556666", "123456789012"}, iamdoc.Strings{"123456789012", "444455556666"}},
	} {
		s := spec.Spec{Path: "/", InputBuckets: []spec.S3Location{{Bucket: "lake"}}, OutputBuckets: []spec.S3Location{{Bucket: "out-bucket"}},
			StreamingInputTopicArns: []string{"arn:aws:sns:us-east-1:123456789012:t"}, ResourceAccounts: tt.accounts}
		r, err := Build(s, Scope{Account: "123456789012", Partition: "aws"}, "r")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, p := range r.Policies {
			for _, st := range p.PolicyDocument.Statement {
				if !slices.ContainsFunc(st.Action, func(a string) bool { return hasPrefix(a, "s3:") }) {
					continue
				}
				n++
				if got := st.Condition["StringEquals"]["s3:ResourceAccount"]; !slices.Equal(got, tt.want) {
					t.Errorf("%s: s3:ResourceAccount = %v, want %v", st.Sid, got, tt.want)
				}
			}
		}
		if n != 3 {
			t.Errorf("%d S3 statements, want 3 (buckets, objects, tagged objects)", n)
		}
	}
}
