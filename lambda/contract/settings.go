package contract

// The environment variables that configure the provider Lambda.
const (
	EnvRolePathPrefix              = "ROLE_PATH_PREFIX"
	EnvAllowedManagedPolicyArns    = "ALLOWED_MANAGED_POLICY_ARNS"
	EnvRequiredPermissionsBoundary = "REQUIRED_PERMISSIONS_BOUNDARY"
	EnvAllowedResourceAccounts     = "ALLOWED_RESOURCE_ACCOUNTS"
)

// DefaultRolePathPrefix is ROLE_PATH_PREFIX when unset, and so the Path of a role that declares none.
const DefaultRolePathPrefix = "/groundtruth/"

// GroundTruthManagedPolicyName is the AWS managed policy UseManagedPolicy attaches and the provider allows by default.
const GroundTruthManagedPolicyName = "AmazonSageMakerGroundTruthExecution"

// GroundTruthManagedPolicy is the ARN of the Ground Truth managed policy in a partition.
func GroundTruthManagedPolicy(partition string) string {
	return "arn:" + partition + ":iam::aws:policy/" + GroundTruthManagedPolicyName
}

// Setting is one provider setting: an environment variable of the Lambda.
type Setting struct {
	Env         string
	Default     string // Markdown; "" means none
	Description string // Markdown, one line
}

// Settings lists the provider's settings in documentation order.
var Settings = []Setting{
	{
		Env:         EnvRolePathPrefix,
		Default:     "`" + DefaultRolePathPrefix + "`",
		Description: "Every role's `Path` must start with it; an absent `Path` gets it. Must be `/…/` with at least one segment (never `/`): the provider's own IAM permissions are fenced to `role<prefix>*`.",
	},
	{
		Env:         EnvAllowedManagedPolicyArns,
		Default:     "`" + GroundTruthManagedPolicy("PARTITION") + "`",
		Description: "Comma-separated: the only managed policies `ManagedPolicyArns` and `UseManagedPolicy` may attach.",
	},
	{
		Env:         EnvRequiredPermissionsBoundary,
		Description: "When set, every role gets this boundary and any other `PermissionsBoundary` is rejected.",
	},
	{
		Env:         EnvAllowedResourceAccounts,
		Default:     "none: the role's own account only",
		Description: "Comma-separated 12-digit account IDs whose Lambda functions, SNS topics, KMS keys and S3 buckets a role may name besides its own account's; the S3 statements' `s3:ResourceAccount` condition lists the same accounts. VPC subnets and security groups, and `PostAnnotationLambdaRoleArns`, stay in the role's account.",
	},
}
