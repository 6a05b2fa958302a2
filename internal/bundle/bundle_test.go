package bundle

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gtrole/groundtruth-execution-role/test/buildlock"
)

func zipOf(t *testing.T, binary []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Zip(&buf, binary); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestZipEntry(t *testing.T) {
	data := zipOf(t, []byte("#!/bin/sh\n"))
	r, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.File) != 1 {
		t.Fatalf("zip holds %d entries, want 1", len(r.File))
	}
	f := r.File[0]
	tests := []struct{ what, got, want string }{
		{"name", f.Name, BinaryName},
		{"mode", f.Mode().String(), "-rwxr-xr-x"},
		{"modified", f.Modified.UTC().Format(time.RFC3339), Epoch.Format(time.RFC3339)},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.what, tt.got, tt.want)
		}
	}
}

// TestBuildReproducible builds the shipped binary twice, at different times into different directories, and
// zips each: the zips must be byte-identical.
func TestBuildReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the provider twice")
	}
	var sums [2]string
	for i := range sums {
		out := filepath.Join(t.TempDir(), BinaryName)
		// Other test packages build the same binary (the CDK construct's bundling): take turns on the build cache.
		if err := buildlock.Do(t.Context(), func() error { return Build(t.Context(), ".", DefaultArch, out) }); err != nil {
			t.Fatal(err)
		}
		bin, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		sums[i] = fmt.Sprintf("%x", sha256.Sum256(zipOf(t, bin)))
		t.Logf("build %d: bootstrap.zip sha256 %s", i+1, sums[i])
		if i == 0 {
			time.Sleep(2 * time.Second) // a zip's timestamps have 2-second resolution
		}
	}
	if sums[0] != sums[1] {
		t.Errorf("two builds of the same source differ: %s vs %s", sums[0], sums[1])
	}
}

func TestSourceHash(t *testing.T) {
	arm, err := SourceHash(t.Context(), ".", "arm64")
	if err != nil {
		t.Fatal(err)
	}
	again, err := SourceHash(t.Context(), ".", "arm64")
	if err != nil {
		t.Fatal(err)
	}
	amd, err := SourceHash(t.Context(), ".", "amd64")
	if err != nil {
		t.Fatal(err)
	}
	if arm != again {
		t.Errorf("hash of the same source differs: %s vs %s", arm, again)
	}
	if arm == amd {
		t.Errorf("arm64 and amd64 builds share the hash %s", arm)
	}
	if len(arm) != 64 {
		t.Errorf("hash %q is not hex SHA-256", arm)
	}
}
