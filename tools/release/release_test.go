package main

import (
	"archive/zip"
	"bytes"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/internal/bundle"
	"github.com/gtrole/groundtruth-execution-role/internal/version"
	"github.com/gtrole/groundtruth-execution-role/test/buildlock"
	"github.com/gtrole/groundtruth-execution-role/test/checkout"
)

// TestMakeRelease runs `make release` in a fresh clone of the working tree (no build/, dist/ or node_modules) and checks dist/: exactly the release's files, SHA256SUMS that `sha256sum -c` verifies and that
// lists every other file, each binary built for its platform, the CLI stamped with the version, the provider zip
// holding a linux/arm64 bootstrap, and CycloneDX SBOMs listing the modules linked.
func TestMakeRelease(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the provider and gtrole for five platforms")
	}
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	fresh := checkout.Clone(t, repo)
	cmd := exec.Command("make", "release")
	cmd.Dir = fresh
	cmd.Env = os.Environ()
	if err := buildlock.Do(t.Context(), func() error {
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("make release: %v\n%s", err, out)
		}
		t.Logf("make release:\n%s", out)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	dist := filepath.Join(fresh, "dist")

	templates, err := filepath.Glob(filepath.Join(repo, "templates", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{ProviderZip(), "SHA256SUMS", "bootstrap-" + version.Version + ".cdx.json", "gtrole-" + version.Version + ".cdx.json"}
	for _, p := range Platforms {
		want = append(want, CLIName(p))
	}
	for _, tpl := range templates {
		want = append(want, filepath.Base(tpl))
	}
	for _, pkg := range ConstructPackages {
		want = append(want, filepath.Base(pkg))
	}
	slices.Sort(want)
	entries, err := os.ReadDir(dist)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, want) {
		t.Errorf("dist holds\n %q\nwant\n %q", got, want)
	}

	check := exec.Command("sha256sum", "-c", "SHA256SUMS")
	check.Dir = dist
	if out, err := check.CombinedOutput(); err != nil {
		t.Errorf("sha256sum -c SHA256SUMS: %v\n%s", err, out)
	}
	sums, err := os.ReadFile(filepath.Join(dist, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	var summed []string
	for _, line := range strings.Split(strings.TrimSpace(string(sums)), "\n") {
		if _, name, ok := strings.Cut(line, "  "); ok {
			summed = append(summed, name)
		}
	}
	if wantSummed := slices.DeleteFunc(slices.Clone(want), func(n string) bool { return n == "SHA256SUMS" }); !slices.Equal(summed, wantSummed) {
		t.Errorf("SHA256SUMS lists %q, want every other file %q", summed, wantSummed)
	}

	for _, p := range Platforms {
		checkBinary(t, filepath.Join(dist, CLIName(p)), p)
		if p.OS == runtime.GOOS && p.Arch == runtime.GOARCH {
			out, err := exec.Command(filepath.Join(dist, CLIName(p)), "--version").Output()
			if err != nil || string(out) != "gtrole "+version.Version+"\n" {
				t.Errorf("%s --version = %q, %v; want gtrole %s", CLIName(p), out, err, version.Version)
			}
		}
	}
	checkProviderZip(t, filepath.Join(dist, ProviderZip()))
	// The clone's zip is byte for byte the one this tree builds: no path, VCS state or time gets in.
	local := t.TempDir()
	if err := providerZip(t.Context(), local); err != nil {
		t.Fatal(err)
	}
	a, errA := os.ReadFile(filepath.Join(local, ProviderZip()))
	b, errB := os.ReadFile(filepath.Join(dist, ProviderZip()))
	if errA != nil || errB != nil || !bytes.Equal(a, b) {
		t.Errorf("the release's %s differs from the one built in this tree (%v, %v)", ProviderZip(), errA, errB)
	}
	checkSBOM(t, filepath.Join(dist, "bootstrap-"+version.Version+".cdx.json"), "github.com/aws/aws-lambda-go")
	checkSBOM(t, filepath.Join(dist, "gtrole-"+version.Version+".cdx.json"), "github.com/aws/aws-sdk-go-v2/service/iam")
}

// checkBinary checks that path is an executable for p: its file format and machine.
func checkBinary(t *testing.T, path string, p Platform) {
	t.Helper()
	var machine string
	switch p.OS {
	case "linux":
		f, err := elf.Open(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return
		}
		defer f.Close()
		machine = map[elf.Machine]string{elf.EM_X86_64: "amd64", elf.EM_AARCH64: "arm64"}[f.Machine]
	case "darwin":
		f, err := macho.Open(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return
		}
		defer f.Close()
		machine = map[macho.Cpu]string{macho.CpuAmd64: "amd64", macho.CpuArm64: "arm64"}[f.Cpu]
	case "windows":
		f, err := pe.Open(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return
		}
		defer f.Close()
		machine = map[uint16]string{pe.IMAGE_FILE_MACHINE_AMD64: "amd64"}[f.Machine]
	}
	if machine != p.Arch {
		t.Errorf("%s is built for %q, want %s/%s", filepath.Base(path), machine, p.OS, p.Arch)
	}
}

// checkProviderZip checks the zip holds exactly bootstrap, an executable linux/arm64 binary.
func checkProviderZip(t *testing.T, path string) {
	t.Helper()
	r, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if len(r.File) != 1 || r.File[0].Name != bundle.BinaryName || r.File[0].Mode().Perm() != 0o755 {
		t.Fatalf("%s: want one executable %s, got %d entries", path, bundle.BinaryName, len(r.File))
	}
	tmp := filepath.Join(t.TempDir(), bundle.BinaryName)
	rc, err := r.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	data := make([]byte, r.File[0].UncompressedSize64)
	if _, err := io.ReadFull(rc, data); err != nil {
		t.Fatal(err)
	}
	rc.Close()
	if err := os.WriteFile(tmp, data, 0o755); err != nil {
		t.Fatal(err)
	}
	checkBinary(t, tmp, Platform{"linux", bundle.DefaultArch})
}

// checkSBOM checks a CycloneDX JSON document lists module among its components.
func checkSBOM(t *testing.T, path, module string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var bom struct {
		BOMFormat   string `json:"bomFormat"`
		SpecVersion string `json:"specVersion"`
		Components  []struct {
			Name, Version, Purl string
		} `json:"components"`
	}
	if err := json.Unmarshal(data, &bom); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if bom.BOMFormat != "CycloneDX" || bom.SpecVersion == "" {
		t.Errorf("%s: bomFormat %q specVersion %q, want a CycloneDX document", path, bom.BOMFormat, bom.SpecVersion)
	}
	if !slices.ContainsFunc(bom.Components, func(c struct{ Name, Version, Purl string }) bool { return c.Name == module && c.Version != "" }) {
		t.Errorf("%s lists no component %s with a version (%d components)", path, module, len(bom.Components))
	}
}
