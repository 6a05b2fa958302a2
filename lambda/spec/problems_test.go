package spec_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    spec.Problem
		want string
	}{
		{spec.Problem{Property: "OutputBuckets", Message: "is required"}, "OutputBuckets: is required"},
		{spec.Problem{Property: "InputBuckets[2]", Value: "Bad_Bucket", Message: "is not valid"}, `InputBuckets[2]: "Bad_Bucket" is not valid`},
		{spec.Problem{Property: "Description", Value: "a\"b\n", Message: "is bad"}, `Description: "a\"b\n" is bad`},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
	ps := spec.Problems{tests[0].p, tests[1].p}
	if got, want := ps.Error(), `invalid properties (2): OutputBuckets: is required; InputBuckets[2]: "Bad_Bucket" is not valid`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// TestLongValuesShortened checks that a problem quotes at most the start of a very long value.
func TestLongValuesShortened(t *testing.T) {
	long := "/groundtruth/" + strings.Repeat("é/", 3000)
	_, err := spec.Parse(props(map[string]any{"Path": long}), defaultTarget(t, "us-east-1"))
	var ps spec.Problems
	if !errors.As(err, &ps) || len(ps) != 1 {
		t.Fatalf("err = %v, want one problem", err)
	}
	v := ps[0].Value
	if n := utf8.RuneCountInString(v); n > 121 || !strings.HasSuffix(v, "…") || !strings.HasPrefix(long, strings.TrimSuffix(v, "…")) {
		t.Errorf("Value is %d characters: %q", n, v)
	}
	if !utf8.ValidString(v) {
		t.Errorf("shortened value is not valid UTF-8: %q", v)
	}
	if len(err.Error()) > 600 {
		t.Errorf("error is %d bytes long for one problem", len(err.Error()))
	}
}
