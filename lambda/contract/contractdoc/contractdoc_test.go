package contractdoc_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract/contractdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/propfile"
)

var update = flag.Bool("update", false, "rewrite README.md's property table, docs/settings.md's settings table and schema/properties.schema.json")

const (
	readmePath   = "../../../README.md"
	settingsPath = "../../../docs/settings.md"
	schemaPath   = "../../../schema/properties.schema.json"
	samplesDir   = "../../../test/testdata/properties"
)

// The README markers around each generated table.
const (
	propertiesBegin = "<!-- properties:begin (generated from lambda/contract: go generate ./lambda/contract/contractdoc) -->"
	propertiesEnd   = "<!-- properties:end -->"
	settingsBegin   = "<!-- settings:begin (generated from lambda/contract: go generate ./lambda/contract/contractdoc) -->"
	settingsEnd     = "<!-- settings:end -->"
)

func TestREADMEIsCurrent(t *testing.T) {
	checkGenerated(t, readmePath, propertiesBegin, propertiesEnd, contractdoc.PropertyTable())
	checkGenerated(t, settingsPath, settingsBegin, settingsEnd, contractdoc.SettingsTable())
}

// checkGenerated checks that the table between begin and end in path is table, byte for byte.
func checkGenerated(t *testing.T, path, begin, end, table string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	want, err := contractdoc.Splice(doc, begin, end, table)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if want == doc {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s's generated table differs from lambda/contract; run `go generate ./lambda/contract/contractdoc`", path)
}

func TestSchemaIsCurrent(t *testing.T) {
	want, err := contractdoc.Schema()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(schemaPath)
	if err == nil && bytes.Equal(got, want) {
		return
	}
	if *update {
		if err := os.MkdirAll(filepath.Dir(schemaPath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(schemaPath, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s differs from lambda/contract (%v); run `go generate ./lambda/contract/contractdoc`", schemaPath, err)
}

func TestSchemaIsDeterministic(t *testing.T) {
	a, errA := contractdoc.Schema()
	b, errB := contractdoc.Schema()
	if errA != nil || errB != nil || !bytes.Equal(a, b) {
		t.Fatalf("two renderings differ (errors %v, %v)", errA, errB)
	}
}

// compile compiles the generated schema with a real draft 2020-12 validator.
func compile(t *testing.T) *jsonschema.Schema {
	t.Helper()
	raw, err := contractdoc.Schema()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(contractdoc.SchemaID, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(contractdoc.SchemaID)
	if err != nil {
		t.Fatalf("compile the schema: %v", err)
	}
	return s
}

// instance turns properties written as JSON or YAML into what the validator reads.
func instance(t *testing.T, text []byte) any {
	t.Helper()
	props, err := propfile.Decode(text)
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(props)
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSchemaAcceptsTheSamples(t *testing.T) {
	s := compile(t)
	files, err := filepath.Glob(filepath.Join(samplesDir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples in %s: %v", samplesDir, err)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(instance(t, raw)); err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
		}
	}
}

func TestSchemaRefusesInvalidProperties(t *testing.T) {
	s := compile(t)
	const base = "OutputBuckets: [gt-out]\nInputBuckets: [gt-in]\n"
	tests := []struct {
		name, props string
		valid       bool
	}{
		{name: "minimal", props: base, valid: true},
		{name: "string forms CloudFormation delivers", props: base + "MaxSessionDuration: \"7200\"\nAutomatedLabeling: \"True\"\n", valid: true},
		{name: "intrinsic functions", props: "OutputBuckets: [{Ref: Out}]\nInputBuckets: {Ref: Ins}\nRoleName: {\"Fn::Sub\": \"${AWS::StackName}-gt\"}\nServiceToken: {\"Fn::ImportValue\": P}\n", valid: true},
		{name: "streaming needs no input bucket", props: "OutputBuckets: [gt-out]\nStreamingInputTopicArns: [\"arn:aws:sns:us-east-1:123456789012:t\"]\n", valid: true},
		{name: "unknown property", props: base + "InputBucket: [x]\n"},
		{name: "output missing", props: "InputBuckets: [gt-in]\n"},
		{name: "input missing and not streaming", props: "OutputBuckets: [gt-out]\n"},
		{name: "role name with a space", props: base + "RoleName: \"a b\"\n"},
		{name: "role name too long", props: base + "RoleName: " + strings.Repeat("r", 65) + "\n"},
		{name: "path without trailing slash", props: base + "Path: /a\n"},
		{name: "session too short", props: base + "MaxSessionDuration: 60\n"},
		{name: "boolean spelled yes", props: base + "AutomatedLabeling: \"yes\"\n"},
		{name: "volume keys without automated labeling", props: base + "VolumeKmsKeyArns: [\"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\"]\n"},
		{name: "volume keys with automated labeling false", props: base + "AutomatedLabeling: false\nVolumeKmsKeyArns: [\"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\"]\n"},
		{name: "output topic without input topic", props: base + "StreamingOutputTopicArns: [\"arn:aws:sns:us-east-1:123456789012:t\"]\n"},
		{name: "kms alias", props: base + "KmsKeyArns: [\"arn:aws:kms:us-east-1:123456789012:alias/gt\"]\n"},
		{name: "tag with extra field", props: base + "Tags: [{Key: k, Value: v, Extra: x}]\n"},
		{name: "vpc with automated labeling", props: base + "AutomatedLabeling: true\nVpcConfig: {SecurityGroupIds: [sg-0123456789abcdef0], Subnets: [subnet-0123456789abcdef0]}\n", valid: true},
		{name: "vpc without automated labeling", props: base + "VpcConfig: {SecurityGroupIds: [sg-0123456789abcdef0], Subnets: [subnet-0123456789abcdef0]}\n"},
		{name: "vpc with an unknown key", props: base + "AutomatedLabeling: true\nVpcConfig: {SecurityGroupIds: [sg-12345678], Subnets: [subnet-12345678], VpcId: vpc-12345678}\n"},
		{name: "vpc without subnets", props: base + "AutomatedLabeling: true\nVpcConfig: {SecurityGroupIds: [sg-12345678]}\n"},
		{name: "vpc with six security groups", props: base + "AutomatedLabeling: true\nVpcConfig: {SecurityGroupIds: [sg-00000001, sg-00000002, sg-00000003, sg-00000004, sg-00000005, sg-00000006], Subnets: [subnet-12345678]}\n"},
	}
	for _, tt := range tests {
		err := s.Validate(instance(t, []byte(tt.props)))
		if (err == nil) != tt.valid {
			t.Errorf("%s: Validate = %v, want valid %v", tt.name, err, tt.valid)
		}
	}
}
