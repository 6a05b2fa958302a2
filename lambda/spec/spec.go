package spec

import "github.com/gtrole/groundtruth-execution-role/lambda/contract"

// Spec is the validated, typed form of a Custom::GroundTruthExecutionRole's properties.
type Spec struct {
	RoleName                 string // empty: the provider generates one
	Path                     string
	Description              string
	MaxSessionDuration       int32 // 0: IAM's default
	PermissionsBoundary      string
	Tags                     []Tag
	InputBuckets             []S3Location
	OutputBuckets            []S3Location
	StreamingInputTopicArns  []string
	StreamingOutputTopicArns []string
	PreAnnotationLambdaArns  []string
	PostAnnotationLambdaArns []string
	// PostAnnotationLambdaRoleArns are execution roles of post-annotation Lambdas that may assume this role; all in
	// the role's own account.
	PostAnnotationLambdaRoleArns []string
	AutomatedLabeling            bool
	KmsKeyArns                   []string
	VolumeKmsKeyArns             []string
	UseManagedPolicy             bool
	ManagedPolicyArns            []string
	ConfusedDeputyProtection     bool
	ReconcileToken               string     // no effect on the role; a new value makes CloudFormation send an Update that restores it
	VpcConfig                    *VpcConfig // nil: automated labeling runs outside a VPC
	// ResourceAccounts are the accounts the role's resources may be in: its own and the provider's
	// ALLOWED_RESOURCE_ACCOUNTS, sorted. The S3 statements hold only for buckets of these accounts.
	ResourceAccounts []string
}

// S3Location is a bucket, optionally narrowed to a key prefix.
type S3Location struct {
	Bucket string
	Prefix string // a folder ending in "/" (as declared, or with "/" added); empty: the whole bucket
}

// Tag is one user tag for the role.
type Tag struct {
	Key   string
	Value string
}

// Streaming reports whether the role is for a streaming labeling job.
func (s Spec) Streaming() bool { return len(s.StreamingInputTopicArns) > 0 }

// GroundTruthManagedPolicy is the AWS managed policy UseManagedPolicy attaches, for the given partition.
func GroundTruthManagedPolicy(partition string) string {
	return contract.GroundTruthManagedPolicy(partition)
}
