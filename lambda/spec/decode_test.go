package spec_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/propfile"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

// TestDecodedTypesMatchStrings checks that JSON booleans and numbers give the same spec as the strings
// CloudFormation sends.
func TestDecodedTypesMatchStrings(t *testing.T) {
	typed := `{"InputBuckets":["in-b"],"OutputBuckets":"out-b","MaxSessionDuration":7200,"AutomatedLabeling":true,` +
		`"UseManagedPolicy":false,"ConfusedDeputyProtection":true,"Tags":[{"Key":"cost-center","Value":1234}]}`
	strs := `{"InputBuckets":["in-b"],"OutputBuckets":["out-b"],"MaxSessionDuration":"7200","AutomatedLabeling":"true",` +
		`"UseManagedPolicy":"false","ConfusedDeputyProtection":"true","Tags":[{"Key":"cost-center","Value":"1234"}]}`
	target := defaultTarget(t, "us-east-1")
	parse := func(text string) spec.Spec {
		p, err := propfile.Decode([]byte(text))
		if err != nil {
			t.Fatalf("Decode: %v", err)
		}
		return mustParse(t, p, target)
	}
	a, b := parse(typed), parse(strs)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("typed and string properties differ:\n%+v\n%+v", a, b)
	}
	if a.MaxSessionDuration != 7200 || !a.AutomatedLabeling || a.UseManagedPolicy || !a.ConfusedDeputyProtection || a.Tags[0].Value != "1234" {
		t.Errorf("typed properties parsed wrongly: %+v", a)
	}
}

// TestScenarioFiles checks that every sample in test/testdata/properties is valid in its region.
func TestScenarioFiles(t *testing.T) {
	files, err := filepath.Glob("../../test/testdata/properties/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenario files found: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			p, err := propfile.Decode(data)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			region := "us-east-1"
			if strings.Contains(string(data), "arn:aws-cn:") {
				region = "cn-north-1"
			}
			s := mustParse(t, p, defaultTarget(t, region))
			if len(s.OutputBuckets) == 0 {
				t.Error("no OutputBuckets in a valid spec")
			}
		})
	}
}
