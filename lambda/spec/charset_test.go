package spec_test

import "testing"

// TestPolicyCharacterSet checks that every value that reaches a policy document is held to IAM's character set
// before any AWS call, with a message naming the property, the value and the character.
func TestPolicyCharacterSet(t *testing.T) {
	const msg = "which IAM does not accept in a policy document"
	runCases(t, []problemCase{
		{name: "role name", props: map[string]any{"RoleName": "角色"}, property: "RoleName", value: "角色", message: `has the character "角" (U+89D2), ` + msg},
		{name: "path", props: map[string]any{"Path": "/groundtruth/ラベル/"}, property: "Path", value: "/groundtruth/ラベル/", message: `has the character "ラ" (U+30E9), ` + msg},
		{name: "output prefix", props: map[string]any{"OutputBuckets": []any{"my-gt-output/출력/"}}, property: "OutputBuckets[0]", value: "my-gt-output/출력/", message: `has the character "출" (U+CD9C), ` + msg},
		{name: "topic", props: map[string]any{"StreamingInputTopicArns": []any{"arn:aws:sns:us-east-1:123456789012:тема"}}, property: "StreamingInputTopicArns[0]", value: "arn:aws:sns:us-east-1:123456789012:тема", message: `has the character "т" (U+0442), ` + msg},
		{name: "function", props: map[string]any{"PreAnnotationLambdaArns": []any{"arn:aws:lambda:us-east-1:123456789012:function:ƒ"}}, property: "PreAnnotationLambdaArns[0]", value: "arn:aws:lambda:us-east-1:123456789012:function:ƒ", message: `has the character "ƒ" (U+0192), ` + msg},
		{name: "key", props: map[string]any{"KmsKeyArns": []any{"arn:aws:kms:us-east-1:123456789012:key/ключ"}}, property: "KmsKeyArns[0]", value: "arn:aws:kms:us-east-1:123456789012:key/ключ", message: `has the character "к" (U+043A), ` + msg},
		{name: "Latin-1 is IAM's and stays accepted", props: map[string]any{"InputBuckets": []any{"my-gt-input/Bilder über/"}}},
	})
}
