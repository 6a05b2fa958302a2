package main

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/gtrole/groundtruth-execution-role/cdk/internal/cdktest"
	"github.com/gtrole/groundtruth-execution-role/cdk/provider"
)

// newTestApp builds the app as `cdk synth` would (cdk.json flags, placeholder bundle) into a temp dir.
func newTestApp(t *testing.T) (awscdk.App, appStacks) {
	t.Helper()
	cfg := cdktest.ProjectConfig(t)
	if cfg.App != "go run ./cdk" {
		t.Errorf("cdk.json app = %q, want %q", cfg.App, "go run ./cdk")
	}
	ctx := cfg.Context
	ctx[provider.CodePathContextKey] = cdktest.PlaceholderZip(t, t.TempDir())
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir()), Context: &ctx})
	return app, buildApp(app)
}

// templateResources is the Resources section of a template.
type templateResources struct {
	Resources map[string]struct {
		Type       string                     `json:"Type"`
		Properties map[string]json.RawMessage `json:"Properties"`
	} `json:"Resources"`
}

// countTypes counts a template's resources by type.
func (t templateResources) countTypes() map[string]int {
	out := map[string]int{}
	for _, r := range t.Resources {
		out[r.Type]++
	}
	return out
}
