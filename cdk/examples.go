package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/gtrole/groundtruth-execution-role/cdk/gtrole"
)

// examplesStack (pass its Stack, not itself, as a scope) holds sample data resources and one GroundTruthExecutionRole per documented scenario.
type examplesStack struct {
	awscdk.Stack
	roles map[string]*gtrole.GroundTruthExecutionRole
}

// Scenario ids: the construct ids of the example roles.
const (
	scenarioNonStreaming      = "NonStreaming"
	scenarioStreaming         = "Streaming"
	scenarioCustomWorkflow    = "CustomWorkflow"
	scenarioAutomatedLabeling = "AutomatedLabeling"
	scenarioKms               = "Kms"
)

// exampleResources are the sibling resources the example roles are granted access to.
type exampleResources struct {
	dataKey, volumeKey       awskms.Key
	input, output, encrypted awss3.Bucket
	streamIn, streamOut      awssns.Topic
	pre, post                awslambda.Function
}

// newExamplesStack defines the example stack; serviceToken is the provider the roles use.
func newExamplesStack(scope constructs.Construct, id string, props *awscdk.StackProps, serviceToken *string) *examplesStack {
	s := &examplesStack{
		Stack: awscdk.NewStack(scope, jsii.String(id), props),
		roles: map[string]*gtrole.GroundTruthExecutionRole{},
	}
	res := newExampleResources(s.Stack)

	s.add(scenarioNonStreaming, &gtrole.Props{
		ServiceToken:       serviceToken,
		Description:        jsii.String("Ground Truth labeling jobs reading input/ and writing labels/"),
		MaxSessionDuration: awscdk.Duration_Hours(jsii.Number(2)),
		Tags:               []awscdk.CfnTag{{Key: jsii.String("scenario"), Value: jsii.String("non-streaming")}},
		InputBuckets:       []gtrole.BucketAccess{{Bucket: res.input, Prefix: jsii.String("input/")}},
		OutputBuckets:      []gtrole.BucketAccess{{Bucket: res.output, Prefix: jsii.String("labels/")}},
	})
	s.add(scenarioStreaming, &gtrole.Props{
		ServiceToken:          serviceToken,
		Description:           jsii.String("Streaming Ground Truth labeling jobs"),
		InputBuckets:          []gtrole.BucketAccess{{Bucket: res.input, Prefix: jsii.String("streaming/")}},
		OutputBuckets:         []gtrole.BucketAccess{{Bucket: res.output, Prefix: jsii.String("streaming/")}},
		StreamingInputTopics:  []awssns.ITopic{res.streamIn},
		StreamingOutputTopics: []awssns.ITopic{res.streamOut},
		KmsKeys:               []awskms.IKey{res.dataKey},
	})
	custom := s.add(scenarioCustomWorkflow, &gtrole.Props{
		ServiceToken:            serviceToken,
		Description:             jsii.String("Ground Truth custom labeling workflow"),
		PreAnnotationFunctions:  []awslambda.IFunction{res.pre},
		PostAnnotationFunctions: []awslambda.IFunction{res.post},
	})
	custom.AddInputBucket(res.input, "custom/")
	custom.AddOutputBucket(res.output, "custom/")
	s.add(scenarioAutomatedLabeling, &gtrole.Props{
		ServiceToken:      serviceToken,
		Description:       jsii.String("Ground Truth automated data labeling"),
		InputBuckets:      []gtrole.BucketAccess{{Bucket: res.input}},
		OutputBuckets:     []gtrole.BucketAccess{{Bucket: res.output, Prefix: jsii.String("auto/")}},
		AutomatedLabeling: jsii.Bool(true),
		VolumeKmsKeys:     []awskms.IKey{res.volumeKey},
	})
	s.add(scenarioKms, &gtrole.Props{
		ServiceToken:             serviceToken,
		Description:              jsii.String("Ground Truth labeling of KMS-encrypted data"),
		InputBuckets:             []gtrole.BucketAccess{{Bucket: res.encrypted, Prefix: jsii.String("in/")}},
		OutputBuckets:            []gtrole.BucketAccess{{Bucket: res.encrypted, Prefix: jsii.String("out/")}},
		KmsKeys:                  []awskms.IKey{res.dataKey},
		ConfusedDeputyProtection: jsii.Bool(true),
	})
	return s
}

// add defines one example role and outputs its ARN.
func (s *examplesStack) add(id string, props *gtrole.Props) *gtrole.GroundTruthExecutionRole {
	role := gtrole.NewGroundTruthExecutionRole(s.Stack, id, props)
	s.roles[id] = role
	awscdk.NewCfnOutput(s.Stack, jsii.String(id+"RoleArn"), &awscdk.CfnOutputProps{
		Description: jsii.String("ARN of the " + id + " example execution role"),
		Value:       role.RoleArn(),
	})
	return role
}
