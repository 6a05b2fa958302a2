// Package checkout gives tests the files a commit of the working tree would hold (tracked, and untracked but not
// ignored, with their working-tree contents), and a fresh copy of them: what a clone at that commit would have,
// without build outputs, node_modules or caches.
package checkout

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Files lists, slash-separated and relative to repo, the files a commit of repo's working tree would hold.
func Files(t testing.TB, repo string) []string {
	t.Helper()
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = repo
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	var files []string
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		if _, err := os.Lstat(filepath.Join(repo, filepath.FromSlash(name))); err == nil {
			files = append(files, name) // else deleted in the working tree
		}
	}
	return files
}

// Fresh copies Files into a new temporary directory and returns it.
func Fresh(t testing.TB, repo string) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range Files(t, repo) {
		from, to := filepath.Join(repo, filepath.FromSlash(name)), filepath.Join(dir, filepath.FromSlash(name))
		info, err := os.Lstat(from)
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, data, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Clone is Fresh made a git repository with the files committed on its HEAD, as a clone of the commit would be
// (tools that read the module's version from git, like cyclonedx-gomod, need one).
func Clone(t testing.TB, repo string) string {
	t.Helper()
	dir := Fresh(t, repo)
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"},
		{"-c", "user.name=test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", "snapshot of the working tree"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return dir
}
