// Package gtrole defines GroundTruthExecutionRole, a CDK construct for the Custom::GroundTruthExecutionRole
// resource: a least-privilege SageMaker Ground Truth execution role created by the provider Lambda.
package gtrole

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// ResourceType is the CloudFormation type the construct emits: the only one the provider serves.
const ResourceType = contract.ResourceType

// GroundTruthExecutionRole is a SageMaker Ground Truth execution role managed by the provider.
type GroundTruthExecutionRole struct {
	constructs.Construct
	resource awscdk.CustomResource
	role     awsiam.IRole
	lists    lists
}

// NewGroundTruthExecutionRole defines a Custom::GroundTruthExecutionRole. It panics on invalid
// props, as CDK constructs do.
func NewGroundTruthExecutionRole(scope constructs.Construct, id string, props *Props) *GroundTruthExecutionRole {
	if props == nil {
		props = &Props{}
	}
	r := &GroundTruthExecutionRole{}
	constructs.NewConstruct_Override(r, scope, jsii.String(id))
	fail := func(err error) { panic(fmt.Sprintf("%s %s: %v", ResourceType, id, err)) }

	token := props.ServiceToken
	if token == nil {
		token = singletonServiceToken(r, props.Provider)
	}
	properties := map[string]interface{}{}
	setString := func(name string, v *string) {
		if v != nil {
			properties[name] = v
		}
	}
	setBool := func(name string, v *bool) {
		if v != nil {
			properties[name] = v
		}
	}
	setString(PropRoleName, props.RoleName)
	setString(PropPath, props.Path)
	setString(PropDescription, props.Description)
	if props.MaxSessionDuration != nil {
		secs, err := sessionSeconds(props.MaxSessionDuration)
		if err != nil {
			fail(err)
		}
		properties[PropMaxSessionDuration] = secs
	}
	if props.PermissionsBoundary != nil {
		properties[PropPermissionsBoundary] = props.PermissionsBoundary.ManagedPolicyArn()
	}
	setBool(PropAutomatedLabeling, props.AutomatedLabeling)
	setBool(PropUseManagedPolicy, props.UseManagedPolicy)
	setBool(PropConfusedDeputyProtection, props.ConfusedDeputyProtection)
	setString(PropReconcileToken, props.ReconcileToken)
	if props.Vpc != nil {
		if props.AutomatedLabeling == nil || !*props.AutomatedLabeling {
			fail(fmt.Errorf("vpc is only used by automated labeling's jobs: set AutomatedLabeling to true or remove Vpc"))
		}
		vpc, err := renderVpc(props.Vpc)
		if err != nil {
			fail(err)
		}
		properties[PropVpcConfig] = vpc
	}

	r.resource = awscdk.NewCustomResource(r, jsii.String("Resource"), &awscdk.CustomResourceProps{
		ServiceToken: token,
		// How long CloudFormation waits for the provider's answer, instead of its default hour (contract).
		ServiceTimeout: awscdk.Duration_Seconds(jsii.Number(contract.ServiceTimeoutSeconds)),
		ResourceType:   jsii.String(ResourceType),
		Properties:     &properties,
	})
	r.role = awsiam.Role_FromRoleArn(r, jsii.String("Role"), r.RoleArn(), &awsiam.FromRoleArnOptions{
		Mutable: jsii.Bool(false),
	})

	for _, b := range props.InputBuckets {
		if err := r.addBucket(&r.lists.inputBuckets, PropInputBuckets, b); err != nil {
			fail(fmt.Errorf("input bucket: %w", err))
		}
	}
	for _, b := range props.OutputBuckets {
		if err := r.addBucket(&r.lists.outputBuckets, PropOutputBuckets, b); err != nil {
			fail(fmt.Errorf("output bucket: %w", err))
		}
	}
	for _, t := range props.StreamingInputTopics {
		r.AddStreamingInputTopic(t)
	}
	for _, t := range props.StreamingOutputTopics {
		r.AddStreamingOutputTopic(t)
	}
	for _, f := range props.PreAnnotationFunctions {
		r.AddPreAnnotationFunction(f)
	}
	for _, f := range props.PostAnnotationFunctions {
		r.AddPostAnnotationFunction(f)
	}
	for _, role := range props.PostAnnotationFunctionRoles {
		r.AddPostAnnotationFunctionRole(role)
	}
	for _, k := range props.KmsKeys {
		r.AddKmsKey(k)
	}
	for _, k := range props.VolumeKmsKeys {
		r.AddVolumeKmsKey(k)
	}
	for _, p := range props.ManagedPolicies {
		r.AddManagedPolicy(p)
	}
	for _, t := range props.Tags {
		if t.Key == nil || t.Value == nil {
			fail(fmt.Errorf("tag needs both Key and Value"))
		}
		r.AddTag(*t.Key, *t.Value)
	}
	return r
}

// RoleArn is the role's ARN (Fn::GetAtt Arn).
func (r *GroundTruthExecutionRole) RoleArn() *string {
	return r.resource.GetAttString(jsii.String("Arn"))
}

// RoleName is the role's name (Fn::GetAtt RoleName).
func (r *GroundTruthExecutionRole) RoleName() *string {
	return r.resource.GetAttString(jsii.String("RoleName"))
}

// RoleId is the role's unique id (Fn::GetAtt RoleId).
func (r *GroundTruthExecutionRole) RoleId() *string {
	return r.resource.GetAttString(jsii.String("RoleId"))
}

// RolePath is the role's IAM path (Fn::GetAtt Path).
func (r *GroundTruthExecutionRole) RolePath() *string {
	return r.resource.GetAttString(jsii.String("Path"))
}

// Role is the role as an immutable awsiam.IRole, for constructs that take a role.
func (r *GroundTruthExecutionRole) Role() awsiam.IRole { return r.role }

// Resource is the underlying custom resource, e.g. for dependencies or a removal policy.
func (r *GroundTruthExecutionRole) Resource() awscdk.CustomResource { return r.resource }

// AddInputBucket lets labeling jobs read the bucket, or only keys under prefix when it is not empty.
func (r *GroundTruthExecutionRole) AddInputBucket(bucket awss3.IBucket, prefix string) {
	if err := r.addBucket(&r.lists.inputBuckets, PropInputBuckets, BucketAccess{Bucket: bucket, Prefix: jsii.String(prefix)}); err != nil {
		panic(fmt.Sprintf("%s: input bucket: %v", *r.Node().Path(), err))
	}
}

// AddOutputBucket lets labeling jobs write to the bucket, or only under prefix when it is not empty.
func (r *GroundTruthExecutionRole) AddOutputBucket(bucket awss3.IBucket, prefix string) {
	if err := r.addBucket(&r.lists.outputBuckets, PropOutputBuckets, BucketAccess{Bucket: bucket, Prefix: jsii.String(prefix)}); err != nil {
		panic(fmt.Sprintf("%s: output bucket: %v", *r.Node().Path(), err))
	}
}

// AddStreamingInputTopic lets a streaming labeling job subscribe to the topic.
func (r *GroundTruthExecutionRole) AddStreamingInputTopic(topic awssns.ITopic) {
	r.add(&r.lists.streamingInputTopics, PropStreamingInputTopicArns, *topic.TopicArn())
}

// AddStreamingOutputTopic lets a streaming labeling job publish to the topic.
func (r *GroundTruthExecutionRole) AddStreamingOutputTopic(topic awssns.ITopic) {
	r.add(&r.lists.streamingOutputTopics, PropStreamingOutputTopicArns, *topic.TopicArn())
}

// AddPreAnnotationFunction lets a custom workflow invoke fn before annotation.
func (r *GroundTruthExecutionRole) AddPreAnnotationFunction(fn awslambda.IFunction) {
	r.add(&r.lists.preAnnotation, PropPreAnnotationLambdaArns, *fn.FunctionArn())
}

// AddPostAnnotationFunction lets a custom workflow invoke fn to consolidate annotations.
func (r *GroundTruthExecutionRole) AddPostAnnotationFunction(fn awslambda.IFunction) {
	r.add(&r.lists.postAnnotation, PropPostAnnotationLambdaArns, *fn.FunctionArn())
}

// AddPostAnnotationFunctionRole lets role, a post-annotation Lambda's execution role in the same account, assume this role.
func (r *GroundTruthExecutionRole) AddPostAnnotationFunctionRole(role awsiam.IRole) {
	r.add(&r.lists.postAnnotationRoles, PropPostAnnotationLambdaRoleArns, *role.RoleArn())
}

// AddKmsKey lets labeling jobs use key for encrypted input and output data.
func (r *GroundTruthExecutionRole) AddKmsKey(key awskms.IKey) {
	r.add(&r.lists.kmsKeys, PropKmsKeyArns, *key.KeyArn())
}

// AddVolumeKmsKey lets automated labeling encrypt its ML storage volumes with key.
func (r *GroundTruthExecutionRole) AddVolumeKmsKey(key awskms.IKey) {
	r.add(&r.lists.volumeKmsKeys, PropVolumeKmsKeyArns, *key.KeyArn())
}

// AddManagedPolicy asks the provider to attach policy (it must be on the provider's allow-list).
func (r *GroundTruthExecutionRole) AddManagedPolicy(policy awsiam.IManagedPolicy) {
	r.add(&r.lists.managedPolicies, PropManagedPolicyArns, *policy.ManagedPolicyArn())
}

// AddTag tags the role.
func (r *GroundTruthExecutionRole) AddTag(key, value string) {
	r.lists.tags = append(r.lists.tags, tag{key: key, value: value})
	r.override(PropTags, renderTags(r.lists.tags))
}

// addBucket appends a rendered bucket grant to list and re-renders its property.
func (r *GroundTruthExecutionRole) addBucket(list *[]string, name string, a BucketAccess) error {
	ref, err := bucketRef(a)
	if err != nil {
		return err
	}
	r.add(list, name, ref)
	return nil
}

// add appends value to list and re-renders the whole property, so Add* calls after construction count.
func (r *GroundTruthExecutionRole) add(list *[]string, name, value string) {
	*list = append(*list, value)
	r.override(name, jsii.Strings(*list...))
}

// override sets one property of the custom resource to value.
func (r *GroundTruthExecutionRole) override(name string, value interface{}) {
	cfn := r.resource.Node().DefaultChild().(awscdk.CfnResource)
	cfn.AddPropertyOverride(jsii.String(name), value)
}
