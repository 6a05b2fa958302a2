package templates

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// rawTemplate is the part of a template these tests read, with intrinsic functions left as YAML nodes.
type rawTemplate struct {
	Resources map[string]struct {
		Type       string               `yaml:"Type"`
		Properties map[string]yaml.Node `yaml:"Properties"`
	} `yaml:"Resources"`
}

func readRaw(t *testing.T, path string) rawTemplate {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var tpl rawTemplate
	if err := yaml.Unmarshal(data, &tpl); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return tpl
}

// TestServiceTimeout checks that every Custom::GroundTruthExecutionRole of every template sets ServiceTimeout to
// contract.ServiceTimeoutSeconds, within CloudFormation's range and above the provider function's timeout, so a
// provider that never answers fails the stack operation in minutes instead of CloudFormation's default hour.
func TestServiceTimeout(t *testing.T) {
	if contract.ServiceTimeoutSeconds <= contract.FunctionTimeoutSeconds || contract.ServiceTimeoutSeconds > contract.MaxServiceTimeoutSeconds {
		t.Fatalf("ServiceTimeoutSeconds %d is not in (%d, %d]", contract.ServiceTimeoutSeconds, contract.FunctionTimeoutSeconds, contract.MaxServiceTimeoutSeconds)
	}
	files, err := filepath.Glob("*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	roles := 0
	for _, f := range files {
		for id, r := range readRaw(t, f).Resources {
			if r.Type != "Custom::GroundTruthExecutionRole" {
				continue
			}
			roles++
			n, ok := r.Properties[contract.ServiceTimeout]
			if got, err := strconv.Atoi(n.Value); !ok || n.Kind != yaml.ScalarNode || err != nil || got != contract.ServiceTimeoutSeconds {
				t.Errorf("%s %s: ServiceTimeout %q, want %d", f, id, n.Value, contract.ServiceTimeoutSeconds)
			}
		}
	}
	if roles < 6 {
		t.Errorf("found %d Custom::GroundTruthExecutionRole resources in %d templates, want every scenario's", roles, len(files))
	}
	fn := readRaw(t, "provider.yaml").Resources["ProviderFunction"]
	if n := fn.Properties["Timeout"]; n.Value != strconv.Itoa(contract.FunctionTimeoutSeconds) {
		t.Errorf("provider.yaml ProviderFunction Timeout %q, want contract.FunctionTimeoutSeconds %d", n.Value, contract.FunctionTimeoutSeconds)
	}
}
