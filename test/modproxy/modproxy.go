// Package modproxy serves this repository to a test's `go` commands the way the Go module proxy serves a published
// module: a module zip made by golang.org/x/mod/zip (the code the go command verifies zips with) from the files a
// commit would hold, under a GOPROXY directory (the file:// form of the proxy protocol). A consumer module then
// resolves the module with `go get` and `go mod tidy` exactly as a user would, into the module cache, with only
// two differences from a published release, both confined to this module: the proxy URL, and GONOSUMDB, because
// the checksum database has never seen this code.
package modproxy

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/zip"

	"github.com/gtrole/groundtruth-execution-role/test/checkout"
)

// Module is a module served by a local proxy.
type Module struct {
	Path    string // module path, from go.mod
	Version string // pseudo-version, unique to the zip's content
	Proxy   string // the GOPROXY entry (file://...)
}

// Env is the environment a consumer's go commands run in: the caller's, with this proxy tried first (every other
// module still comes from the configured proxy or the module cache) and the checksum database skipped for this
// one module only.
func (m Module) Env() []string {
	proxy := os.Getenv("GOPROXY")
	if out, err := exec.Command("go", "env", "GOPROXY").Output(); err == nil {
		proxy = strings.TrimSpace(string(out))
	}
	return append(os.Environ(), "GOPROXY="+m.Proxy+","+proxy, "GONOSUMDB="+m.Path)
}

// Serve zips the module rooted at repo (the files git would commit: tracked and untracked but not ignored, with
// their working-tree contents) into a new proxy directory. The version is a pseudo-version whose revision is a
// hash of the zip, so a changed tree is a new version and the shared module cache never holds two contents under
// one version; the extracted copy is removed from the module cache when the test ends.
func Serve(t testing.TB, repo string) Module {
	t.Helper()
	gomod, err := os.ReadFile(filepath.Join(repo, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	path := modulePath(t, gomod)
	files := committable(t, repo)

	// The zip's content is independent of its version's name but Create needs one: zip under a placeholder, hash,
	// then zip again under the real version.
	h := sha256.New()
	if err := zip.Create(h, module.Version{Path: path, Version: "v0.0.0-00010101000000-000000000000"}, files); err != nil {
		t.Fatalf("module zip: %v", err)
	}
	now := time.Now().UTC()
	version := module.PseudoVersion("v0", "", now, hex.EncodeToString(h.Sum(nil))[:12])

	dir := filepath.Join(t.TempDir(), "proxy")
	vdir := filepath.Join(dir, filepath.FromSlash(escape(t, path)), "@v")
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		t.Fatal(err)
	}
	zf, err := os.Create(filepath.Join(vdir, version+".zip"))
	if err != nil {
		t.Fatal(err)
	}
	if err := zip.Create(zf, module.Version{Path: path, Version: version}, files); err != nil {
		t.Fatalf("module zip: %v", err)
	}
	if err := zf.Close(); err != nil {
		t.Fatal(err)
	}
	info, _ := json.Marshal(struct{ Version, Time string }{version, now.Format(time.RFC3339)})
	for name, data := range map[string][]byte{version + ".mod": gomod, version + ".info": info, "list": []byte(version + "\n")} {
		if err := os.WriteFile(filepath.Join(vdir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { removeFromModCache(t, path, version) })
	return Module{Path: path, Version: version, Proxy: "file://" + filepath.ToSlash(dir)}
}

func modulePath(t testing.TB, gomod []byte) string {
	for _, line := range strings.Split(string(gomod), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.TrimSpace(rest)
		}
	}
	t.Fatal("go.mod names no module")
	return ""
}

func escape(t testing.TB, path string) string {
	e, err := module.EscapePath(path)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// committable is checkout.Files as zip entries.
func committable(t testing.TB, repo string) []zip.File {
	var files []zip.File
	for _, name := range checkout.Files(t, repo) {
		full := filepath.Join(repo, filepath.FromSlash(name))
		info, err := os.Lstat(full)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, file{name: name, full: full, info: info})
	}
	return files
}

type file struct {
	name, full string
	info       os.FileInfo
}

func (f file) Path() string                 { return f.name }
func (f file) Lstat() (os.FileInfo, error)  { return f.info, nil }
func (f file) Open() (io.ReadCloser, error) { return os.Open(f.full) }

// removeFromModCache deletes version's extracted copy and downloads from the module cache (the go command makes
// them read-only).
func removeFromModCache(t testing.TB, path, version string) {
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Logf("go env GOMODCACHE: %v", err)
		return
	}
	cache := strings.TrimSpace(string(out))
	escaped := escape(t, path)
	extracted := filepath.Join(cache, filepath.FromSlash(escaped)+"@"+version)
	_ = filepath.Walk(extracted, func(p string, info os.FileInfo, err error) error {
		if err == nil && info.IsDir() {
			_ = os.Chmod(p, 0o755)
		}
		return nil
	})
	if err := os.RemoveAll(extracted); err != nil {
		t.Logf("clean the module cache: %v", err)
	}
	downloads, _ := filepath.Glob(filepath.Join(cache, "cache", "download", filepath.FromSlash(escaped), "@v", version+".*"))
	for _, d := range downloads {
		_ = os.Remove(d)
	}
}
