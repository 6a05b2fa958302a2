package iamdoc_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestConsumersLinkOnlyTheModel checks the layering: the packages that read and write roles know IAM's documents
// (this package) and nothing of properties or of the Ground Truth policy builders, in their code and their tests.
func TestConsumersLinkOnlyTheModel(t *testing.T) {
	const module = "github.com/gtrole/groundtruth-execution-role/"
	banned := []string{module + "lambda/spec", module + "lambda/policy"}
	for _, pkg := range []string{"lambda/reconcile", "lambda/record", "lambda/drift", "lambda/trustpolicy", "test/iamauthz"} {
		out, err := exec.Command("go", "list", "-deps", "-test", "-f", "{{.ImportPath}}", module+pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps -test %s: %v\n%s", pkg, err, out)
		}
		deps := strings.Fields(string(out))
		if !containsPrefix(deps, module+"lambda/iamdoc") {
			t.Fatalf("%s does not link lambda/iamdoc: the check would prove nothing (%d deps)", pkg, len(deps))
		}
		for _, dep := range deps {
			for _, b := range banned {
				if dep == b || strings.HasPrefix(dep, b+" ") || strings.HasPrefix(dep, b+"/") || strings.HasPrefix(dep, b+"_test") {
					t.Errorf("%s links %s: it may know only the IAM document model (lambda/iamdoc)", pkg, dep)
				}
			}
		}
	}
}

func containsPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}
