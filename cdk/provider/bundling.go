package provider

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"
	"github.com/aws/jsii-runtime-go"

	"github.com/gtrole/groundtruth-execution-role/internal/bundle"
)

// sourceCode is the provider's Lambda code built from source at synth time: CDK asset bundling whose local bundler
// runs the shipped `go build` (internal/bundle) in dir's module, so any Go module that uses the construct can
// deploy the provider with only the Go toolchain. The asset is keyed by the hash of the source the binary is built
// from: an unchanged source is neither rebuilt (while cdk.out holds it) nor uploaded again.
func sourceCode(dir string) (awslambda.Code, error) {
	ctx := context.Background()
	pkgDir, err := packageDir(ctx, dir)
	if err != nil {
		return nil, err
	}
	hash, err := bundle.SourceHash(ctx, dir, bundle.DefaultArch)
	if err != nil {
		return nil, err
	}
	return awslambda.Code_FromAsset(jsii.String(pkgDir), &awss3assets.AssetOptions{
		AssetHash:     jsii.String(hash),
		AssetHashType: awscdk.AssetHashType_CUSTOM,
		Bundling: &awscdk.BundlingOptions{
			// CDK requires an image; it is never pulled, since the local bundler builds or fails the synth.
			Image: awscdk.DockerImage_FromRegistry(jsii.String("public.ecr.aws/docker/library/golang")),
			Local: &goBuild{dir: dir, arch: bundle.DefaultArch},
		},
	}), nil
}

// goBuild is the local bundler (awscdk.ILocalBundling): `go build` of the provider into the asset's output directory.
type goBuild struct{ dir, arch string }

// TryBundle builds the provider binary into outputDir. A failed build stops the synth with the compiler's
// output instead of falling back to Docker.
func (g *goBuild) TryBundle(outputDir *string, _ *awscdk.BundlingOptions) *bool {
	out := filepath.Join(*outputDir, bundle.BinaryName)
	if err := bundle.Build(context.Background(), g.dir, g.arch, out); err != nil {
		panic(fmt.Sprintf("build the provider Lambda from source (or set provider.Props.CodePath to a built zip): %v", err))
	}
	return jsii.Bool(true)
}

// packageDir is the directory of the provider's main package as dir's module resolves it.
func packageDir(ctx context.Context, dir string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "list", "-f", "{{.Dir}}", bundle.Package)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("the provider Lambda is built from source at synth time, which needs the Go toolchain and %s in the module at %s (or set CodePath to a built zip): go list: %w\n%s",
			bundle.Package, dir, err, stderr.String())
	}
	return strings.TrimSpace(string(out)), nil
}

// workingDir is the directory the CDK app runs in: the consumer's module.
func workingDir() (string, error) { return os.Getwd() }
