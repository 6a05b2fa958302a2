package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/gtrole/groundtruth-execution-role/cdk/provider"
	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// Stack names of the app; the provider's export is named after providerStackName.
const (
	providerStackName = contract.DefaultProviderStackName
	examplesStackName = "GroundTruthRoleExamples"
)

// appStacks are the stacks buildApp defines.
type appStacks struct {
	provider awscdk.Stack
	examples *examplesStack
}

// buildApp sets the feature flags the stacks need, defines the app's stacks in app and applies the cdk-nag AwsSolutions checks to all of them.
// Both stacks are environment-agnostic, so synthesis needs neither credentials nor lookups.
func buildApp(app awscdk.App) appStacks {
	setRequiredFeatureFlags(app)
	p, _ := provider.NewProviderStack(app, providerStackName, nil)
	ex := newExamplesStack(app, examplesStackName, &awscdk.StackProps{
		Description: jsii.String("Example Custom::GroundTruthExecutionRole resources, one per Ground Truth scenario"),
	}, provider.ImportServiceToken(providerStackName))
	ex.AddDependency(p, jsii.String("imports the provider's ServiceToken export"))

	awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
	return appStacks{provider: p, examples: ex}
}
