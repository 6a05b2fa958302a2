package policy

import (
	"slices"

	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

// streamingStatements are the reference's streaming statements with its errata fixed: the SNS actions name SNS
// topic ARNs (not arn:aws:sqs), and the Ground Truth queue lives in the role's own account and partition.
func streamingStatements(s spec.Spec, scope Scope) []Statement {
	if !s.Streaming() {
		return nil
	}
	queues := "arn:" + scope.Partition + ":sqs:*:" + scope.Account + ":*GroundTruth*"
	topics := NewStrings(slices.Concat(s.StreamingInputTopicArns, s.StreamingOutputTopicArns)...)
	return []Statement{
		{
			Sid:    "StreamingQueue",
			Effect: Allow,
			Action: NewStrings("sqs:CreateQueue", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
				"sqs:ReceiveMessage", "sqs:SendMessage", "sqs:SendMessageBatch", "sqs:SetQueueAttributes"),
			Resource: NewStrings(queues),
		},
		{
			Sid:      "StreamingTopicSubscribe",
			Effect:   Allow,
			Action:   NewStrings("sns:Subscribe"),
			Resource: topics,
			Condition: Condition{
				"StringEquals": {"sns:Protocol": NewStrings("sqs")},
				"StringLike":   {"sns:Endpoint": NewStrings(queues)},
			},
		},
		{Sid: "StreamingTopic", Effect: Allow, Action: NewStrings("sns:Publish"), Resource: topics},
		{Sid: "StreamingTopicUnsubscribe", Effect: Allow, Action: NewStrings("sns:Unsubscribe"), Resource: topics},
	}
}
