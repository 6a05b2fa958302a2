// Package cdktest holds what the CDK packages' tests share: a placeholder provider bundle and the feature flags of
// the repository's cdk.json, so tests synthesize as `cdk synth` does.
package cdktest

import (
	"archive/zip"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// PlaceholderZip writes a provider bundle holding a placeholder `bootstrap` into dir and returns its path.
func PlaceholderZip(t testing.TB, dir string) string {
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

// Config is the part of cdk.json the tests read.
type Config struct {
	App     string         `json:"app"`
	Context map[string]any `json:"context"`
}

// ProjectConfig reads the repository's cdk.json, found in the nearest directory above the test holding go.mod.
func ProjectConfig(t testing.TB) Config {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
	raw, err := os.ReadFile(filepath.Join(dir, "cdk.json"))
	if err != nil {
		t.Fatalf("read cdk.json: %v", err)
	}
	var cfg Config
	if err := json.Unmarshal(raw, &cfg); err != nil {
		t.Fatalf("decode cdk.json: %v", err)
	}
	return cfg
}
