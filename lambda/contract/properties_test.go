package contract_test

import (
	"regexp"
	"slices"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// TestPropertiesAreWellFormed checks the contract's own consistency: unique names, compilable patterns, bounds
// that make sense and cross references that name boolean properties.
func TestPropertiesAreWellFormed(t *testing.T) {
	seen := map[string]bool{}
	var check func(prefix string, ps []contract.Property)
	check = func(prefix string, ps []contract.Property) {
		for _, p := range ps {
			name := prefix + p.Name
			if p.Name == "" || seen[name] {
				t.Errorf("property %q is empty or repeated", name)
			}
			seen[name] = true
			if p.Description == "" {
				t.Errorf("%s has no description", name)
			}
			if p.Pattern != "" {
				if _, err := regexp.Compile(p.Pattern); err != nil {
					t.Errorf("%s: pattern %q: %v", name, p.Pattern, err)
				}
			}
			if p.MaxLength > 0 && p.MinLength > p.MaxLength || p.MaxItems > 0 && p.MinItems > p.MaxItems || p.Minimum > p.Maximum {
				t.Errorf("%s has inverted bounds: %+v", name, p)
			}
			if (p.Type == contract.Object) != (len(p.Fields) > 0) {
				t.Errorf("%s: only an object has fields", name)
			}
			if p.Needs != "" {
				if _, ok := contract.Lookup(p.Needs); !ok {
					t.Errorf("%s needs %q, which is not a property", name, p.Needs)
				}
			}
			if _, ok := contract.Lookup(p.Unless); p.Unless != "" && (!ok || !p.Required) {
				t.Errorf("%s: Unless %q must name a property and go with Required", name, p.Unless)
			}
			check(name+".", p.Fields)
		}
	}
	check("", contract.Properties)
	if len(contract.Names()) != len(contract.Properties) || contract.Names()[0] != contract.Properties[0].Name {
		t.Errorf("Names() = %q", contract.Names())
	}
	for _, ignored := range contract.Ignored {
		if slices.Contains(contract.Names(), ignored) {
			t.Errorf("%s is both a property and ignored", ignored)
		}
	}
	if _, ok := contract.Lookup("NoSuchProperty"); ok {
		t.Error("Lookup found a property that does not exist")
	}
}
