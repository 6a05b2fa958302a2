package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/gtrole/groundtruth-execution-role/internal/bundle"
)

// sourceCode is the provider's Lambda code built from source at synth time: CDK asset bundling whose local bundler
// runs the shipped `go build` (internal/bundle) in this module's own directory as the app's module resolves it
// (the module cache's copy after `go get`, see bundle.ModuleDir), with this module's go.mod and go.sum, so any Go
// module that uses the construct can deploy the provider with only the Go toolchain. The asset is keyed by the
// hash of the source the binary is built from: an unchanged source is neither rebuilt (while cdk.out holds it) nor
// uploaded again.
func sourceCode(dir string) (awslambda.Code, error) {
	ctx := context.Background()
	moduleDir, err := bundle.ModuleDir(ctx, dir)
	if err != nil {
		return nil, err
	}
	hash, err := bundle.SourceHash(ctx, moduleDir, bundle.DefaultArch)
	if err != nil {
		return nil, err
	}
	return awslambda.Code_FromAsset(jsii.String(bundle.PackageDir(moduleDir)), &awss3assets.AssetOptions{
		AssetHash:     jsii.String(hash),
		AssetHashType: awscdk.AssetHashType_CUSTOM,
		Bundling: &awscdk.BundlingOptions{
			// CDK requires an image; it is never pulled, since the local bundler builds or fails the synth.
			Image: awscdk.DockerImage_FromRegistry(jsii.String("public.ecr.aws/docker/library/golang")),
			Local: &goBuild{dir: moduleDir, arch: bundle.DefaultArch},
		},
	}), nil
}

// sourceCodeOrError is sourceCode, or, when the source cannot be resolved (no Go toolchain, the module not
// downloaded), an error annotation on scope that names the fix and placeholder code that deploys nothing: `cdk
// synth` then reports the error and exits non-zero, and `cdk deploy` refuses, as for any construct error.
func sourceCodeOrError(scope constructs.Construct, dir string) awslambda.Code {
	code, err := sourceCode(dir)
	if err == nil {
		return code
	}
	awscdk.Annotations_Of(scope).AddError(jsii.String(fmt.Sprintf(
		"the provider Lambda is built from source at synth time, which needs the Go toolchain and the module %s "+
			"in the app's go.mod (`go get %s@latest`, then `go mod tidy`); or set provider.Props.CodePath, or "+
			"-c %s=<zip>, to a built bootstrap.zip from a release: %v", bundle.Module, bundle.Module, CodePathContextKey, err)))
	return awslambda.Code_FromCfnParameters(nil)
}

// goBuild is the local bundler (awscdk.ILocalBundling): `go build` of the provider into the asset's output directory.
type goBuild struct{ dir, arch string }

// TryBundle builds the provider binary into outputDir. A failed build stops the synth with the compiler's
// output instead of falling back to Docker; CDK reports it as a failed bundling of the asset. sourceCode has
// already resolved and verified every package the build reads, so what is left to fail is the compiler.
func (g *goBuild) TryBundle(outputDir *string, _ *awscdk.BundlingOptions) *bool {
	out := filepath.Join(*outputDir, bundle.BinaryName)
	if err := bundle.Build(context.Background(), g.dir, g.arch, out); err != nil {
		panic(fmt.Sprintf("build the provider Lambda from source (or set provider.Props.CodePath to a built zip): %v", err))
	}
	return jsii.Bool(true)
}

// workingDir is the directory the CDK app runs in: the consumer's module.
func workingDir() (string, error) { return os.Getwd() }
