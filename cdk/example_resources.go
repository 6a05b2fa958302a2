package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Inline code of the example custom-workflow Lambdas.
const (
	preAnnotationCode = `def handler(event, context):
    # Pass the data object through to the worker task template unchanged.
    return {"taskInput": event["dataObject"]}
`
	postAnnotationCode = `def handler(event, context):
    # A real consolidation function reads event["payload"]["s3Uri"] and merges worker answers.
    return []
`
)

// newExampleResources defines the data resources the example roles are granted: keys, buckets
// (access-logged to one log bucket), KMS-encrypted topics and two custom-workflow functions.
func newExampleResources(scope constructs.Construct) *exampleResources {
	res := &exampleResources{
		dataKey:   exampleKey(scope, "DataKey", "Encrypts example labeling data and streaming topics"),
		volumeKey: exampleKey(scope, "VolumeKey", "Encrypts automated labeling ML storage volumes"),
	}

	logs := awss3.NewBucket(scope, jsii.String("AccessLogs"), &awss3.BucketProps{
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:        jsii.Bool(true),
		Versioned:         jsii.Bool(true),
		ObjectOwnership:   awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
	})

	res.input = exampleBucket(scope, "Input", logs, nil)
	res.output = exampleBucket(scope, "Output", logs, nil)
	res.encrypted = exampleBucket(scope, "EncryptedData", logs, res.dataKey)

	res.streamIn = exampleTopic(scope, "StreamingInput", res.dataKey)
	res.streamOut = exampleTopic(scope, "StreamingOutput", res.dataKey)

	res.pre = exampleFunction(scope, "PreAnnotation", preAnnotationCode)
	res.post = exampleFunction(scope, "PostAnnotation", postAnnotationCode)
	return res
}

// exampleKey defines a customer managed key with rotation.
func exampleKey(scope constructs.Construct, id, description string) awskms.Key {
	return awskms.NewKey(scope, jsii.String(id), &awskms.KeyProps{
		Description:       jsii.String(description),
		EnableKeyRotation: jsii.Bool(true),
		RemovalPolicy:     awscdk.RemovalPolicy_DESTROY,
		PendingWindow:     awscdk.Duration_Days(jsii.Number(7)),
	})
}

// exampleBucket defines a private, TLS-only, access-logged bucket, KMS-encrypted when key is set.
func exampleBucket(scope constructs.Construct, id string, logs awss3.IBucket, key awskms.IKey) awss3.Bucket {
	props := &awss3.BucketProps{
		Encryption:             awss3.BucketEncryption_S3_MANAGED,
		BlockPublicAccess:      awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:             jsii.Bool(true),
		Versioned:              jsii.Bool(true),
		ObjectOwnership:        awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		ServerAccessLogsBucket: logs,
		ServerAccessLogsPrefix: jsii.String(id + "/"),
		RemovalPolicy:          awscdk.RemovalPolicy_RETAIN,
	}
	if key != nil {
		props.Encryption = awss3.BucketEncryption_KMS
		props.EncryptionKey = key
		props.BucketKeyEnabled = jsii.Bool(true)
	}
	return awss3.NewBucket(scope, jsii.String(id), props)
}

// exampleTopic defines a KMS-encrypted topic that refuses non-TLS publishers.
func exampleTopic(scope constructs.Construct, id string, key awskms.IKey) awssns.Topic {
	return awssns.NewTopic(scope, jsii.String(id), &awssns.TopicProps{
		MasterKey:  key,
		EnforceSSL: jsii.Bool(true),
	})
}

// exampleFunction defines an inline Python function with its own log group and a role that may
// only write to that log group (no AWSLambdaBasicExecutionRole).
func exampleFunction(scope constructs.Construct, id, code string) awslambda.Function {
	this := constructs.NewConstruct(scope, jsii.String(id))
	name := awscdk.Names_UniqueResourceName(this, &awscdk.UniqueResourceNameOptions{
		MaxLength: jsii.Number(64), Separator: jsii.String("-"), AllowedSpecialCharacters: jsii.String("-_"),
	})
	logGroup := awslogs.NewLogGroup(this, jsii.String("LogGroup"), &awslogs.LogGroupProps{
		LogGroupName:  jsii.String("/aws/lambda/" + *name),
		Retention:     awslogs.RetentionDays_ONE_MONTH,
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	role := awsiam.NewRole(this, jsii.String("Role"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		InlinePolicies: &map[string]awsiam.PolicyDocument{
			"WriteOwnLogs": awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{
				Statements: &[]awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
					Actions:   jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents"),
					Resources: jsii.Strings(*logGroup.LogGroupArn()),
				})},
			}),
		},
	})
	fn := awslambda.NewFunction(this, jsii.String("Function"), &awslambda.FunctionProps{
		FunctionName: name,
		Runtime:      awslambda.Runtime_PYTHON_3_14(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String("index.handler"),
		Code:         awslambda.Code_FromInline(jsii.String(code)),
		MemorySize:   jsii.Number(128),
		Timeout:      awscdk.Duration_Seconds(jsii.Number(30)),
		Role:         role,
		LogGroup:     logGroup,
	})
	// The role's ARN is read by GetAtt and its policy is inline, so CDK's extra DependsOn is redundant (cfn-lint W3005).
	fn.Node().DefaultChild().(awscdk.CfnResource).AddDeletionOverride(jsii.String("DependsOn"))
	return fn
}
