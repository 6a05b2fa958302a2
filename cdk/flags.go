package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// requiredFeatureFlags are the CDK feature flags the app's stacks need in order to synthesize, set in code so the
// app works without cdk.json's context (`go run ./cdk`, or a copy of the code in another app). cdk.json sets the
// same values; a test holds the two together.
var requiredFeatureFlags = map[string]bool{
	// The access-log bucket enforces bucket-owner object ownership; without this flag CDK grants log delivery
	// through an ACL, which that ownership setting forbids.
	"@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy": true,
}

// setRequiredFeatureFlags sets requiredFeatureFlags on app, which must have no children yet.
func setRequiredFeatureFlags(app awscdk.App) {
	for key, value := range requiredFeatureFlags {
		app.Node().SetContext(jsii.String(key), value)
	}
}
