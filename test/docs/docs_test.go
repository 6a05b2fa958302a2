// Package docs checks the project's Markdown: README.md stays short, every link in README.md, docs/*.md and
// test/README.md resolves inside the repository (a file that exists, a heading that exists) or is a public http(s)
// page, and test/README.md maps every directory under test/.
package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const root = "../.."

// maxReadmeLines bounds README.md: what it is, the two commands, install, the property table, one example each
// for templates and CDK, and links to docs/.
const maxReadmeLines = 250

func pages(t *testing.T) []string {
	t.Helper()
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) == 0 {
		t.Fatal("no docs/*.md")
	}
	return append([]string{filepath.Join(root, "README.md"), filepath.Join(root, "test", "README.md")}, docs...)
}

func TestReadmeIsShort(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(raw), "\n"); n > maxReadmeLines {
		t.Errorf("README.md has %d lines, at most %d: move the detail into docs/", n, maxReadmeLines)
	}
}

var (
	heading = regexp.MustCompile(`^#{1,6} +(.*)$`)
	link    = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	notWord = regexp.MustCompile(`[^\p{L}\p{N}_ -]`)
)

// anchor is GitHub's anchor for a heading: lowercase, punctuation removed, spaces become '-'.
func anchor(h string) string {
	return strings.ReplaceAll(notWord.ReplaceAllString(strings.ToLower(strings.TrimSpace(h)), ""), " ", "-")
}

// prose is the page without its fenced code blocks, which hold no links or headings.
func prose(doc string) []string {
	var out []string
	fenced := false
	for _, l := range strings.Split(doc, "\n") {
		if strings.HasPrefix(l, "```") {
			fenced = !fenced
			continue
		}
		if !fenced {
			out = append(out, l)
		}
	}
	return out
}

func anchors(t *testing.T, path string) map[string]bool {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]bool{}
	for _, l := range prose(string(raw)) {
		if m := heading.FindStringSubmatch(l); m != nil {
			set[anchor(m[1])] = true
		}
	}
	return set
}

func TestLinksResolve(t *testing.T) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, page := range pages(t) {
		raw, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range prose(string(raw)) {
			for _, m := range link.FindAllStringSubmatch(l, -1) {
				target := m[1]
				checked++
				if strings.HasPrefix(target, "https://") || strings.HasPrefix(target, "http://") {
					continue
				}
				file, frag, _ := strings.Cut(target, "#")
				dest := page
				if file != "" {
					dest = filepath.Join(filepath.Dir(page), file)
				}
				abs, err := filepath.Abs(dest)
				if err != nil {
					t.Fatal(err)
				}
				if rel, err := filepath.Rel(absRoot, abs); err != nil || strings.HasPrefix(rel, "..") {
					t.Errorf("%s: link %q leaves the repository", page, target)
					continue
				}
				if _, err := os.Stat(abs); err != nil {
					t.Errorf("%s: link %q: no such file", page, target)
					continue
				}
				if frag != "" && !anchors(t, abs)[frag] {
					t.Errorf("%s: link %q: %s has no heading with anchor #%s", page, target, dest, frag)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no links found")
	}
}

// TestTestMapIsComplete: test/README.md links every directory under test/ and test/cmd/, so a newcomer finds each
// suite, library and tool there.
func TestTestMapIsComplete(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(root, "test", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	linked := map[string]bool{}
	for _, m := range link.FindAllStringSubmatch(string(raw), -1) {
		linked[m[1]] = true
	}
	dirs := 0
	for _, pattern := range []string{"*", "cmd/*"} {
		matches, err := filepath.Glob(filepath.Join(root, "test", pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range matches {
			if fi, err := os.Stat(m); err != nil || !fi.IsDir() {
				continue
			}
			rel, _ := filepath.Rel(filepath.Join(root, "test"), m)
			if rel == "cmd" {
				continue // its commands are listed one by one
			}
			dirs++
			if !linked[filepath.ToSlash(rel)] {
				t.Errorf("test/README.md does not link test/%s", filepath.ToSlash(rel))
			}
		}
	}
	if dirs == 0 {
		t.Fatal("no directories under test/")
	}
}

// TestAnchorRules pins anchor to GitHub's rules on headings this documentation uses.
func TestAnchorRules(t *testing.T) {
	for h, want := range map[string]string{
		"Policy lint on AWS's data":                   "policy-lint-on-awss-data",
		"Data perimeter: other accounts":              "data-perimeter-other-accounts",
		"`gtrole render`":                             "gtrole-render",
		"CloudFormation templates (no CDK)":           "cloudformation-templates-no-cdk",
		"Using the construct from another Go CDK app": "using-the-construct-from-another-go-cdk-app",
	} {
		if got := anchor(h); got != want {
			t.Errorf("anchor(%q) = %q, want %q", h, got, want)
		}
	}
}
