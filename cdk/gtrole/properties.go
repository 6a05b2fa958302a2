package gtrole

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// Property names of Custom::GroundTruthExecutionRole, from the contract.
const (
	PropServiceToken                 = contract.ServiceToken
	PropRoleName                     = contract.RoleName
	PropPath                         = contract.Path
	PropDescription                  = contract.Description
	PropMaxSessionDuration           = contract.MaxSessionDuration
	PropPermissionsBoundary          = contract.PermissionsBoundary
	PropTags                         = contract.Tags
	PropInputBuckets                 = contract.InputBuckets
	PropOutputBuckets                = contract.OutputBuckets
	PropStreamingInputTopicArns      = contract.StreamingInputTopicArns
	PropStreamingOutputTopicArns     = contract.StreamingOutputTopicArns
	PropPreAnnotationLambdaArns      = contract.PreAnnotationLambdaArns
	PropPostAnnotationLambdaArns     = contract.PostAnnotationLambdaArns
	PropPostAnnotationLambdaRoleArns = contract.PostAnnotationLambdaRoleArns
	PropAutomatedLabeling            = contract.AutomatedLabeling
	PropKmsKeyArns                   = contract.KmsKeyArns
	PropVolumeKmsKeyArns             = contract.VolumeKmsKeyArns
	PropUseManagedPolicy             = contract.UseManagedPolicy
	PropManagedPolicyArns            = contract.ManagedPolicyArns
	PropConfusedDeputyProtection     = contract.ConfusedDeputyProtection
	PropReconcileToken               = contract.ReconcileToken
	PropVpcConfig                    = contract.VpcConfig
)

// lists holds the list-valued properties, which Add* methods extend after construction.
type lists struct {
	inputBuckets, outputBuckets                 []string
	streamingInputTopics, streamingOutputTopics []string
	preAnnotation, postAnnotation               []string
	postAnnotationRoles                         []string
	kmsKeys, volumeKmsKeys                      []string
	managedPolicies                             []string
	tags                                        []tag
}

// tag is one rendered role tag.
type tag struct{ key, value string }

// renderTags renders tags as CloudFormation's [{Key, Value}] list.
func renderTags(tags []tag) []map[string]*string {
	out := make([]map[string]*string, 0, len(tags))
	for _, t := range tags {
		out = append(out, map[string]*string{"Key": jsii.String(t.key), "Value": jsii.String(t.value)})
	}
	return out
}

// bucketRef renders a bucket grant as the provider expects it: `bucket` or `bucket/prefix`.
func bucketRef(a BucketAccess) (string, error) {
	if a.Bucket == nil {
		return "", fmt.Errorf("bucket access has no bucket")
	}
	name := *a.Bucket.BucketName()
	if a.Prefix == nil || *a.Prefix == "" {
		return name, nil
	}
	prefix := strings.TrimPrefix(*a.Prefix, "/")
	if prefix == "" {
		return name, nil
	}
	return name + "/" + prefix, nil
}

// sessionSeconds converts MaxSessionDuration and checks IAM's range when the value is known.
func sessionSeconds(d awscdk.Duration) (*float64, error) {
	secs := d.ToSeconds(nil)
	if awscdk.Token_IsUnresolved(secs) != nil && *awscdk.Token_IsUnresolved(secs) {
		return secs, nil
	}
	if *secs < contract.MinSessionSeconds || *secs > contract.MaxSessionSeconds {
		return nil, fmt.Errorf("max session duration %gs is outside %d-%d seconds", *secs, contract.MinSessionSeconds, contract.MaxSessionSeconds)
	}
	return secs, nil
}

// renderVpc renders VpcConfig as the provider expects it: {SecurityGroupIds: [sg-…], Subnets: [subnet-…]}, within
// SageMaker's limits (the ids themselves may be tokens, checked by the provider at deploy time).
func renderVpc(v *VpcConfig) (map[string]interface{}, error) {
	if n := len(v.Subnets); n < 1 || n > contract.MaxSubnets {
		return nil, fmt.Errorf("vpc: %d subnets, SageMaker takes 1 to %d", n, contract.MaxSubnets)
	}
	if n := len(v.SecurityGroups); n < 1 || n > contract.MaxSecurityGroups {
		return nil, fmt.Errorf("vpc: %d security groups, SageMaker takes 1 to %d", n, contract.MaxSecurityGroups)
	}
	subnets := make([]*string, 0, len(v.Subnets))
	for _, s := range v.Subnets {
		subnets = append(subnets, s.SubnetId())
	}
	groups := make([]*string, 0, len(v.SecurityGroups))
	for _, g := range v.SecurityGroups {
		groups = append(groups, g.SecurityGroupId())
	}
	return map[string]interface{}{contract.SecurityGroupIds: groups, contract.Subnets: subnets}, nil
}
