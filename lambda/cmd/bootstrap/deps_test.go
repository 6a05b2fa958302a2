package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoYAMLInLambda checks that the Lambda binary links no YAML library: it only ever reads CloudFormation's JSON,
// and a YAML package costs init time and binary size on every cold start. YAML is the gtrole CLI's business.
func TestNoYAMLInLambda(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps listed only %v", deps)
	}
	for _, dep := range deps {
		for _, banned := range []string{"sigs.k8s.io/yaml", "gopkg.in/yaml", "go.yaml.in/yaml", "github.com/goccy/go-yaml"} {
			if dep == banned || strings.HasPrefix(dep, banned+"/") || strings.HasPrefix(dep, banned+".") {
				t.Errorf("the Lambda links %s (YAML belongs to the CLI: lambda/propfile)", dep)
			}
		}
	}
}
