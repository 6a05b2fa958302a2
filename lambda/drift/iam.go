package drift

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// IAM is the read-only part of the IAM API the audit calls; *iam.Client satisfies it.
type IAM interface {
	ListRoles(ctx context.Context, params *iam.ListRolesInput, optFns ...func(*iam.Options)) (*iam.ListRolesOutput, error)
	GetRole(ctx context.Context, params *iam.GetRoleInput, optFns ...func(*iam.Options)) (*iam.GetRoleOutput, error)
	ListRolePolicies(ctx context.Context, params *iam.ListRolePoliciesInput, optFns ...func(*iam.Options)) (*iam.ListRolePoliciesOutput, error)
	GetRolePolicy(ctx context.Context, params *iam.GetRolePolicyInput, optFns ...func(*iam.Options)) (*iam.GetRolePolicyOutput, error)
	ListAttachedRolePolicies(ctx context.Context, params *iam.ListAttachedRolePoliciesInput, optFns ...func(*iam.Options)) (*iam.ListAttachedRolePoliciesOutput, error)
}

// The SDK's client and paginators accept this interface.
var (
	_ IAM                                   = (*iam.Client)(nil)
	_ iam.ListRolesAPIClient                = IAM(nil)
	_ iam.ListRolePoliciesAPIClient         = IAM(nil)
	_ iam.ListAttachedRolePoliciesAPIClient = IAM(nil)
)
