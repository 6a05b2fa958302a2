package gtrole

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/gtrole/groundtruth-execution-role/cdk/provider"
)

// SingletonProviderID is the construct id, directly under the stack, of the provider created for
// roles that have no ServiceToken.
const SingletonProviderID = "GroundTruthExecutionRoleProvider"

// singletonServiceToken returns the service token of the stack's shared provider, creating the
// provider the first time it is asked for.
func singletonServiceToken(scope constructs.Construct, props *provider.Props) *string {
	stack := awscdk.Stack_Of(scope)
	existing := stack.Node().TryFindChild(jsii.String(SingletonProviderID))
	if existing == nil {
		return provider.NewProvider(stack, SingletonProviderID, props).ServiceToken()
	}
	fn, ok := existing.Node().TryFindChild(jsii.String(provider.FunctionID)).(awslambda.IFunction)
	if !ok {
		panic(fmt.Sprintf("%s: construct %q is not a provider", *stack.Node().Path(), SingletonProviderID))
	}
	return fn.FunctionArn()
}
