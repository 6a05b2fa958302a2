package provider

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// ServiceTokenExportSuffix follows the stack name in the name of the ServiceToken export.
const ServiceTokenExportSuffix = "-ServiceToken"

// PermissionsBoundaryExportSuffix follows the stack name in the name of the boundary export (when there is one).
const PermissionsBoundaryExportSuffix = "-PermissionsBoundary"

// StackProps configures a provider stack.
type StackProps struct {
	awscdk.StackProps
	// Provider configures the provider the stack holds.
	Provider Props
}

// NewProviderStack defines a standalone stack holding one Provider (construct id "Provider"), with the
// output and export `ServiceToken` (named `<stack name>-ServiceToken`) and the output `FunctionArn`.
func NewProviderStack(scope constructs.Construct, id string, props *StackProps) (awscdk.Stack, *Provider) {
	if props == nil {
		props = &StackProps{}
	}
	sprops := props.StackProps
	if sprops.Description == nil {
		sprops.Description = jsii.String("Provider of the Custom::GroundTruthExecutionRole CloudFormation resource type")
	}
	stack := awscdk.NewStack(scope, jsii.String(id), &sprops)
	p := NewProvider(stack, "Provider", &props.Provider)

	awscdk.NewCfnOutput(stack, jsii.String("ServiceToken"), &awscdk.CfnOutputProps{
		Description: jsii.String("ServiceToken of Custom::GroundTruthExecutionRole resources"),
		Value:       p.ServiceToken(),
		ExportName:  jsii.String(ServiceTokenExportName(*stack.StackName())),
	})
	if b := p.PermissionsBoundary(); b != nil {
		// templates/launch-role.yaml imports it: a Service Catalog launch role exists only beside a bounded provider.
		awscdk.NewCfnOutput(stack, jsii.String("PermissionsBoundary"), &awscdk.CfnOutputProps{
			Description: jsii.String("Permissions boundary every role of this provider carries"),
			Value:       b,
			ExportName:  jsii.String(*stack.StackName() + PermissionsBoundaryExportSuffix),
		})
	}
	awscdk.NewCfnOutput(stack, jsii.String("FunctionArn"), &awscdk.CfnOutputProps{
		Description: jsii.String("ARN of the provider Lambda function"),
		Value:       p.Function().FunctionArn(),
	})
	return stack, p
}

// ServiceTokenExportName is the name of the export a provider stack named stackName creates.
func ServiceTokenExportName(stackName string) string {
	return stackName + ServiceTokenExportSuffix
}

// ImportServiceToken reads the service token exported by the provider stack named stackName.
func ImportServiceToken(stackName string) *string {
	return awscdk.Fn_ImportValue(jsii.String(ServiceTokenExportName(stackName)))
}
