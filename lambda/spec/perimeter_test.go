package spec_test

import (
	"slices"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

// dataLake is an account a provider operator allows besides the role's own (ALLOWED_RESOURCE_ACCOUNTS).
const (
	dataLake = "444455556666"
	stranger = "999988887777"
)

func targetWith(t *testing.T, env map[string]string) *spec.Target {
	t.Helper()
	s, err := spec.SettingsFromEnv(func(k string) string { return env[k] }, "aws")
	if err != nil {
		t.Fatal(err)
	}
	return &spec.Target{Account: testAccount, Region: "us-east-1", Settings: s}
}

// TestDataPerimeter checks that every ARN-bearing property names only resources of the role's account, unless the
// provider's ALLOWED_RESOURCE_ACCOUNTS adds an account, and that the reason names the property, the value and the
// setting.
func TestDataPerimeter(t *testing.T) {
	lake := targetWith(t, map[string]string{contract.EnvAllowedResourceAccounts: " " + dataLake + " ,"})
	const outside = "is in account " + stranger + ", outside the role's account " + testAccount + " and the provider's ALLOWED_RESOURCE_ACCOUNTS"
	fn := "arn:aws:lambda:us-east-1:" + stranger + ":function:collector"
	topic := "arn:aws:sns:us-east-1:" + stranger + ":gt-out"
	key := "arn:aws:kms:us-east-1:" + stranger + ":key/1234abcd-12ab-34cd-56ef-1234567890ab"
	in := []any{"arn:aws:sns:us-east-1:" + testAccount + ":gt-in"}
	runCases(t, []problemCase{
		{name: "pre-annotation Lambda of another account", props: map[string]any{"PreAnnotationLambdaArns": []any{fn}},
			property: "PreAnnotationLambdaArns[0]", value: fn, message: outside + " (none set)"},
		{name: "post-annotation Lambda of another account", props: map[string]any{"PostAnnotationLambdaArns": []any{fn}},
			property: "PostAnnotationLambdaArns[0]", value: fn, message: outside},
		{name: "input topic of another account", props: map[string]any{"StreamingInputTopicArns": []any{topic}},
			property: "StreamingInputTopicArns[0]", value: topic, message: outside},
		{name: "output topic of another account", props: map[string]any{"StreamingInputTopicArns": in, "StreamingOutputTopicArns": []any{topic}},
			property: "StreamingOutputTopicArns[0]", value: topic, message: outside},
		{name: "KMS key of another account", props: map[string]any{"KmsKeyArns": []any{key}},
			property: "KmsKeyArns[0]", value: key, message: outside},
		{name: "volume key of another account", props: map[string]any{"AutomatedLabeling": true, "VolumeKmsKeyArns": []any{key}},
			property: "VolumeKmsKeyArns[0]", value: key, message: outside},
		{name: "a data-lake account the setting does not list", target: lake, props: map[string]any{"KmsKeyArns": []any{key}},
			property: "KmsKeyArns[0]", value: key, message: outside + " (" + dataLake + ")"},
		{name: "the data-lake account the setting allows", target: lake,
			props: map[string]any{
				"KmsKeyArns":              []any{"arn:aws:kms:us-east-1:" + dataLake + ":key/1234abcd-12ab-34cd-56ef-1234567890ab"},
				"PreAnnotationLambdaArns": []any{"arn:aws:lambda:us-east-1:" + dataLake + ":function:pre"},
				"StreamingInputTopicArns": []any{"arn:aws:sns:us-east-1:" + dataLake + ":in"},
			},
			check: func(t *testing.T, s spec.Spec) {
				if want := []string{testAccount, dataLake}; !slices.Equal(s.ResourceAccounts, want) {
					t.Errorf("ResourceAccounts = %v, want %v", s.ResourceAccounts, want)
				}
			}},
	})
}

func TestPostAnnotationLambdaRoleArns(t *testing.T) {
	post := map[string]any{"PostAnnotationLambdaArns": []any{"arn:aws:lambda:us-east-1:" + testAccount + ":function:post"}}
	with := func(roles ...any) map[string]any {
		p := map[string]any{"PostAnnotationLambdaRoleArns": roles}
		for k, v := range post {
			p[k] = v
		}
		return p
	}
	lake := targetWith(t, map[string]string{contract.EnvAllowedResourceAccounts: dataLake})
	own := "arn:aws:iam::" + testAccount + ":role/service-role/gt-post"
	runCases(t, []problemCase{
		{name: "roles of the own account, sorted and once", props: with(own, "arn:aws:iam::"+testAccount+":role/a", own),
			check: func(t *testing.T, s spec.Spec) {
				if want := []string{"arn:aws:iam::" + testAccount + ":role/a", own}; !slices.Equal(s.PostAnnotationLambdaRoleArns, want) {
					t.Errorf("PostAnnotationLambdaRoleArns = %v, want %v", s.PostAnnotationLambdaRoleArns, want)
				}
			}},
		{name: "role of another account", props: with("arn:aws:iam::" + stranger + ":role/x"),
			property: "PostAnnotationLambdaRoleArns[0]", value: "arn:aws:iam::" + stranger + ":role/x", message: `is a role of account "` + stranger + `": only roles of the role's own account`},
		{name: "the allowed data-lake account does not widen the trust", target: lake, props: with("arn:aws:iam::" + dataLake + ":role/x"),
			property: "PostAnnotationLambdaRoleArns[0]", value: "arn:aws:iam::" + dataLake + ":role/x", message: "ALLOWED_RESOURCE_ACCOUNTS does not widen that"},
		{name: "wildcard", props: with("arn:aws:iam::" + testAccount + ":role/*"),
			property: "PostAnnotationLambdaRoleArns[0]", value: "arn:aws:iam::" + testAccount + ":role/*", message: "contains a wildcard"},
		{name: "user, not role", props: with("arn:aws:iam::" + testAccount + ":user/x"),
			property: "PostAnnotationLambdaRoleArns[0]", value: "arn:aws:iam::" + testAccount + ":user/x", message: "is not an IAM role ARN"},
		{name: "account root", props: with("arn:aws:iam::" + testAccount + ":root"),
			property: "PostAnnotationLambdaRoleArns[0]", value: "arn:aws:iam::" + testAccount + ":root", message: "is not an IAM role ARN"},
		{name: "other partition", props: with("arn:aws-cn:iam::" + testAccount + ":role/x"),
			property: "PostAnnotationLambdaRoleArns[0]", value: "arn:aws-cn:iam::" + testAccount + ":role/x", message: `is in partition "aws-cn"`},
		{name: "no post-annotation Lambda", props: map[string]any{"PostAnnotationLambdaRoleArns": []any{own}},
			property: "PostAnnotationLambdaRoleArns", message: "needs PostAnnotationLambdaArns"},
	})
}
