package gtrole

import (
	"strconv"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// TestServiceTimeout checks that the construct's custom resource sets ServiceTimeout (seconds, as CloudFormation
// takes it) to contract.ServiceTimeoutSeconds, the value the templates use. CDK's CustomResource renders it as a
// string, which CloudFormation reads as the integer.
func TestServiceTimeout(t *testing.T) {
	stack := newStack(t)
	NewGroundTruthExecutionRole(stack, "Role", &Props{ServiceToken: jsii.String(token), OutputBuckets: []BucketAccess{{Bucket: importSiblings(stack).out}}})
	assertions.Template_FromStack(stack, nil).HasResourceProperties(jsii.String(ResourceType), &map[string]any{
		contract.ServiceTimeout: strconv.Itoa(contract.ServiceTimeoutSeconds),
	})
}
