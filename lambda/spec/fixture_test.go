package spec_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

const (
	testAccount = "123456789012"
	gtPolicy    = "arn:aws:iam::aws:policy/AmazonSageMakerGroundTruthExecution"
)

func noEnv(string) string { return "" }

// defaultTarget is the test account in region with the settings an unconfigured provider has.
func defaultTarget(t testing.TB, region string) spec.Target {
	t.Helper()
	s, err := spec.SettingsFromEnv(noEnv, spec.PartitionOf(region))
	if err != nil {
		t.Fatalf("default settings for %s: %v", region, err)
	}
	return spec.Target{Account: testAccount, Region: region, Settings: s}
}

// absentValue, as an override, removes the property from the minimal properties.
type absentValue struct{}

var absent = absentValue{}

// props returns the smallest valid property set with the overrides applied.
func props(overrides map[string]any) map[string]any {
	p := map[string]any{"InputBuckets": []any{"gt-input"}, "OutputBuckets": []any{"gt-output"}}
	for k, v := range overrides {
		if v == any(absent) {
			delete(p, k)
			continue
		}
		p[k] = v
	}
	return p
}

// problemCase is one row of a validation table: the overrides and either the one problem they must cause
// or, when property is empty, a check of the accepted spec.
type problemCase struct {
	name     string
	props    map[string]any                  // overrides onto props(nil)
	target   *spec.Target                    // nil: defaultTarget(us-east-1)
	property string                          // the property the problem names; "" when the input is valid
	value    string                          // the bad value the problem quotes ("" for a missing property)
	message  string                          // a fragment of what the problem says is wrong or allowed
	more     bool                            // other problems may be reported alongside
	check    func(t *testing.T, s spec.Spec) // for valid input: what the spec must hold
}

func runCases(t *testing.T, cases []problemCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			target := defaultTarget(t, "us-east-1")
			if c.target != nil {
				target = *c.target
			}
			s, err := spec.Parse(props(c.props), target)
			if c.property == "" {
				if err != nil {
					t.Fatalf("Parse rejected valid input: %v", err)
				}
				if c.check != nil {
					c.check(t, s)
				}
				return
			}
			wantProblem(t, s, err, c.property, c.value, c.message, c.more)
		})
	}
}

// wantProblem asserts that Parse failed with a Problem naming property, quoting value and saying message,
// that the spec it returned is empty, and (unless more) that this was the only problem.
func wantProblem(t *testing.T, s spec.Spec, err error, property, value, message string, more bool) {
	t.Helper()
	if err == nil {
		t.Fatalf("Parse accepted the input, want a problem on %s containing %q; spec: %+v", property, message, s)
	}
	if !reflect.DeepEqual(s, spec.Spec{}) {
		t.Errorf("Parse returned a non-empty Spec with its error: %+v", s)
	}
	var ps spec.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error is %T, want spec.Problems: %v", err, err)
	}
	found := false
	for _, p := range ps {
		if p.Property == property && p.Value == value && strings.Contains(p.Message, message) {
			found = true
		}
	}
	if !found {
		t.Fatalf("no problem with Property %q, Value %q and a message containing %q; got:\n%s", property, value, message, listProblems(ps))
	}
	if !more && len(ps) != 1 {
		t.Errorf("want exactly one problem, got %d:\n%s", len(ps), listProblems(ps))
	}
	if !strings.Contains(err.Error(), property+": ") || !strings.Contains(err.Error(), message) {
		t.Errorf("error text does not name %s and %q: %s", property, message, err)
	}
}

func listProblems(ps spec.Problems) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("  " + p.String() + "\n")
	}
	return b.String()
}

func mustParse(t *testing.T, p map[string]any, target spec.Target) spec.Spec {
	t.Helper()
	s, err := spec.Parse(p, target)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return s
}
