package main

import (
	"archive/zip"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/gtrole/groundtruth-execution-role/cdk/provider"
)

// placeholderZip writes a provider bundle holding a placeholder `bootstrap` into dir.
func placeholderZip(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "bootstrap.zip")
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
	if _, err := entry.Write([]byte("#!/bin/sh\nexit 1\n")); err != nil {
		t.Fatalf("write zip: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("close zip: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatalf("close file: %v", err)
	}
	return path
}

// projectContext reads the context (feature flags) of the repository's cdk.json.
func projectContext(t *testing.T) map[string]interface{} {
	t.Helper()
	raw, err := os.ReadFile("../cdk.json")
	if err != nil {
		t.Fatalf("read cdk.json: %v", err)
	}
	var cfg struct {
		App     string                 `json:"app"`
		Context map[string]interface{} `json:"context"`
	}
	if err := json.Unmarshal(raw, &cfg); err != nil {
		t.Fatalf("decode cdk.json: %v", err)
	}
	if cfg.App != "go run ./cdk" {
		t.Errorf("cdk.json app = %q, want %q", cfg.App, "go run ./cdk")
	}
	return cfg.Context
}

// newTestApp builds the app as `cdk synth` would (cdk.json flags, placeholder bundle) into a temp dir.
func newTestApp(t *testing.T) (awscdk.App, appStacks) {
	t.Helper()
	ctx := projectContext(t)
	ctx[provider.CodePathContextKey] = placeholderZip(t, t.TempDir())
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
