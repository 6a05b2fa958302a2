// Command cdk is the CDK app of the repository: the provider stack of Custom::GroundTruthExecutionRole
// and an example stack with one role per documented Ground Truth scenario. Run it with `npx cdk synth`.
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	buildApp(app)
	app.Synth(nil)
}
