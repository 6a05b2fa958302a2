package main

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/gtrole/groundtruth-execution-role/cdk/internal/cdktest"
	"github.com/gtrole/groundtruth-execution-role/cdk/provider"
)

// TestSynthWithoutCdkJSONContext synthesizes the app with none of cdk.json's feature flags, as `go run ./cdk` does
// outside the CDK CLI.
func TestSynthWithoutCdkJSONContext(t *testing.T) {
	ctx := map[string]any{provider.CodePathContextKey: cdktest.PlaceholderZip(t, t.TempDir())}
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir()), Context: &ctx})
	stacks := buildApp(app)
	assembly := app.Synth(nil)
	for _, s := range []awscdk.Stack{stacks.provider, stacks.examples.Stack} {
		tpl, _ := assembly.GetStackArtifact(s.ArtifactId()).Template().(map[string]any)
		if resources, _ := tpl["Resources"].(map[string]any); len(resources) == 0 {
			t.Errorf("stack %s synthesized no resources", *s.StackName())
		}
	}
}

// TestRequiredFeatureFlagsMatchCdkJSON holds cdk.json to the flags the code sets.
func TestRequiredFeatureFlagsMatchCdkJSON(t *testing.T) {
	cfg := cdktest.ProjectConfig(t)
	for key, want := range requiredFeatureFlags {
		if got, ok := cfg.Context[key]; !ok || got != want {
			t.Errorf("cdk.json sets %s to %v, the code to %v", key, got, want)
		}
	}
}
