package policy

import (
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

// streamingStatements are the reference's streaming statements with its errata fixed: the SNS actions name SNS
// topic ARNs (not arn:aws:sqs), and the Ground Truth queue lives in the role's own account and partition, in the
// Region of the input topics (Ground Truth makes the queue in the job's Region, and a streaming job's topics must
// be in that Region: https://docs.aws.amazon.com/sagemaker/latest/dg/sms-streaming-create-job.html).
//
// The SQS actions are the single-message ones: SendMessageBatch and DeleteMessageBatch are authorized as
// sqs:SendMessage and sqs:DeleteMessage and are no IAM actions of their own
// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-batch-api.html).
// sns:Unsubscribe has no resource type in the Service Authorization Reference and its API takes a subscription
// ARN, not a topic ARN (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html,
// https://docs.aws.amazon.com/sns/latest/api/API_Unsubscribe.html), so it is granted on "*" as AWS's own
// AmazonSageMakerGroundTruthExecution grants it.
func streamingStatements(s spec.Spec, scope Scope) []Statement {
	if !s.Streaming() {
		return nil
	}
	var queues []string
	for _, t := range s.StreamingInputTopicArns {
		if a, err := arn.Parse(t); err == nil {
			queues = append(queues, "arn:"+scope.Partition+":sqs:"+a.Region+":"+scope.Account+":*GroundTruth*")
		}
	}
	queueARNs := NewStrings(queues...)
	topics := NewStrings(slices.Concat(s.StreamingInputTopicArns, s.StreamingOutputTopicArns)...)
	return []Statement{
		{
			Sid:    "StreamingQueue",
			Effect: Allow,
			Action: NewStrings("sqs:CreateQueue", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
				"sqs:ReceiveMessage", "sqs:SendMessage", "sqs:SetQueueAttributes"),
			Resource: queueARNs,
		},
		{
			Sid:      "StreamingTopicSubscribe",
			Effect:   Allow,
			Action:   NewStrings("sns:Subscribe"),
			Resource: topics,
			Condition: Condition{
				"StringEquals": {"sns:Protocol": NewStrings("sqs")},
				"StringLike":   {"sns:Endpoint": queueARNs},
			},
		},
		{Sid: "StreamingTopic", Effect: Allow, Action: NewStrings("sns:Publish"), Resource: topics},
		{Sid: "StreamingUnsubscribe", Effect: Allow, Action: NewStrings("sns:Unsubscribe"), Resource: NewStrings("*")},
	}
}
