// Command release writes a release into one directory (`make release` runs it, into dist/):
//
//	bootstrap-VERSION.zip              the provider Lambda (linux/arm64), the reproducible zip of tools/bundle
//	gtrole-VERSION-OS-ARCH[.exe]       the CLI for linux and darwin (amd64, arm64) and windows/amd64
//	*.yaml                             the CloudFormation templates
//	bootstrap-VERSION.cdx.json         CycloneDX SBOM of the provider binary (cyclonedx-gomod app)
//	gtrole-VERSION.cdx.json            CycloneDX SBOM of the CLI
//	SHA256SUMS                         SHA-256 of every file above, in `sha256sum -c` format
//
// VERSION is internal/version/VERSION, which the binaries also print. Every Go binary is built with -trimpath,
// -buildvcs=false, CGO_ENABLED=0 and no build id, so the same source and Go version give the same bytes from a
// clone or a source archive; the release's provenance attestation records the commit.
//
//	go run ./tools/release [-out dist]
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gtrole/groundtruth-execution-role/internal/bundle"
	"github.com/gtrole/groundtruth-execution-role/internal/version"
)

// cyclonedxGomod generates the SBOMs: CycloneDX's own Go generator (Apache-2.0), pinned; it is installed into a
// temporary directory for the host (the SBOM's GOOS/GOARCH are build constraints it reads, not its own platform).
const cyclonedxGomod = "github.com/CycloneDX/cyclonedx-gomod/cmd/cyclonedx-gomod@v1.10.0"

// Platform is a GOOS/GOARCH pair gtrole is released for.
type Platform struct{ OS, Arch string }

// Platforms are the CLI's release targets.
var Platforms = []Platform{{"linux", "amd64"}, {"linux", "arm64"}, {"darwin", "amd64"}, {"darwin", "arm64"}, {"windows", "amd64"}}

// CLIName is the file name of gtrole for p.
func CLIName(p Platform) string {
	name := fmt.Sprintf("gtrole-%s-%s-%s", version.Version, p.OS, p.Arch)
	if p.OS == "windows" {
		name += ".exe"
	}
	return name
}

// ProviderZip is the file name of the provider bundle.
func ProviderZip() string { return "bootstrap-" + version.Version + ".zip" }

const cliPackage = "./lambda/cmd/gtrole"

// ConstructPackages are the construct library's packages the release carries, as paths under `make construct`'s
// output: the npm tarball and the Python wheel of this version.
var ConstructPackages = []string{
	"js/groundtruth-execution-role@" + version.Version + ".jsii.tgz",
	"python/gtrole.groundtruth_execution_role-" + version.Version + "-py3-none-any.whl",
}

func main() {
	out := flag.String("out", "dist", "directory to write the release to (emptied first)")
	constructs := flag.String("constructs", "constructs/dist", "where `make construct` wrote the construct library's packages")
	flag.Parse()
	if err := run(context.Background(), *out, *constructs); err != nil {
		fmt.Fprintf(os.Stderr, "release: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out, constructs string) error {
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := providerZip(ctx, out); err != nil {
		return err
	}
	for _, p := range Platforms {
		if err := goBuild(ctx, p, filepath.Join(out, CLIName(p)), cliPackage); err != nil {
			return err
		}
	}
	templates, err := filepath.Glob("templates/*.yaml")
	if err != nil {
		return err
	}
	for _, t := range templates {
		if err := copyFile(t, filepath.Join(out, filepath.Base(t))); err != nil {
			return err
		}
	}
	tool, err := installSBOMTool(ctx)
	if err != nil {
		return err
	}
	defer os.RemoveAll(filepath.Dir(tool))
	if err := sbom(ctx, tool, Platform{"linux", bundle.DefaultArch}, "lambda/cmd/bootstrap", "lambda.norpc",
		filepath.Join(out, "bootstrap-"+version.Version+".cdx.json")); err != nil {
		return err
	}
	if err := sbom(ctx, tool, Platform{"linux", "amd64"}, "lambda/cmd/gtrole", "", filepath.Join(out, "gtrole-"+version.Version+".cdx.json")); err != nil {
		return err
	}
	// The construct library's packages (jsii: npm, PyPI), which `make construct` packed, join before the sums.
	for _, pattern := range ConstructPackages {
		found, err := filepath.Glob(filepath.Join(constructs, pattern))
		if err != nil {
			return err
		}
		if len(found) != 1 {
			return fmt.Errorf("want one construct package %s in %s (run make construct), found %d", pattern, constructs, len(found))
		}
		if err := copyFile(found[0], filepath.Join(out, filepath.Base(found[0]))); err != nil {
			return err
		}
	}
	return writeSums(out)
}

// providerZip builds the provider as tools/bundle does and writes its reproducible zip.
func providerZip(ctx context.Context, out string) error {
	tmp, err := os.MkdirTemp("", "gtrole-release-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, bundle.BinaryName)
	if err := bundle.Build(ctx, ".", bundle.DefaultArch, bin); err != nil {
		return err
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		return err
	}
	var zipped bytes.Buffer
	if err := bundle.Zip(&zipped, data); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, ProviderZip()), zipped.Bytes(), 0o644)
}

// goBuild builds pkg for p without cgo, paths or build id.
func goBuild(ctx context.Context, p Platform, out, pkg string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w -buildid=", "-o", out, pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+p.OS, "GOARCH="+p.Arch)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s for %s/%s: %w\n%s", pkg, p.OS, p.Arch, err, msg)
	}
	return nil
}

// installSBOMTool installs cyclonedxGomod for the host into a new temporary directory and returns its path.
func installSBOMTool(ctx context.Context) (string, error) {
	bin, err := os.MkdirTemp("", "gtrole-sbom-")
	if err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, "go", "install", cyclonedxGomod)
	cmd.Env = append(os.Environ(), "GOBIN="+bin, "GOOS=", "GOARCH=", "GOFLAGS=")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go install %s: %w\n%s", cyclonedxGomod, err, msg)
	}
	return filepath.Join(bin, "cyclonedx-gomod"), nil
}

// sbom writes the CycloneDX SBOM (JSON, with licenses) of the main package at dir as built for p with tags.
func sbom(ctx context.Context, tool string, p Platform, dir, tags, out string) error {
	cmd := exec.CommandContext(ctx, tool, "app", "-json", "-licenses", "-main", dir, "-output", out, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+p.OS, "GOARCH="+p.Arch)
	if tags != "" {
		cmd.Env = append(cmd.Env, "GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -tags="+tags))
	}
	if msg, err := cmd.CombinedOutput(); err != nil {
		// cyclonedx-gomod reads the main module's version from git (go-git, which cannot open a linked worktree).
		return fmt.Errorf("SBOM of %s (%s; it needs a git clone with a HEAD): %w\n%s", dir, cyclonedxGomod, err, msg)
	}
	return nil
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o644)
}

// writeSums writes SHA256SUMS: one "HEX  NAME" line per file in dir, sorted by name, as sha256sum prints them.
func writeSums(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && e.Name() != "SHA256SUMS" {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var sums strings.Builder
	for _, name := range names {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		h := sha256.New()
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return err
		}
		fmt.Fprintf(&sums, "%x  %s\n", h.Sum(nil), name)
	}
	return os.WriteFile(filepath.Join(dir, "SHA256SUMS"), []byte(sums.String()), 0o644)
}
