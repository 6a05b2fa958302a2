package templates

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// TestDefaultProviderStackName checks that every template that imports the provider's ServiceToken defaults its
// ProviderStackName to the name the CDK app gives its provider stack (contract.DefaultProviderStackName), and
// that the Makefile, README and docs/ name no other, so the CDK provider and the templates find each other by default.
func TestDefaultProviderStackName(t *testing.T) {
	files, err := filepath.Glob("*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var tpl struct {
			Parameters map[string]struct {
				Default string `yaml:"Default"`
			} `yaml:"Parameters"`
		}
		if err := yaml.Unmarshal(data, &tpl); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		p, ok := tpl.Parameters["ProviderStackName"]
		if !ok {
			continue
		}
		checked++
		if p.Default != contract.DefaultProviderStackName {
			t.Errorf("%s: ProviderStackName defaults to %q, want %q", f, p.Default, contract.DefaultProviderStackName)
		}
	}
	if checked < 6 {
		t.Errorf("%d templates have a ProviderStackName parameter, want every scenario template's", checked)
	}

	makefile, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(`(?m)^PROVIDER_STACK \?= (\S+)$`).FindSubmatch(makefile); m == nil || string(m[1]) != contract.DefaultProviderStackName {
		t.Errorf("Makefile PROVIDER_STACK default = %q, want %q", m, contract.DefaultProviderStackName)
	}
	pages, err := filepath.Glob("../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range append([]string{"../README.md"}, pages...) {
		doc, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(strings.ToLower(string(doc)), "groundtruth-role-provider") {
			t.Error(p + " names the provider stack groundtruth-role-provider; the default is " + contract.DefaultProviderStackName)
		}
	}
}
