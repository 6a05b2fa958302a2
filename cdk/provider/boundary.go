package provider

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// BoundaryID is the construct id of the permissions boundary a Provider creates by default.
const BoundaryID = "RoleBoundary"

// Statement ids of the default permissions boundary.
const (
	SidBoundaryActions = "GroundTruthRoleActions"
	SidBoundaryQueues  = "GroundTruthStreamingQueues"
	SidBoundaryPass    = "PassGroundTruthRolesToSageMaker"
)

// boundaryActions are every action the role generator writes on resources the stack author names (S3, SNS,
// Lambda, KMS, the VPC, CloudWatch); nothing else a Ground Truth role needs, nothing any role could use to
// reach IAM, STS or other services. templates/provider.yaml's GroundTruthRoleBoundary lists the same; the
// templates tests check that every golden role of `gtrole render` stays inside it.
var boundaryActions = []string{
	"cloudwatch:PutMetricData",
	"ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface",
	"ec2:DeleteNetworkInterfacePermission", "ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces",
	"ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs",
	"kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*",
	"lambda:InvokeFunction",
	"logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents",
	"s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket", "s3:PutObject",
	"sns:Publish", "sns:Subscribe", "sns:Unsubscribe",
}

// boundaryQueueActions are the streaming queue actions; Ground Truth's queues are named *GroundTruth* in the
// role's account. (SendMessageBatch is no IAM action of its own: IAM authorizes it as sqs:SendMessage.)
var boundaryQueueActions = []string{
	"sqs:CreateQueue", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ReceiveMessage",
	"sqs:SendMessage", "sqs:SetQueueAttributes",
}

// boundaryStatements are the default permissions boundary of the roles under f's prefix.
func (f fence) boundaryStatements() []awsiam.PolicyStatement {
	return []awsiam.PolicyStatement{
		statement(SidBoundaryActions, jsii.Strings("*"), nil, boundaryActions...),
		statement(SidBoundaryQueues, jsii.Strings(f.queuesArn()), nil, boundaryQueueActions...),
		statement(SidBoundaryPass, jsii.Strings(f.rolesArn()),
			&map[string]interface{}{"StringEquals": map[string]*string{"iam:PassedToService": jsii.String("sagemaker.amazonaws.com")}},
			"iam:PassRole"),
	}
}

// queuesArn is every Ground Truth streaming queue of the account.
func (f fence) queuesArn() string {
	return "arn:" + f.partition + ":sqs:*:" + f.account + ":*GroundTruth*"
}

// nagBoundaryReason explains the boundary's wildcards to cdk-nag's AwsSolutions-IAM5.
const nagBoundaryReason = "A permissions boundary grants nothing: it caps the roles the provider creates. The " +
	"roles' own policies name the stack author's resources; the boundary allows only the actions a Ground Truth " +
	"role is ever given (kms:GenerateDataKey* and kms:ReEncrypt* as SageMaker documents them), queues named " +
	"*GroundTruth*, and passing only roles under the provider's prefix, only to SageMaker."

// newBoundary creates the default boundary managed policy.
func newBoundary(p *Provider, f fence) awsiam.ManagedPolicy {
	mp := awsiam.NewManagedPolicy(p, jsii.String(BoundaryID), &awsiam.ManagedPolicyProps{
		Description: jsii.String("Permissions boundary of the SageMaker Ground Truth execution roles made by Custom::GroundTruthExecutionRole"),
		Statements:  ptr(f.boundaryStatements()),
	})
	n := fence{
		partition:  nagRendering(f.partition, "<AWS::Partition>"),
		account:    nagRendering(f.account, "<AWS::AccountId>"),
		pathPrefix: f.pathPrefix,
	}
	cdknag.NagSuppressions_AddResourceSuppressions(mp, &[]*cdknag.NagPackSuppression{{
		Id:     jsii.String("AwsSolutions-IAM5"),
		Reason: jsii.String(nagBoundaryReason),
		AppliesTo: &[]interface{}{
			"Resource::*", "Resource::" + n.queuesArn(), "Resource::" + n.rolesArn(),
			"Action::kms:GenerateDataKey*", "Action::kms:ReEncrypt*",
		},
	}}, jsii.Bool(true))
	return mp
}
