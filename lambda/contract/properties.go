package contract

import "strconv"

// Type is the JSON shape of a property's value.
type Type string

// The property types. CloudFormation delivers every scalar as a string, so a boolean or integer property also
// accepts its string form ("true", "3600").
const (
	String     Type = "string"
	Integer    Type = "integer"
	Boolean    Type = "boolean"
	StringList Type = "list"
	TagList    Type = "tags"
	Object     Type = "object"
)

// Property is one property of Custom::GroundTruthExecutionRole.
type Property struct {
	Name        string
	Type        Type
	Format      string // Markdown: the accepted forms of a string or list item, when more than the constraints say
	Default     string // Markdown: what applies when the property is absent; "" means none
	Description string // Markdown, one line: what it grants or sets
	Replaces    bool   // a change makes a new role rather than updating the existing one
	Required    bool   // the property must be given…
	Unless      string // …unless this other property is given
	MinLength   int    // characters of a string or of each list item
	MaxLength   int    // 0: no limit of its own
	Minimum     int    // integer bounds, when Maximum > 0
	Maximum     int
	Pattern     string // a string or each list item must match; RE2 and ECMA-262 alike, for the JSON Schema
	MinItems    int
	MaxItems    int        // 0: no limit of its own
	Fields      []Property // the fields of an Object, each itself described
	Needs       string     // a property that must be given (a boolean one: true) for this one to be given
}

// Property names.
const (
	RoleName                 = "RoleName"
	Path                     = "Path"
	Description              = "Description"
	MaxSessionDuration       = "MaxSessionDuration"
	PermissionsBoundary      = "PermissionsBoundary"
	Tags                     = "Tags"
	InputBuckets             = "InputBuckets"
	OutputBuckets            = "OutputBuckets"
	StreamingInputTopicArns  = "StreamingInputTopicArns"
	StreamingOutputTopicArns = "StreamingOutputTopicArns"
	PreAnnotationLambdaArns  = "PreAnnotationLambdaArns"
	PostAnnotationLambdaArns = "PostAnnotationLambdaArns"
	// PostAnnotationLambdaRoleArns: the execution roles of post-annotation Lambdas that assume the job's role.
	PostAnnotationLambdaRoleArns = "PostAnnotationLambdaRoleArns"
	AutomatedLabeling            = "AutomatedLabeling"
	KmsKeyArns                   = "KmsKeyArns"
	VolumeKmsKeyArns             = "VolumeKmsKeyArns"
	UseManagedPolicy             = "UseManagedPolicy"
	ManagedPolicyArns            = "ManagedPolicyArns"
	ConfusedDeputyProtection     = "ConfusedDeputyProtection"
	ReconcileToken               = "ReconcileToken"
	VpcConfig                    = "VpcConfig"
)

// Fields of VpcConfig, as CreateLabelingJob's LabelingJobResourceConfig.VpcConfig names them.
const (
	SecurityGroupIds = "SecurityGroupIds"
	Subnets          = "Subnets"
)

// SageMaker's limits on a VpcConfig (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_VpcConfig.html).
const (
	MaxSecurityGroups = 5
	MaxSubnets        = 16
)

// CloudFormation's own properties, present on every custom resource and ignored by the provider.
const (
	ServiceToken   = "ServiceToken"
	ServiceTimeout = "ServiceTimeout"
)

// Ignored lists CloudFormation's own properties.
var Ignored = []string{ServiceToken, ServiceTimeout}

// Patterns of ARNs a property takes; PARTITION, REGION and ACCOUNT are checked further by the provider.
const (
	bucketPattern        = `^(arn:[a-z-]+:s3:::)?[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$`
	topicPattern         = `^arn:[a-z-]+:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$`
	functionPattern      = `^arn:[a-z-]+:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$`
	keyPattern           = `^arn:[a-z-]+:kms:[a-z0-9-]+:[0-9]{12}:key/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$`
	securityGroupPattern = `^sg-([0-9a-f]{8}|[0-9a-f]{17})$`
	subnetPattern        = `^subnet-([0-9a-f]{8}|[0-9a-f]{17})$`
	rolePattern          = `^arn:[a-z-]+:iam::[0-9]{12}:role/([A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_-]{1,64}$`
	policyPattern        = `^arn:[a-z-]+:iam::(aws|[0-9]{12}):policy/([A-Za-z0-9+=,.@_-]+/)*[A-Za-z0-9+=,.@_-]{1,128}$`
	// RoleNamePattern is ValidRoleName as a regular expression, for the schema.
	RoleNamePattern = `^[A-Za-z0-9+=,.@_-]+$`
	// PathPattern is ValidPath as a regular expression, for the schema.
	PathPattern = `^/([A-Za-z0-9+=,.@_-]+/)*$`
)

const bucketForms = "`bucket`, `bucket/prefix` or `arn:PARTITION:s3:::bucket[/prefix]`"

const objectActions = "`s3:AbortMultipartUpload`, `s3:GetObject`, `s3:PutObject` on `bucket/*`, or on `bucket/prefix/*` only: a prefix is a folder, `bucket/prefix` and `bucket/prefix/` alike"

// Properties lists every property in documentation order.
var Properties = []Property{
	{
		Name: RoleName, Type: String, MinLength: 1, MaxLength: MaxRoleNameLength, Pattern: RoleNamePattern, Replaces: true,
		Format:      "letters, digits and `" + RoleNameSymbols + "`",
		Default:     "generated `<stack>-<logical id>-<suffix>`",
		Description: "the role's name",
	},
	{
		Name: Path, Type: String, MinLength: 1, MaxLength: MaxPathLength, Pattern: PathPattern, Replaces: true,
		Format:      "`/` or `/a/b/`",
		Default:     "the provider's `" + EnvRolePathPrefix + "` (`" + DefaultRolePathPrefix + "`)",
		Description: "the role's path; must lie under `" + EnvRolePathPrefix + "`",
	},
	{
		Name: Description, Type: String, MaxLength: MaxDescriptionLength,
		Format:      "IAM's charset",
		Description: "the role's description",
	},
	{
		Name: MaxSessionDuration, Type: Integer, Minimum: MinSessionSeconds, Maximum: MaxSessionSeconds,
		Default:     "IAM's " + strconv.Itoa(MinSessionSeconds),
		Description: "maximum session length in seconds",
	},
	{
		Name: PermissionsBoundary, Type: String, Pattern: policyPattern,
		Format:      "managed policy ARN",
		Default:     "the provider's `" + EnvRequiredPermissionsBoundary + "`, if set",
		Description: "the role's permissions boundary; any other than a required one is rejected",
	},
	{
		Name: Tags, Type: TagList, MaxItems: MaxUserTags,
		Description: "role tags; IAM's tag rules, keys may not start with `" + AWSTagPrefix + "` or `" + ReservedTagPrefix + "` (in any case); the provider keeps " + strconv.Itoa(OwnershipTags+CreatingTags+RecordTags) + " of IAM's " + strconv.Itoa(MaxTagsPerRole) + " for ownership, its creating token and its [drift record](docs/drift.md#drift)",
	},
	{
		Name: InputBuckets, Type: StringList, Pattern: bucketPattern, Format: bucketForms,
		Required: true, Unless: StreamingInputTopicArns,
		Description: "`s3:ListBucket`, `s3:GetBucketLocation` on the bucket; " + objectActions + "; only while `s3:ResourceAccount` is the role's account or one of the provider's `" + EnvAllowedResourceAccounts + "`",
	},
	{
		Name: OutputBuckets, Type: StringList, Pattern: bucketPattern, Format: bucketForms,
		Required:    true,
		Description: "as `InputBuckets`",
	},
	{
		Name: StreamingInputTopicArns, Type: StringList, Pattern: topicPattern, Format: "SNS topic ARNs",
		Description: "turns on the streaming statements: `sns:Subscribe` (only SQS endpoints named `*GroundTruth*` in the role's account), `sns:Publish` on the topics, `sns:Unsubscribe` on `*` (it takes a subscription ARN); the SQS statement on `arn:PARTITION:sqs:REGION:ACCOUNT:*GroundTruth*` in the input topics' regions; `s3:GetObject` on objects tagged `SageMaker=true` in the resource accounts",
	},
	{
		Name: StreamingOutputTopicArns, Type: StringList, Pattern: topicPattern, Format: "SNS topic ARNs", Needs: StreamingInputTopicArns,
		Description: "adds the topics to the SNS statements",
	},
	{
		Name: PreAnnotationLambdaArns, Type: StringList, Pattern: functionPattern, Format: "Lambda function ARNs (qualifier allowed)",
		Description: "`lambda:InvokeFunction` on these functions",
	},
	{
		Name: PostAnnotationLambdaArns, Type: StringList, Pattern: functionPattern, Format: "Lambda function ARNs (qualifier allowed)",
		Description: "`lambda:InvokeFunction` on these functions",
	},
	{
		Name: PostAnnotationLambdaRoleArns, Type: StringList, Pattern: rolePattern, Format: "IAM role ARNs of the role's own account", Needs: PostAnnotationLambdaArns,
		Description: "the trust policy lets these roles (the post-annotation Lambdas' execution roles) `sts:AssumeRole` this role; each must exist when the role is written",
	},
	{
		Name: AutomatedLabeling, Type: Boolean, Default: "false",
		Description: "`iam:PassRole` on the role's own ARN, only to `sagemaker.amazonaws.com`",
	},
	{
		Name: KmsKeyArns, Type: StringList, Pattern: keyPattern, Format: "KMS key ARNs (not aliases)",
		Description: "`kms:Encrypt`, `Decrypt`, `ReEncrypt*`, `GenerateDataKey*`, `DescribeKey` on the keys",
	},
	{
		Name: VolumeKmsKeyArns, Type: StringList, Pattern: keyPattern, Format: "KMS key ARNs (not aliases)", Needs: AutomatedLabeling,
		Description: "the same, plus `kms:CreateGrant` only for AWS resources (`kms:GrantIsForAWSResource`)",
	},
	{
		Name: UseManagedPolicy, Type: Boolean, Default: "false",
		Description: "attaches `" + GroundTruthManagedPolicy("PARTITION") + "` (the granular statements are still generated)",
	},
	{
		Name: ManagedPolicyArns, Type: StringList, Pattern: policyPattern, Format: "policy ARNs",
		Description: "attaches them; only ARNs on the provider's `" + EnvAllowedManagedPolicyArns + "` are accepted",
	},
	{
		Name: ConfusedDeputyProtection, Type: Boolean, Default: "false",
		Description: "adds `aws:SourceAccount` = the account to the trust policy (AWS documents this condition for SageMaker, not for Ground Truth specifically, so it is opt-in)",
	},
	{
		Name: ReconcileToken, Type: String, MaxLength: MaxReconcileTokenLength,
		Description: "no effect on the role; a new value makes CloudFormation send an Update, which restores the declared role exactly and records it anew (see [Drift](docs/drift.md#drift))",
	},
	{
		Name: VpcConfig, Type: Object, Needs: AutomatedLabeling,
		Fields: []Property{
			{Name: SecurityGroupIds, Type: StringList, Required: true, MinItems: 1, MaxItems: MaxSecurityGroups, Pattern: securityGroupPattern, Format: "security group ids `sg-…`", Description: "the security groups of the automated-labeling jobs' network interfaces"},
			{Name: Subnets, Type: StringList, Required: true, MinItems: 1, MaxItems: MaxSubnets, Pattern: subnetPattern, Format: "subnet ids `subnet-…`", Description: "the subnets the automated-labeling jobs run in"},
		},
		Description: "automated labeling's training and inference jobs run in this VPC (CreateLabelingJob's `LabelingJobResourceConfig.VpcConfig`): `ec2:CreateNetworkInterface` on these subnets and security groups and on the new `network-interface/*` (which has no `ec2:Subnet` key), `ec2:CreateNetworkInterfacePermission`, `DeleteNetworkInterface`, `DeleteNetworkInterfacePermission` only on network interfaces in these subnets (`ec2:Subnet`), the five `ec2:Describe…` actions SageMaker needs on `*`",
	},
}

// Names returns the property names in documentation order.
func Names() []string {
	out := make([]string, len(Properties))
	for i, p := range Properties {
		out[i] = p.Name
	}
	return out
}

// Lookup returns the property called name.
func Lookup(name string) (Property, bool) {
	for _, p := range Properties {
		if p.Name == name {
			return p, true
		}
	}
	return Property{}, false
}
