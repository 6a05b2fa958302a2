package spec_test

import (
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

func TestCrossPropertyRules(t *testing.T) {
	const topic = "arn:aws:sns:us-east-1:123456789012:gt-in"
	const key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	const outputRequired = "is required: Ground Truth writes its output to S3"
	const inputRequired = "is required unless StreamingInputTopicArns is set"
	runCases(t, []problemCase{
		{name: "output absent", props: map[string]any{"OutputBuckets": absent}, property: "OutputBuckets", message: outputRequired},
		{name: "output null", props: map[string]any{"OutputBuckets": nil}, property: "OutputBuckets", message: outputRequired},
		{name: "output empty list", props: map[string]any{"OutputBuckets": []any{}}, property: "OutputBuckets", message: outputRequired},
		{name: "output empty string", props: map[string]any{"OutputBuckets": ""}, property: "OutputBuckets", message: outputRequired},
		{name: "output required even when streaming", props: map[string]any{"OutputBuckets": absent, "StreamingInputTopicArns": []any{topic}}, property: "OutputBuckets", message: outputRequired},
		{name: "invalid output is not also missing", props: map[string]any{"OutputBuckets": []any{"Bad_Bucket"}}, property: "OutputBuckets[0]", value: "Bad_Bucket", message: "is not a valid S3 bucket name"},
		{name: "input absent", props: map[string]any{"InputBuckets": absent}, property: "InputBuckets", message: inputRequired},
		{name: "input empty list", props: map[string]any{"InputBuckets": []any{}}, property: "InputBuckets", message: inputRequired},
		{name: "input empty list with empty topics", props: map[string]any{"InputBuckets": []any{}, "StreamingInputTopicArns": []any{}}, property: "InputBuckets", message: inputRequired},
		{name: "invalid input is not also missing", props: map[string]any{"InputBuckets": []any{"Bad_Bucket"}}, property: "InputBuckets[0]", value: "Bad_Bucket", message: "is not a valid S3 bucket name"},
		{name: "streaming needs no input bucket", props: map[string]any{"InputBuckets": absent, "StreamingInputTopicArns": []any{topic}}, check: func(t *testing.T, s spec.Spec) {
			if !s.Streaming() || len(s.InputBuckets) != 0 {
				t.Errorf("Streaming() = %v, InputBuckets = %v", s.Streaming(), s.InputBuckets)
			}
		}},
		{name: "invalid topic is not also a missing input", props: map[string]any{"InputBuckets": absent, "StreamingInputTopicArns": []any{"nope"}}, property: "StreamingInputTopicArns[0]", value: "nope", message: "is not an ARN"},
		{name: "output topic without input topic", props: map[string]any{"StreamingOutputTopicArns": []any{topic}}, property: "StreamingOutputTopicArns", message: "needs StreamingInputTopicArns"},
		{name: "output topic with input topic", props: map[string]any{"StreamingInputTopicArns": []any{topic}, "StreamingOutputTopicArns": []any{topic + "-out"}}, check: func(t *testing.T, s spec.Spec) {
			if len(s.StreamingOutputTopicArns) != 1 {
				t.Errorf("StreamingOutputTopicArns = %v", s.StreamingOutputTopicArns)
			}
		}},
		{name: "not streaming", check: func(t *testing.T, s spec.Spec) {
			if s.Streaming() {
				t.Error("Streaming() = true without input topics")
			}
		}},
		{name: "volume keys without automated labeling", props: map[string]any{"VolumeKmsKeyArns": []any{key}}, property: "VolumeKmsKeyArns", message: "set AutomatedLabeling to true or remove VolumeKmsKeyArns"},
		{name: "volume keys with automated labeling false", props: map[string]any{"VolumeKmsKeyArns": []any{key}, "AutomatedLabeling": "false"}, property: "VolumeKmsKeyArns", message: "set AutomatedLabeling to true"},
		{name: "volume keys with automated labeling", props: map[string]any{"VolumeKmsKeyArns": []any{key}, "AutomatedLabeling": "true"}, check: func(t *testing.T, s spec.Spec) {
			if !s.AutomatedLabeling || len(s.VolumeKmsKeyArns) != 1 {
				t.Errorf("AutomatedLabeling = %v, VolumeKmsKeyArns = %v", s.AutomatedLabeling, s.VolumeKmsKeyArns)
			}
		}},
		{name: "automated labeling without volume keys", props: map[string]any{"AutomatedLabeling": "true"}},
	})
}
