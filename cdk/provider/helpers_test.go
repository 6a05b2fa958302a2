package provider

import (
	"archive/zip"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// testZip writes a bundle holding a placeholder `bootstrap` and returns its path.
func testZip(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bootstrap.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatalf("create zip: %v", err)
	}
	w := zip.NewWriter(f)
	hdr := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate}
	hdr.SetMode(0o755)
	entry, err := w.CreateHeader(hdr)
	if err != nil {
		t.Fatalf("zip entry: %v", err)
	}
	if _, err := entry.Write([]byte("#!/bin/sh\nexit 0\n")); err != nil {
		t.Fatalf("write zip entry: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("close zip writer: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("close zip: %v", err)
	}
	return path
}

// synthStackWithContext builds a provider stack named TestProvider in a fresh app with the given
// context (feature flags) and returns its template. A placeholder bundle is used unless props name one.
func synthStackWithContext(t *testing.T, props Props, context map[string]interface{}) assertions.Template {
	t.Helper()
	if props.CodePath == nil {
		props.CodePath = jsii.String(testZip(t))
	}
	appProps := &awscdk.AppProps{Outdir: jsii.String(t.TempDir())}
	if context != nil {
		appProps.Context = &context
	}
	stack, _ := NewProviderStack(awscdk.NewApp(appProps), "TestProvider", &StackProps{Provider: props})
	return assertions.Template_FromStack(stack, nil)
}
