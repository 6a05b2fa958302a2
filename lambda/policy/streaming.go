package policy

import (
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
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
func streamingStatements(s spec.Spec, scope Scope) []iamdoc.Statement {
	if !s.Streaming() {
		return nil
	}
	var queues []string
	for _, t := range s.StreamingInputTopicArns {
		if a, err := arn.Parse(t); err == nil {
			queues = append(queues, "arn:"+scope.Partition+":sqs:"+a.Region+":"+scope.Account+":*GroundTruth*")
		}
	}
	queueARNs := iamdoc.NewStrings(queues...)
	topics := iamdoc.NewStrings(slices.Concat(s.StreamingInputTopicArns, s.StreamingOutputTopicArns)...)
	return []iamdoc.Statement{
		{
			Sid:    "StreamingQueue",
			Effect: iamdoc.Allow,
			Action: iamdoc.NewStrings("sqs:CreateQueue", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
				"sqs:ReceiveMessage", "sqs:SendMessage", "sqs:SetQueueAttributes"),
			Resource: queueARNs,
		},
		{
			Sid:      "StreamingTopicSubscribe",
			Effect:   iamdoc.Allow,
			Action:   iamdoc.NewStrings("sns:Subscribe"),
			Resource: topics,
			Condition: iamdoc.Condition{
				"StringEquals": {"sns:Protocol": iamdoc.NewStrings("sqs")},
				"StringLike":   {"sns:Endpoint": queueARNs},
			},
		},
		{Sid: "StreamingTopic", Effect: iamdoc.Allow, Action: iamdoc.NewStrings("sns:Publish"), Resource: topics},
		{Sid: "StreamingUnsubscribe", Effect: iamdoc.Allow, Action: iamdoc.NewStrings("sns:Unsubscribe"), Resource: iamdoc.NewStrings("*")},
	}
}
