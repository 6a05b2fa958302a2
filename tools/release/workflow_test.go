package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/internal/version"
)

// TestChangelogNamesTheVersion checks that CHANGELOG.md has a section for internal/version/VERSION, which the
// release workflow publishes as the release notes.
func TestChangelogNamesTheVersion(t *testing.T) {
	data, err := os.ReadFile("../../CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^## \[` + regexp.QuoteMeta(version.Version) + `\] - \d{4}-\d{2}-\d{2}$`).Match(data) {
		t.Errorf("CHANGELOG.md has no '## [%s] - YYYY-MM-DD' section", version.Version)
	}
}

// TestReleaseWorkflow checks the release workflow's contract: it runs on version tags, tests before it builds the
// release, attests every file SHA256SUMS lists and publishes dist/.
func TestReleaseWorkflow(t *testing.T) {
	data, err := os.ReadFile("../../.github/workflows/release.yml")
	if err != nil {
		t.Fatal(err)
	}
	w := string(data)
	order := []string{`tags: ["v*.*.*"]`, "id-token: write", "attestations: write", "run: make test", "run: make release",
		"uses: actions/attest-build-provenance@", "subject-checksums: dist/SHA256SUMS", "gh release create", "dist/*"}
	at := 0
	for _, want := range order {
		i := strings.Index(w[at:], want)
		if i < 0 {
			t.Fatalf("release.yml lacks %q after offset %d (want, in order: %q)", want, at, order)
		}
		at += i + len(want)
	}
}
