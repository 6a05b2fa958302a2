package provider

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// nagWildcardReason explains the only wildcards of the provider role to cdk-nag's AwsSolutions-IAM5.
const nagWildcardReason = "The trailing * is the fence itself: the provider may only touch roles and instance " +
	"profiles under its own IAM path prefix, whose names it generates at run time, and write only to the " +
	"streams of its own log group, and read (DescribeStacks, DescribeStackResource) its own account's stacks in its " +
	"Region, any of which may hold a resource it serves, to verify each request. No action is wildcarded, and the only IAM actions on Resource * are the read-only " +
	"iam:ListRoles and iam:GetAccountAuthorizationDetails of the drift audit."

// nagListRolesReason explains the one statement on Resource *.
const nagListRolesReason = "iam:ListRoles and iam:GetAccountAuthorizationDetails have no resource type and can only " +
	"be granted on *. Both are read-only; the drift audit reads the roles under its path prefix in bulk with them. " +
	"GetAccountAuthorizationDetails reads every role's policies in the account, and the provider can change none outside its prefix."

// suppressFenceWildcards records, for cdk-nag, why the path-scoped wildcard resources of the fence are
// intended. The findings are named exactly, so any other wildcard is still reported.
func suppressFenceWildcards(role awsiam.Role, f fence) {
	nagFence := fence{
		partition:    nagRendering(f.partition, "<AWS::Partition>"),
		region:       nagRendering(f.region, "<AWS::Region>"),
		account:      nagRendering(f.account, "<AWS::AccountId>"),
		pathPrefix:   f.pathPrefix,
		logGroupName: f.logGroupName,
	}
	suppressions := []*cdknag.NagPackSuppression{{
		Id:     jsii.String("AwsSolutions-IAM5"),
		Reason: jsii.String(nagWildcardReason),
		AppliesTo: &[]interface{}{
			"Resource::" + nagFence.rolesArn(),
			"Resource::" + nagFence.instanceProfilesArn(),
			"Resource::" + nagFence.logStreamsArn(),
			"Resource::" + nagFence.stacksArn(),
		},
	}}
	if f.driftAudit {
		suppressions = append(suppressions, &cdknag.NagPackSuppression{
			Id:        jsii.String("AwsSolutions-IAM5"),
			Reason:    jsii.String(nagListRolesReason),
			AppliesTo: &[]interface{}{"Resource::*"},
		})
	}
	cdknag.NagSuppressions_AddResourceSuppressions(role, &suppressions, jsii.Bool(true))
}

// nagRendering is how cdk-nag prints a value: literals as they are, pseudo parameters as <name>.
func nagRendering(v, pseudo string) string {
	if *awscdk.Token_IsUnresolved(v) {
		return pseudo
	}
	return v
}
