package provider

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
)

// Statement ids of the provider's execution role, one per fenced permission.
const (
	SidReadRoles                 = "ReadGroundTruthRoles"
	SidWriteRoles                = "WriteGroundTruthRoles"
	SidCreateRolesWithBoundary   = "CreateGroundTruthRolesWithBoundary"
	SidAttachManagedPolicies     = "AttachAllowedManagedPolicies"
	SidRemoveGrants              = "RemoveGrantsFromGroundTruthRoles"
	SidRemoveFromInstanceProfile = "RemoveFromGroundTruthInstanceProfiles"
	SidWriteOwnLogs              = "WriteOwnLogs"
	SidListRolesForDriftAudit    = "ListRolesForDriftAudit"
	SidVerifyRequests            = "VerifyRequestsWithCloudFormation"
)

// fence holds the values the provider's execution-role statements are scoped by.
type fence struct {
	partition, region, account string
	pathPrefix                 string
	allowedPolicyArns          []*string
	boundaryArn                string // empty: no permissions boundary is required
	logGroupName               string
	driftAudit                 bool // the scheduled drift audit is on: it needs iam:ListRoles and iam:GetAccountAuthorizationDetails
}

// rolesArn is every role under the managed path.
func (f fence) rolesArn() string {
	return "arn:" + f.partition + ":iam::" + f.account + ":role" + f.pathPrefix + "*"
}

// instanceProfilesArn is every instance profile under the managed path.
func (f fence) instanceProfilesArn() string {
	return "arn:" + f.partition + ":iam::" + f.account + ":instance-profile" + f.pathPrefix + "*"
}

// logGroupArn is the provider's log group (what logs:CreateLogStream is authorized on).
func (f fence) logGroupArn() string {
	return "arn:" + f.partition + ":logs:" + f.region + ":" + f.account + ":log-group:" + f.logGroupName
}

// logStreamsArn is every stream of the provider's log group (what logs:PutLogEvents is authorized on).
func (f fence) logStreamsArn() string {
	return f.logGroupArn() + ":log-stream:*"
}

// stacksArn is every stack of the account in the Region: what the request verification reads.
func (f fence) stacksArn() string {
	return "arn:" + f.partition + ":cloudformation:" + f.region + ":" + f.account + ":stack/*"
}

// statements renders the complete, fenced set of permissions of the provider's execution role.
func (f fence) statements() []awsiam.PolicyStatement {
	roles := jsii.Strings(f.rolesArn())
	write := []string{
		"iam:DeleteRole", "iam:PutRolePolicy", "iam:TagRole", "iam:UntagRole",
		"iam:UpdateAssumeRolePolicy", "iam:UpdateRole",
	}
	if f.boundaryArn == "" {
		write = append(write, "iam:CreateRole", "iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary")
	}

	out := []awsiam.PolicyStatement{
		statement(SidReadRoles, roles, nil,
			"iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies",
			"iam:ListInstanceProfilesForRole", "iam:ListRolePolicies", "iam:ListRoleTags"),
		statement(SidWriteRoles, roles, nil, write...),
	}
	if f.boundaryArn != "" {
		out = append(out, statement(SidCreateRolesWithBoundary, roles,
			&map[string]interface{}{"StringEquals": map[string]*string{"iam:PermissionsBoundary": jsii.String(f.boundaryArn)}},
			"iam:CreateRole", "iam:PutRolePermissionsBoundary"))
	}
	out = append(out,
		// Attaching adds permissions, so only allow-listed policies; detaching a managed policy or deleting an
		// inline one only ever removes permissions, so any policy on a role under the prefix (drift such as a
		// hand-attached AdministratorAccess must be removable by the next Update or Delete).
		statement(SidAttachManagedPolicies, roles,
			&map[string]interface{}{"ArnEquals": map[string][]*string{"iam:PolicyARN": f.allowedPolicyArns}},
			"iam:AttachRolePolicy"),
		statement(SidRemoveGrants, roles, nil, "iam:DeleteRolePolicy", "iam:DetachRolePolicy"),
		statement(SidRemoveFromInstanceProfile, jsii.Strings(f.instanceProfilesArn()), nil,
			"iam:RemoveRoleFromInstanceProfile"),
		statement(SidWriteOwnLogs, jsii.Strings(f.logGroupArn(), f.logStreamsArn()), nil,
			"logs:CreateLogStream", "logs:PutLogEvents"),
		// Every request is verified with CloudFormation before any IAM call; both actions are authorized on the
		// stack resource type: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudformation.html
		statement(SidVerifyRequests, jsii.Strings(f.stacksArn()), nil,
			"cloudformation:DescribeStackResource", "cloudformation:DescribeStacks"),
	)
	if f.driftAudit {
		// The audit reads the roles in bulk: ListRoles and GetAccountAuthorizationDetails have no resource type, so
		// they can only be granted on "*". Both only read; GetAccountAuthorizationDetails reads the policies of every
		// role in the account, not only the prefix's, which tells the provider what every role may do and lets it
		// change none of it (the write statements stay fenced):
		// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
		out = append(out, statement(SidListRolesForDriftAudit, jsii.Strings("*"), nil,
			"iam:GetAccountAuthorizationDetails", "iam:ListRoles"))
	}
	return out
}

// statement builds one Allow statement.
func statement(sid string, resources *[]*string, conditions *map[string]interface{}, actions ...string) awsiam.PolicyStatement {
	return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String(sid),
		Effect:     awsiam.Effect_ALLOW,
		Actions:    jsii.Strings(actions...),
		Resources:  resources,
		Conditions: conditions,
	})
}
