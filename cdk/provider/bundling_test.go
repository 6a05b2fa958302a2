package provider

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// TestSourceBuildUnresolvedIsACDKError synthesizes a provider with no CodePath from a module that does not require
// this one (as when a user has not run `go get`): the construct must report a CDK error on the provider that names
// the fix, which `cdk synth` prints and stops on, instead of panicking out of the app with a goroutine trace.
func TestSourceBuildUnresolvedIsACDKError(t *testing.T) {
	consumer := t.TempDir()
	if err := os.WriteFile(filepath.Join(consumer, "go.mod"), []byte("module example.com/nothing\n\ngo 1.26.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(consumer)
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
	stack := awscdk.NewStack(app, jsii.String("Consumer"), nil)
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("NewProvider panicked: %v", r)
			}
		}()
		NewProvider(stack, "Provider", nil)
	}()
	assertions.Annotations_FromStack(stack).HasError(jsii.String("/Consumer/Provider"),
		assertions.Match_StringLikeRegexp(jsii.String(`go get github\.com/gtrole/groundtruth-execution-role@latest.*CodePath`)))
}
