package provider

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/gtrole/groundtruth-execution-role/cdk/internal/cdktest"
)

// synthStackWithContext builds a provider stack named TestProvider in a fresh app with the given
// context (feature flags) and returns its template. A placeholder bundle is used unless props name one.
func synthStackWithContext(t *testing.T, props Props, context map[string]interface{}) assertions.Template {
	t.Helper()
	if props.CodePath == nil {
		props.CodePath = jsii.String(cdktest.PlaceholderZip(t, t.TempDir()))
	}
	appProps := &awscdk.AppProps{Outdir: jsii.String(t.TempDir())}
	if context != nil {
		appProps.Context = &context
	}
	stack, _ := NewProviderStack(awscdk.NewApp(appProps), "TestProvider", &StackProps{Provider: props})
	return assertions.Template_FromStack(stack, nil)
}
