package spec_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

func TestUnknownProperties(t *testing.T) {
	known := "known properties: " + strings.Join(contract.Names(), ", ")
	runCases(t, []problemCase{
		{name: "CloudFormation's own properties are ignored", props: map[string]any{"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:provider", "ServiceTimeout": "300"}},
		{name: "misspelt", props: map[string]any{"Rolename": "gt"}, property: "Rolename", message: "is not a property of Custom::GroundTruthExecutionRole (check the spelling; " + known + ")"},
		{name: "lower case", props: map[string]any{"inputBuckets": []any{"b-b"}}, property: "inputBuckets", message: "is not a property of Custom::GroundTruthExecutionRole"},
		{name: "AWS::IAM::Role property", props: map[string]any{"AssumeRolePolicyDocument": map[string]any{}}, property: "AssumeRolePolicyDocument", message: known},
		{name: "singular", props: map[string]any{"OutputBuckets": absent, "OutputBucket": []any{"out-b"}}, property: "OutputBucket", message: "is not a property", more: true},
	})
}

func TestUnknownPropertiesSorted(t *testing.T) {
	_, err := spec.Parse(props(map[string]any{"Zeta": "1", "Alpha": "2", "Mu": "3"}), defaultTarget(t, "us-east-1"))
	var ps spec.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("err = %v, want spec.Problems", err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.Property)
	}
	if want := []string{"Alpha", "Mu", "Zeta"}; !reflect.DeepEqual(got, want) {
		t.Errorf("properties = %q, want %q (sorted, so the error is stable)", got, want)
	}
}

func TestTargetValidation(t *testing.T) {
	good := defaultTarget(t, "us-east-1")
	tests := []struct {
		name              string
		region, account   string
		property, message string
	}{
		{"empty region", "", testAccount, "region", "is not an AWS region name"},
		{"malformed region", "useast1", testAccount, "region", "is not an AWS region name"},
		{"upper-case region", "US-EAST-1", testAccount, "region", "is not an AWS region name"},
		{"short account", "us-east-1", "12345678901", "account", "is not a 12-digit AWS account ID"},
		{"empty account", "us-east-1", "", "account", "is not a 12-digit AWS account ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := spec.Target{Account: tt.account, Region: tt.region, Settings: good.Settings}
			s, err := spec.Parse(props(nil), target)
			value := tt.region
			if tt.property == "account" {
				value = tt.account
			}
			wantProblem(t, s, err, tt.property, value, tt.message, false)
		})
	}
}

// TestAllProblemsReported checks that one Parse reports every problem, each on its own property.
func TestAllProblemsReported(t *testing.T) {
	p := map[string]any{
		"RoleName":                 "bad name",
		"Path":                     "/elsewhere/",
		"Description":              "😀",
		"MaxSessionDuration":       "60",
		"PermissionsBoundary":      "arn:aws:iam::210987654321:policy/b",
		"Tags":                     []any{tag("aws:x", "v")},
		"InputBuckets":             []any{"good-bucket", "Bad_Bucket", "arn:aws:s3:::b-b/*"},
		"StreamingOutputTopicArns": []any{"arn:aws:sns:us-east-1:123456789012:out"},
		"PreAnnotationLambdaArns":  []any{"arn:aws:lambda:us-east-1:123456789012:function:*"},
		"AutomatedLabeling":        "maybe",
		"KmsKeyArns":               []any{"arn:aws:kms:us-east-1:123456789012:alias/k"},
		"VolumeKmsKeyArns":         []any{"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
		"ManagedPolicyArns":        []any{"arn:aws:iam::aws:policy/AdministratorAccess"},
		"Typo":                     "x",
	}
	s, err := spec.Parse(p, defaultTarget(t, "us-east-1"))
	want := []string{
		"Typo", "RoleName", "Path", "Description", "MaxSessionDuration", "PermissionsBoundary", "Tags[0].Key",
		"InputBuckets[1]", "InputBuckets[2]", "PreAnnotationLambdaArns[0]", "AutomatedLabeling", "KmsKeyArns[0]",
		"ManagedPolicyArns[0]", "OutputBuckets", "StreamingOutputTopicArns", "VolumeKmsKeyArns",
	}
	var ps spec.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("err = %v, want spec.Problems", err)
	}
	var got []string
	for _, pr := range ps {
		got = append(got, pr.Property)
		if pr.Message == "" {
			t.Errorf("problem on %s has no message", pr.Property)
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems on %q,\nwant %q", got, want)
	}
	if _, again := spec.Parse(p, defaultTarget(t, "us-east-1")); again == nil || again.Error() != err.Error() {
		t.Errorf("a second Parse of the same input reported differently:\n%v\n%v", err, again)
	}
	if !strings.HasPrefix(err.Error(), fmt.Sprintf("invalid properties (%d): ", len(want))) {
		t.Errorf("error does not start with the count: %s", err)
	}
	for _, fragment := range []string{`RoleName: "bad name"`, `InputBuckets[1]: "Bad_Bucket"`, `InputBuckets[2]: "arn:aws:s3:::b-b/*"`, "; "} {
		if !strings.Contains(err.Error(), fragment) {
			t.Errorf("error lacks %q: %s", fragment, err)
		}
	}
	if !reflect.DeepEqual(s, spec.Spec{}) {
		t.Errorf("Spec with problems = %+v, want the zero Spec", s)
	}
}

// TestFullSpec parses every property as CloudFormation delivers them, as strings, and checks the result.
func TestFullSpec(t *testing.T) {
	p := map[string]any{
		"ServiceToken":                 "arn:aws:lambda:us-east-1:123456789012:function:provider",
		"RoleName":                     "gt-everything",
		"Path":                         "/groundtruth/labeling/",
		"Description":                  "Ground Truth role",
		"MaxSessionDuration":           "7200",
		"PermissionsBoundary":          "arn:aws:iam::123456789012:policy/boundary",
		"Tags":                         []any{tag("team", "vision"), tag("cost-center", "1234")},
		"InputBuckets":                 []any{"my-gt-input", "arn:aws:s3:::shared-datasets/images/2026/"},
		"OutputBuckets":                []any{"my-gt-output/jobs/"},
		"StreamingInputTopicArns":      []any{"arn:aws:sns:us-east-1:123456789012:gt-input"},
		"StreamingOutputTopicArns":     []any{"arn:aws:sns:us-east-1:123456789012:gt-output"},
		"PreAnnotationLambdaArns":      []any{"arn:aws:lambda:us-east-1:123456789012:function:gt-pre"},
		"PostAnnotationLambdaArns":     []any{"arn:aws:lambda:us-east-1:123456789012:function:gt-post:live"},
		"PostAnnotationLambdaRoleArns": []any{"arn:aws:iam::123456789012:role/service-role/gt-post-role"},
		"AutomatedLabeling":            "true",
		"KmsKeyArns":                   []any{"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
		"VolumeKmsKeyArns":             []any{"arn:aws:kms:us-east-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef"},
		"UseManagedPolicy":             "true",
		"ManagedPolicyArns":            []any{gtPolicy},
		"ConfusedDeputyProtection":     "true",
	}
	want := spec.Spec{
		RoleName:                     "gt-everything",
		Path:                         "/groundtruth/labeling/",
		Description:                  "Ground Truth role",
		MaxSessionDuration:           7200,
		PermissionsBoundary:          "arn:aws:iam::123456789012:policy/boundary",
		Tags:                         []spec.Tag{{Key: "cost-center", Value: "1234"}, {Key: "team", Value: "vision"}},
		InputBuckets:                 []spec.S3Location{{Bucket: "my-gt-input"}, {Bucket: "shared-datasets", Prefix: "images/2026/"}},
		OutputBuckets:                []spec.S3Location{{Bucket: "my-gt-output", Prefix: "jobs/"}},
		StreamingInputTopicArns:      []string{"arn:aws:sns:us-east-1:123456789012:gt-input"},
		StreamingOutputTopicArns:     []string{"arn:aws:sns:us-east-1:123456789012:gt-output"},
		PreAnnotationLambdaArns:      []string{"arn:aws:lambda:us-east-1:123456789012:function:gt-pre"},
		PostAnnotationLambdaArns:     []string{"arn:aws:lambda:us-east-1:123456789012:function:gt-post:live"},
		PostAnnotationLambdaRoleArns: []string{"arn:aws:iam::123456789012:role/service-role/gt-post-role"},
		AutomatedLabeling:            true,
		KmsKeyArns:                   []string{"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
		VolumeKmsKeyArns:             []string{"arn:aws:kms:us-east-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef"},
		UseManagedPolicy:             true,
		ManagedPolicyArns:            []string{gtPolicy},
		ConfusedDeputyProtection:     true,
		ResourceAccounts:             []string{"123456789012"},
	}
	got := mustParse(t, p, defaultTarget(t, "us-east-1"))
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse =\n%+v\nwant\n%+v", got, want)
	}
}

// TestMinimalSpecDefaults checks what Parse fills in when only the required properties are given.
func TestMinimalSpecDefaults(t *testing.T) {
	got := mustParse(t, props(nil), defaultTarget(t, "us-east-1"))
	want := spec.Spec{
		Path:          contract.DefaultRolePathPrefix,
		InputBuckets:  []spec.S3Location{{Bucket: "gt-input"}},
		OutputBuckets: []spec.S3Location{{Bucket: "gt-output"}},
		// Only the role's own account, unless the provider's ALLOWED_RESOURCE_ACCOUNTS adds more.
		ResourceAccounts: []string{testAccount},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse = %+v, want %+v", got, want)
	}
}

// TestParseNeverReturnsRejectedValues mixes accepted values with one rejected value per property and checks
// that Parse returns no spec at all, rather than one holding the rejected or only the accepted values.
func TestParseNeverReturnsRejectedValues(t *testing.T) {
	bad := map[string]any{
		"RoleName":                 "bad name",
		"Path":                     "/groundtruth/*/",
		"Description":              "😀",
		"MaxSessionDuration":       "99999",
		"PermissionsBoundary":      "arn:aws:iam::123456789012:policy/*",
		"Tags":                     []any{tag("ok", "v"), tag("aws:no", "v")},
		"InputBuckets":             []any{"good-bucket", "arn:aws:s3:::*"},
		"OutputBuckets":            []any{"good-bucket", "good-bucket/${aws:username}/"},
		"StreamingInputTopicArns":  []any{"arn:aws:sns:us-east-1:123456789012:ok", "arn:aws:sns:us-east-1:123456789012:*"},
		"PreAnnotationLambdaArns":  []any{"arn:aws:lambda:us-east-1:123456789012:function:ok", "arn:aws:lambda:us-east-1:123456789012:function:*"},
		"PostAnnotationLambdaArns": []any{"arn:aws:lambda:us-east-1:123456789012:function:ok", "arn:aws-cn:lambda:cn-north-1:123456789012:function:x"},
		"AutomatedLabeling":        "perhaps",
		"KmsKeyArns":               []any{"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", "arn:aws:kms:us-east-1:123456789012:alias/x"},
		"ManagedPolicyArns":        []any{gtPolicy, "arn:aws:iam::aws:policy/AdministratorAccess"},
	}
	for property, value := range bad {
		t.Run(property, func(t *testing.T) {
			s, err := spec.Parse(props(map[string]any{property: value}), defaultTarget(t, "us-east-1"))
			if err == nil {
				t.Fatalf("Parse accepted %s = %v", property, value)
			}
			if !reflect.DeepEqual(s, spec.Spec{}) {
				t.Errorf("Parse returned %+v with its error, want the zero Spec", s)
			}
			var ps spec.Problems
			if !errors.As(err, &ps) || len(ps) == 0 || !strings.HasPrefix(ps[0].Property, property) {
				t.Errorf("problems %v do not name %s", err, property)
			}
		})
	}
	t.Run("all at once", func(t *testing.T) {
		s, err := spec.Parse(bad, defaultTarget(t, "us-east-1"))
		if err == nil || !reflect.DeepEqual(s, spec.Spec{}) {
			t.Errorf("Parse = %+v, %v; want the zero Spec and an error", s, err)
		}
	})
}

// TestParseLeavesInputAlone checks that Parse does not change the map it is given.
func TestParseLeavesInputAlone(t *testing.T) {
	p := props(map[string]any{"Tags": []any{tag("z", "1"), tag("a", "2")}, "InputBuckets": []any{" b-b ", "a-a"}})
	before := fmt.Sprint(p)
	mustParse(t, p, defaultTarget(t, "us-east-1"))
	if after := fmt.Sprint(p); after != before {
		t.Errorf("properties changed:\n%s\n%s", before, after)
	}
}

func TestReconcileToken(t *testing.T) {
	runCases(t, []problemCase{
		{name: "any string", props: map[string]any{"ReconcileToken": "2026-11-23 drift repair #1"}, check: func(t *testing.T, s spec.Spec) {
			if s.ReconcileToken != "2026-11-23 drift repair #1" {
				t.Errorf("ReconcileToken = %q", s.ReconcileToken)
			}
		}},
		{name: "256 characters", props: map[string]any{"ReconcileToken": strings.Repeat("é", 256)}},
		{name: "257 characters", props: map[string]any{"ReconcileToken": strings.Repeat("x", 257)}, property: "ReconcileToken", value: shortened(strings.Repeat("x", 257)),
			message: "is 257 characters long: at most 256 are allowed"},
	})
}
