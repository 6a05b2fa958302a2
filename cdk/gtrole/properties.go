package gtrole

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// Property names of Custom::GroundTruthExecutionRole.
const (
	PropServiceToken             = "ServiceToken"
	PropRoleName                 = "RoleName"
	PropPath                     = "Path"
	PropDescription              = "Description"
	PropMaxSessionDuration       = "MaxSessionDuration"
	PropPermissionsBoundary      = "PermissionsBoundary"
	PropTags                     = "Tags"
	PropInputBuckets             = "InputBuckets"
	PropOutputBuckets            = "OutputBuckets"
	PropStreamingInputTopicArns  = "StreamingInputTopicArns"
	PropStreamingOutputTopicArns = "StreamingOutputTopicArns"
	PropPreAnnotationLambdaArns  = "PreAnnotationLambdaArns"
	PropPostAnnotationLambdaArns = "PostAnnotationLambdaArns"
	PropAutomatedLabeling        = "AutomatedLabeling"
	PropKmsKeyArns               = "KmsKeyArns"
	PropVolumeKmsKeyArns         = "VolumeKmsKeyArns"
	PropUseManagedPolicy         = "UseManagedPolicy"
	PropManagedPolicyArns        = "ManagedPolicyArns"
	PropConfusedDeputyProtection = "ConfusedDeputyProtection"
)

// Bounds of MaxSessionDuration, in seconds, as IAM enforces them.
const (
	minSessionSeconds = 3600
	maxSessionSeconds = 43200
)

// lists holds the list-valued properties, which Add* methods extend after construction.
type lists struct {
	inputBuckets, outputBuckets                 []string
	streamingInputTopics, streamingOutputTopics []string
	preAnnotation, postAnnotation               []string
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
	if *secs < minSessionSeconds || *secs > maxSessionSeconds {
		return nil, fmt.Errorf("max session duration %gs is outside %d-%d seconds", *secs, minSessionSeconds, maxSessionSeconds)
	}
	return secs, nil
}
