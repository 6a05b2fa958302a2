package spec_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

// arnCase is one value for a list-of-ARNs property; message "" means the value is valid.
type arnCase struct {
	name, value, message string
}

// arnRows checks each value as the second item of property (after first, a valid value), with extra
// properties set so that cross-property rules are satisfied.
func arnRows(t *testing.T, property, first string, extra map[string]any, target *spec.Target, get func(spec.Spec) []string, cases []arnCase) []problemCase {
	t.Helper()
	var rows []problemCase
	for _, c := range cases {
		p := map[string]any{property: []any{first, c.value}}
		for k, v := range extra {
			p[k] = v
		}
		row := problemCase{name: c.name, props: p, target: target}
		if c.message == "" {
			want := []string{first, strings.TrimSpace(c.value)}
			row.check = func(t *testing.T, s spec.Spec) {
				if got := get(s); !slices.Equal(got, want) {
					t.Errorf("%s = %q, want %q", property, got, want)
				}
			}
		} else {
			row.property, row.value, row.message = property+"[1]", shortened(strings.TrimSpace(c.value)), c.message
		}
		rows = append(rows, row)
	}
	return rows
}

func TestTopicArns(t *testing.T) {
	const first = "arn:aws:sns:us-east-1:123456789012:gt-input"
	name256 := strings.Repeat("t", 256)
	cases := []arnCase{
		{"topic", "arn:aws:sns:us-east-1:123456789012:gt-2_b", ""},
		{"other region of the partition", "arn:aws:sns:eu-west-1:123456789012:gt", ""},
		{"other account", "arn:aws:sns:us-east-1:210987654321:gt", "is in account 210987654321, outside the role's account 123456789012 and the provider's ALLOWED_RESOURCE_ACCOUNTS (none set)"},
		{"FIFO topic", "arn:aws:sns:us-east-1:123456789012:gt.fifo", ""},
		{"256-character name", "arn:aws:sns:us-east-1:123456789012:" + name256, ""},
		{"surrounding space trimmed", " arn:aws:sns:us-east-1:123456789012:gt ", ""},
		{"257-character name", "arn:aws:sns:us-east-1:123456789012:" + name256 + "t", "does not name an SNS topic: want arn:aws:sns:REGION:ACCOUNT:TOPIC_NAME"},
		{"dot in name", "arn:aws:sns:us-east-1:123456789012:gt.input", "does not name an SNS topic"},
		{"subscription ARN", "arn:aws:sns:us-east-1:123456789012:gt:0f1e2d3c", "does not name an SNS topic"},
		{"topic name", "gt-input", "is not an ARN: want arn:aws:sns:REGION:ACCOUNT:TOPIC_NAME"},
		{"bare wildcard", "*", "is not an ARN"},
		{"SQS queue (the reference's erratum)", "arn:aws:sqs:us-east-1:123456789012:gt-input", "is not a sns ARN"},
		{"other partition", "arn:aws-cn:sns:cn-north-1:123456789012:gt", `is in partition "aws-cn" but the stack is in partition "aws"`},
		{"region of another partition", "arn:aws:sns:cn-north-1:123456789012:gt", `has region "cn-north-1", which is not a region of partition "aws"`},
		{"GovCloud region", "arn:aws:sns:us-gov-west-1:123456789012:gt", `has region "us-gov-west-1"`},
		{"no region", "arn:aws:sns::123456789012:gt", `has region ""`},
		{"wildcard region", "arn:aws:sns:*:123456789012:gt", "contains a wildcard"},
		{"short account", "arn:aws:sns:us-east-1:12345678901:gt", `has account "12345678901": want a 12-digit account ID`},
		{"no account", "arn:aws:sns:us-east-1::gt", `has account ""`},
		{"wildcard name", "arn:aws:sns:us-east-1:123456789012:*", "contains a wildcard (* or ?)"},
		{"wildcard in name", "arn:aws:sns:us-east-1:123456789012:gt-*", "contains a wildcard"},
		{"question mark", "arn:aws:sns:us-east-1:123456789012:gt-?", "contains a wildcard"},
		{"policy variable", "arn:aws:sns:us-east-1:123456789012:${aws:username}", "contains an IAM policy variable"},
	}
	streamingIn := func(s spec.Spec) []string { return s.StreamingInputTopicArns }
	streamingOut := func(s spec.Spec) []string { return s.StreamingOutputTopicArns }
	t.Run("StreamingInputTopicArns", func(t *testing.T) {
		runCases(t, arnRows(t, "StreamingInputTopicArns", first, nil, nil, streamingIn, cases))
	})
	t.Run("StreamingOutputTopicArns", func(t *testing.T) {
		extra := map[string]any{"StreamingInputTopicArns": []any{first}}
		runCases(t, arnRows(t, "StreamingOutputTopicArns", first, extra, nil, streamingOut, cases))
	})
}

func TestFunctionArns(t *testing.T) {
	const first = "arn:aws:lambda:us-east-1:123456789012:function:gt-pre"
	name64 := strings.Repeat("f", 64)
	cases := []arnCase{
		{"function", "arn:aws:lambda:us-east-1:123456789012:function:gt_Post-2", ""},
		{"alias", "arn:aws:lambda:us-east-1:123456789012:function:gt-post:live", ""},
		{"version", "arn:aws:lambda:us-east-1:123456789012:function:gt-post:7", ""},
		{"$LATEST", "arn:aws:lambda:us-east-1:123456789012:function:gt-post:$LATEST", ""},
		{"64-character name", "arn:aws:lambda:us-west-2:123456789012:function:" + name64, ""},
		{"other account", "arn:aws:lambda:us-east-1:210987654321:function:gt", "is in account 210987654321, outside the role's account"},
		{"65-character name", "arn:aws:lambda:us-east-1:123456789012:function:" + name64 + "f", "does not name a Lambda function: want arn:aws:lambda:REGION:ACCOUNT:function:NAME[:VERSION_OR_ALIAS]"},
		{"two qualifiers", "arn:aws:lambda:us-east-1:123456789012:function:gt:a:b", "does not name a Lambda function"},
		{"empty qualifier", "arn:aws:lambda:us-east-1:123456789012:function:gt:", "does not name a Lambda function"},
		{"layer", "arn:aws:lambda:us-east-1:123456789012:layer:gt:1", "does not name a Lambda function"},
		{"function name", "gt-post", "is not an ARN: want arn:aws:lambda:REGION:ACCOUNT:function:NAME"},
		{"wildcard function", "arn:aws:lambda:us-east-1:123456789012:function:*", "contains a wildcard (* or ?)"},
		{"wildcard qualifier", "arn:aws:lambda:us-east-1:123456789012:function:gt:*", "contains a wildcard"},
		{"policy variable", "arn:aws:lambda:us-east-1:123456789012:function:${aws:username}", "contains an IAM policy variable"},
		{"not Lambda", "arn:aws:states:us-east-1:123456789012:stateMachine:gt", "is not a lambda ARN"},
		{"other partition", "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:gt", `is in partition "aws-us-gov" but the stack is in partition "aws"`},
		{"region of another partition", "arn:aws:lambda:us-gov-west-1:123456789012:function:gt", `has region "us-gov-west-1", which is not a region of partition "aws"`},
		{"malformed region", "arn:aws:lambda:useast1:123456789012:function:gt", `has region "useast1"`},
		{"account with letters", "arn:aws:lambda:us-east-1:12345678901a:function:gt", `has account "12345678901a"`},
	}
	pre := func(s spec.Spec) []string { return s.PreAnnotationLambdaArns }
	post := func(s spec.Spec) []string { return s.PostAnnotationLambdaArns }
	t.Run("PreAnnotationLambdaArns", func(t *testing.T) {
		runCases(t, arnRows(t, "PreAnnotationLambdaArns", first, nil, nil, pre, cases))
	})
	t.Run("PostAnnotationLambdaArns", func(t *testing.T) {
		runCases(t, arnRows(t, "PostAnnotationLambdaArns", first, nil, nil, post, cases))
	})
}

func TestKeyArns(t *testing.T) {
	const first = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	cases := []arnCase{
		{"key", "arn:aws:kms:us-west-2:123456789012:key/0987dcba-09fe-87dc-65ba-ab0987654321", ""},
		{"other account", "arn:aws:kms:us-west-2:210987654321:key/0987dcba-09fe-87dc-65ba-ab0987654321", "is in account 210987654321, outside the role's account"},
		{"multi-Region key", "arn:aws:kms:us-east-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef", ""},
		{"alias ARN", "arn:aws:kms:us-east-1:123456789012:alias/gt-key", "is a KMS alias ARN: IAM authorises use of a key on its key ARN, not an alias"},
		{"AWS managed alias ARN", "arn:aws:kms:us-east-1:123456789012:alias/aws/s3", "is a KMS alias ARN"},
		{"alias name", "alias/gt-key", "is not a KMS key ARN: want arn:aws:kms:REGION:ACCOUNT:key/KEY_ID (a key ID or alias name alone is not enough)"},
		{"key ID", "1234abcd-12ab-34cd-56ef-1234567890ab", "a key ID or alias name alone is not enough"},
		{"upper-case key ID", "arn:aws:kms:us-east-1:123456789012:key/1234ABCD-12AB-34CD-56EF-1234567890AB", "does not name a KMS key: want arn:aws:kms:REGION:ACCOUNT:key/KEY_ID"},
		{"short multi-Region key", "arn:aws:kms:us-east-1:123456789012:key/mrk-0123", "does not name a KMS key"},
		{"no key ID", "arn:aws:kms:us-east-1:123456789012:key/", "does not name a KMS key"},
		{"wildcard key", "arn:aws:kms:us-east-1:123456789012:key/*", "contains a wildcard (* or ?)"},
		{"wildcard alias", "arn:aws:kms:us-east-1:123456789012:alias/*", "contains a wildcard"},
		{"bare wildcard", "*", "is not a KMS key ARN"},
		{"policy variable", "arn:aws:kms:us-east-1:${aws:PrincipalAccount}:key/1234abcd-12ab-34cd-56ef-1234567890ab", "contains an IAM policy variable"},
		{"other partition", "arn:aws-cn:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", `is in partition "aws-cn" but the stack is in partition "aws"`},
		{"region of another partition", "arn:aws:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", `has region "cn-north-1", which is not a region of partition "aws"`},
		{"short account", "arn:aws:kms:us-east-1:1234:key/1234abcd-12ab-34cd-56ef-1234567890ab", `has account "1234"`},
		{"not KMS", "arn:aws:s3:::bucket", "is not a kms ARN"},
	}
	keys := func(s spec.Spec) []string { return s.KmsKeyArns }
	volumeKeys := func(s spec.Spec) []string { return s.VolumeKmsKeyArns }
	t.Run("KmsKeyArns", func(t *testing.T) {
		runCases(t, arnRows(t, "KmsKeyArns", first, nil, nil, keys, cases))
	})
	t.Run("VolumeKmsKeyArns", func(t *testing.T) {
		extra := map[string]any{"AutomatedLabeling": "true"}
		runCases(t, arnRows(t, "VolumeKmsKeyArns", first, extra, nil, volumeKeys, cases))
	})
}

func TestManagedPolicyArns(t *testing.T) {
	const team = "arn:aws:iam::123456789012:policy/gt-extra"
	custom := defaultTarget(t, "us-east-1")
	custom.Settings.AllowedManagedPolicyArns = []string{gtPolicy, team}
	managed := func(s spec.Spec) []string { return s.ManagedPolicyArns }
	rows := arnRows(t, "ManagedPolicyArns", gtPolicy, nil, &custom, managed, []arnCase{
		{"on the allow-list", team, ""},
		{"padded", " " + team + " ", ""},
		{"not on the allow-list", "arn:aws:iam::aws:policy/AdministratorAccess", "is not on this provider's allow-list of managed policies (" + gtPolicy + ", " + team + ")"},
		{"other partition", "arn:aws-cn:iam::aws:policy/AmazonSageMakerGroundTruthExecution", "is not on this provider's allow-list"},
		{"bare wildcard", "*", "is not on this provider's allow-list"},
		{"case differs", strings.Replace(team, "gt-extra", "GT-Extra", 1), "is not on this provider's allow-list"},
	})
	rows = append(rows,
		problemCase{name: "default allow-list", props: map[string]any{"ManagedPolicyArns": []any{gtPolicy}}, check: func(t *testing.T, s spec.Spec) {
			if !slices.Equal(s.ManagedPolicyArns, []string{gtPolicy}) {
				t.Errorf("ManagedPolicyArns = %q", s.ManagedPolicyArns)
			}
		}},
		problemCase{name: "customer policy not on the default list", props: map[string]any{"ManagedPolicyArns": []any{team}}, property: "ManagedPolicyArns[0]", value: team, message: "is not on this provider's allow-list of managed policies (" + gtPolicy + ")"},
	)
	runCases(t, rows)
}

func TestUseManagedPolicy(t *testing.T) {
	noGT := defaultTarget(t, "us-east-1")
	noGT.Settings.AllowedManagedPolicyArns = []string{"arn:aws:iam::123456789012:policy/other"}
	cn := defaultTarget(t, "cn-north-1")
	runCases(t, []problemCase{
		{name: "default allow-list", props: map[string]any{"UseManagedPolicy": "true"}, check: func(t *testing.T, s spec.Spec) {
			if !s.UseManagedPolicy {
				t.Error("UseManagedPolicy = false")
			}
		}},
		{name: "China default allow-list", target: &cn, props: map[string]any{"UseManagedPolicy": "true"}, check: func(t *testing.T, s spec.Spec) {
			if !s.UseManagedPolicy {
				t.Error("UseManagedPolicy = false")
			}
		}},
		{name: "false needs nothing", target: &noGT, props: map[string]any{"UseManagedPolicy": "false"}},
		{name: "not allowed", target: &noGT, props: map[string]any{"UseManagedPolicy": "true"}, property: "UseManagedPolicy", value: "true", message: "needs " + gtPolicy + ", which is not on this provider's allow-list"},
	})
}

// TestTargetPartition checks that every kind of ARN must be in the partition of the target's region.
func TestTargetPartition(t *testing.T) {
	type partitionCase struct {
		region, partition, other string
	}
	for _, pc := range []partitionCase{
		{"us-east-1", "aws", "cn-north-1"},
		{"cn-northwest-1", "aws-cn", "us-east-1"},
		{"us-gov-east-1", "aws-us-gov", "us-east-1"},
		{"us-iso-east-1", "aws-iso", "us-east-1"},
		{"us-isob-east-1", "aws-iso-b", "us-iso-east-1"},
		{"eu-isoe-west-1", "aws-iso-e", "eu-west-1"},
		{"us-isof-south-1", "aws-iso-f", "us-isob-east-1"},
		{"eusc-de-east-1", "aws-eusc", "eu-central-1"},
		{"us-east-1", "aws", "eusc-de-east-1"},
	} {
		t.Run(pc.region, func(t *testing.T) {
			target := defaultTarget(t, pc.region)
			arn := func(partition, region, service, resource string) string {
				return "arn:" + partition + ":" + service + ":" + region + ":" + testAccount + ":" + resource
			}
			const key = "key/1234abcd-12ab-34cd-56ef-1234567890ab"
			p, r := pc.partition, pc.region
			valid := map[string]any{
				"InputBuckets":             []any{"arn:" + p + ":s3:::in-bucket/p/"},
				"OutputBuckets":            []any{"arn:" + p + ":s3:::out-bucket"},
				"StreamingInputTopicArns":  []any{arn(p, r, "sns", "in")},
				"StreamingOutputTopicArns": []any{arn(p, r, "sns", "out")},
				"PreAnnotationLambdaArns":  []any{arn(p, r, "lambda", "function:pre")},
				"PostAnnotationLambdaArns": []any{arn(p, r, "lambda", "function:post:$LATEST")},
				"KmsKeyArns":               []any{arn(p, r, "kms", key)},
				"VolumeKmsKeyArns":         []any{arn(p, r, "kms", key)},
				"AutomatedLabeling":        "true",
				"PermissionsBoundary":      "arn:" + p + ":iam::" + testAccount + ":policy/boundary",
				"ManagedPolicyArns":        []any{"arn:" + p + ":iam::aws:policy/AmazonSageMakerGroundTruthExecution"},
				"UseManagedPolicy":         "true",
			}
			mustParse(t, valid, target)

			op := spec.PartitionOf(pc.other)
			wrongPartition := `is in partition "` + op + `" but the stack is in partition "` + p + `"`
			wrongRegion := `has region "` + pc.other + `", which is not a region of partition "` + p + `"`
			rows := []problemCase{
				{name: "bucket ARN", props: map[string]any{"InputBuckets": []any{"arn:" + op + ":s3:::in-bucket"}}, property: "InputBuckets[0]", value: "arn:" + op + ":s3:::in-bucket", message: wrongPartition},
				{name: "topic partition", props: map[string]any{"StreamingInputTopicArns": []any{arn(op, pc.other, "sns", "in")}}, property: "StreamingInputTopicArns[0]", value: arn(op, pc.other, "sns", "in"), message: wrongPartition},
				{name: "topic region", props: map[string]any{"StreamingInputTopicArns": []any{arn(p, pc.other, "sns", "in")}}, property: "StreamingInputTopicArns[0]", value: arn(p, pc.other, "sns", "in"), message: wrongRegion},
				{name: "function partition", props: map[string]any{"PreAnnotationLambdaArns": []any{arn(op, pc.other, "lambda", "function:f")}}, property: "PreAnnotationLambdaArns[0]", value: arn(op, pc.other, "lambda", "function:f"), message: wrongPartition},
				{name: "function region", props: map[string]any{"PostAnnotationLambdaArns": []any{arn(p, pc.other, "lambda", "function:f")}}, property: "PostAnnotationLambdaArns[0]", value: arn(p, pc.other, "lambda", "function:f"), message: wrongRegion},
				{name: "key partition", props: map[string]any{"KmsKeyArns": []any{arn(op, pc.other, "kms", key)}}, property: "KmsKeyArns[0]", value: arn(op, pc.other, "kms", key), message: wrongPartition},
				{name: "key region", props: map[string]any{"KmsKeyArns": []any{arn(p, pc.other, "kms", key)}}, property: "KmsKeyArns[0]", value: arn(p, pc.other, "kms", key), message: wrongRegion},
				{name: "boundary partition", props: map[string]any{"PermissionsBoundary": "arn:" + op + ":iam::" + testAccount + ":policy/b"}, property: "PermissionsBoundary", value: "arn:" + op + ":iam::" + testAccount + ":policy/b", message: wrongPartition},
				{name: "managed policy partition", props: map[string]any{"ManagedPolicyArns": []any{"arn:" + op + ":iam::aws:policy/AmazonSageMakerGroundTruthExecution"}}, property: "ManagedPolicyArns[0]", value: "arn:" + op + ":iam::aws:policy/AmazonSageMakerGroundTruthExecution", message: "is not on this provider's allow-list"},
			}
			for i := range rows {
				rows[i].target = &target
			}
			runCases(t, rows)
		})
	}
}
