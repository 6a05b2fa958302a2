package version

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

const root = "../.."

func TestVersionIsSemantic(t *testing.T) {
	if !regexp.MustCompile(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`).MatchString(Version) {
		t.Fatalf("VERSION %q is not a semantic version", Version)
	}
}

// TestPackageJSONVersions holds every package.json of the project to the one version.
func TestPackageJSONVersions(t *testing.T) {
	for _, path := range []string{"package.json", "examples/typescript/package.json", "constructs/package.json"} {
		t.Run(path, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(root, path))
			if err != nil {
				t.Fatal(err)
			}
			var pkg struct {
				Version string `json:"version"`
				License string `json:"license"`
			}
			if err := json.Unmarshal(raw, &pkg); err != nil {
				t.Fatal(err)
			}
			if pkg.Version != Version {
				t.Errorf("%s has version %q, VERSION has %q", path, pkg.Version, Version)
			}
			if pkg.License != "Apache-2.0" {
				t.Errorf("%s has license %q, want Apache-2.0 (the LICENSE file)", path, pkg.License)
			}
		})
	}
}

// TestReadmeArtifactNames holds the README's and docs/'s mentions of versioned artifacts to the version.
func TestReadmeArtifactNames(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		page, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		raw = append(raw, page...)
	}
	mentions := regexp.MustCompile(`bootstrap-([0-9][0-9A-Za-z.-]*[0-9A-Za-z])\.zip`).FindAllStringSubmatch(string(raw), -1)
	if len(mentions) == 0 {
		t.Fatal("README names no bootstrap-<version>.zip")
	}
	for _, m := range mentions {
		if m[1] != Version {
			t.Errorf("README mentions %s, but the version is %s", m[0], Version)
		}
	}
}
