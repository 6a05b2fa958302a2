package spec_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

func TestSettingsFromEnv(t *testing.T) {
	const team = "arn:aws:iam::123456789012:policy/gt-extra"
	tests := []struct {
		name      string
		vars      map[string]string
		partition string
		want      spec.Settings
	}{
		{
			name:      "defaults",
			partition: "aws",
			want:      spec.Settings{RolePathPrefix: "/groundtruth/", AllowedManagedPolicyArns: []string{gtPolicy}},
		},
		{
			name:      "China defaults",
			partition: "aws-cn",
			want:      spec.Settings{RolePathPrefix: "/groundtruth/", AllowedManagedPolicyArns: []string{"arn:aws-cn:iam::aws:policy/AmazonSageMakerGroundTruthExecution"}},
		},
		{
			name:      "GovCloud defaults",
			partition: "aws-us-gov",
			want:      spec.Settings{RolePathPrefix: "/groundtruth/", AllowedManagedPolicyArns: []string{"arn:aws-us-gov:iam::aws:policy/AmazonSageMakerGroundTruthExecution"}},
		},
		{
			name:      "blank values are defaults",
			vars:      map[string]string{contract.EnvRolePathPrefix: "  ", contract.EnvAllowedManagedPolicyArns: " , ,", contract.EnvRequiredPermissionsBoundary: " "},
			partition: "aws",
			want:      spec.Settings{RolePathPrefix: "/groundtruth/", AllowedManagedPolicyArns: []string{gtPolicy}},
		},
		{
			name: "everything set",
			vars: map[string]string{
				contract.EnvRolePathPrefix:              " /teams/vision/ ",
				contract.EnvAllowedManagedPolicyArns:    " " + gtPolicy + " ,, " + team + ",",
				contract.EnvRequiredPermissionsBoundary: " arn:aws:iam::210987654321:policy/org/boundary ",
			},
			partition: "aws",
			want: spec.Settings{
				RolePathPrefix:              "/teams/vision/",
				AllowedManagedPolicyArns:    []string{gtPolicy, team},
				RequiredPermissionsBoundary: "arn:aws:iam::210987654321:policy/org/boundary",
			},
		},
		{
			name:      "allow-list replaces the default",
			vars:      map[string]string{contract.EnvAllowedManagedPolicyArns: team},
			partition: "aws",
			want:      spec.Settings{RolePathPrefix: "/groundtruth/", AllowedManagedPolicyArns: []string{team}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := spec.SettingsFromEnv(env(tt.vars), tt.partition)
			if err != nil {
				t.Fatalf("SettingsFromEnv: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("SettingsFromEnv = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestSettingsFromEnvRejects(t *testing.T) {
	tests := []struct {
		name     string
		vars     map[string]string
		property string
		value    string
		message  string
	}{
		{"prefix without slashes", map[string]string{contract.EnvRolePathPrefix: "groundtruth"}, contract.EnvRolePathPrefix, "groundtruth", "is not a role path prefix the provider can be fenced to: want /segment/…/"},
		{"root prefix", map[string]string{contract.EnvRolePathPrefix: "/"}, contract.EnvRolePathPrefix, "/", "not / alone, which would cover every role"},
		{"prefix without trailing slash", map[string]string{contract.EnvRolePathPrefix: "/groundtruth"}, contract.EnvRolePathPrefix, "/groundtruth", "is not a role path prefix"},
		{"prefix with wildcard", map[string]string{contract.EnvRolePathPrefix: "/gt*/"}, contract.EnvRolePathPrefix, "/gt*/", "is not a role path prefix"},
		{"allow-list wildcard", map[string]string{contract.EnvAllowedManagedPolicyArns: "arn:aws:iam::aws:policy/*"}, contract.EnvAllowedManagedPolicyArns, "arn:aws:iam::aws:policy/*", "contains a wildcard"},
		{"allow-list other partition", map[string]string{contract.EnvAllowedManagedPolicyArns: "arn:aws-cn:iam::aws:policy/P"}, contract.EnvAllowedManagedPolicyArns, "arn:aws-cn:iam::aws:policy/P", `is in partition "aws-cn" but the stack is in partition "aws"`},
		{"allow-list not a policy", map[string]string{contract.EnvAllowedManagedPolicyArns: gtPolicy + ",AmazonS3ReadOnlyAccess"}, contract.EnvAllowedManagedPolicyArns, "AmazonS3ReadOnlyAccess", "is not an IAM managed policy ARN"},
		{"boundary not a policy", map[string]string{contract.EnvRequiredPermissionsBoundary: "arn:aws:iam::123456789012:role/r"}, contract.EnvRequiredPermissionsBoundary, "arn:aws:iam::123456789012:role/r", "is not an IAM managed policy ARN"},
		{"resource account not an account ID", map[string]string{contract.EnvAllowedResourceAccounts: "444455556666,12345"}, contract.EnvAllowedResourceAccounts, "12345", "is not a 12-digit AWS account ID"},
		{"boundary bad account", map[string]string{contract.EnvRequiredPermissionsBoundary: "arn:aws:iam::1234:policy/b"}, contract.EnvRequiredPermissionsBoundary, "arn:aws:iam::1234:policy/b", `has account "1234"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := spec.SettingsFromEnv(env(tt.vars), "aws")
			if err == nil {
				t.Fatalf("SettingsFromEnv accepted %v: %+v", tt.vars, got)
			}
			if !reflect.DeepEqual(got, spec.Settings{}) {
				t.Errorf("SettingsFromEnv returned %+v with its error", got)
			}
			if !strings.HasPrefix(err.Error(), "provider settings: ") {
				t.Errorf("error lacks context: %v", err)
			}
			var ps spec.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("error %v does not wrap spec.Problems", err)
			}
			if len(ps) != 1 || ps[0].Property != tt.property || ps[0].Value != tt.value || !strings.Contains(ps[0].Message, tt.message) {
				t.Errorf("problems = %+v, want one on %s %q containing %q", ps, tt.property, tt.value, tt.message)
			}
		})
	}
}

func TestSettingsFromEnvReportsEverything(t *testing.T) {
	_, err := spec.SettingsFromEnv(env(map[string]string{
		contract.EnvRolePathPrefix:              "nope",
		contract.EnvAllowedManagedPolicyArns:    "bad-1,bad-2",
		contract.EnvRequiredPermissionsBoundary: "bad-3",
	}), "aws")
	var ps spec.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("err = %v, want spec.Problems", err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.Property+"="+p.Value)
	}
	want := []string{
		contract.EnvRolePathPrefix + "=nope",
		contract.EnvAllowedManagedPolicyArns + "=bad-1",
		contract.EnvAllowedManagedPolicyArns + "=bad-2",
		contract.EnvRequiredPermissionsBoundary + "=bad-3",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems = %q, want %q", got, want)
	}
}

// TestSettingsDefaultsParse checks that the defaults work together with Parse in every partition.
func TestSettingsDefaultsParse(t *testing.T) {
	for _, region := range partitionRegions {
		t.Run(region, func(t *testing.T) {
			s := mustParse(t, props(map[string]any{"UseManagedPolicy": "true", "ManagedPolicyArns": []any{spec.GroundTruthManagedPolicy(spec.PartitionOf(region))}}), defaultTarget(t, region))
			if s.Path != "/groundtruth/" || !s.UseManagedPolicy || len(s.ManagedPolicyArns) != 1 {
				t.Errorf("spec = %+v", s)
			}
		})
	}
}

// partitionRegions holds one region of every partition.
var partitionRegions = []string{"us-east-1", "cn-north-1", "us-gov-west-1", "us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1", "eusc-de-east-1"}

// TestPartitionIsAFact covers the partition as a given fact: every partition's ARNs are accepted in it and
// refused elsewhere, a region of another partition is refused, and without a given partition the region decides.
func TestPartitionIsAFact(t *testing.T) {
	for _, region := range partitionRegions {
		partition := spec.PartitionOf(region)
		target := defaultTarget(t, region)
		target.Partition = partition
		other := "aws"
		if partition == "aws" {
			other = "aws-cn"
		}
		bucket := "arn:" + partition + ":s3:::gt-input/images/"
		topic := "arn:" + partition + ":sns:" + region + ":123456789012:gt-in"
		runCases(t, []problemCase{
			{name: region + " ARNs of its partition", target: &target, props: map[string]any{"InputBuckets": []any{bucket}, "StreamingInputTopicArns": []any{topic}}},
			{name: region + " an ARN of another partition", target: &target, props: map[string]any{"InputBuckets": []any{"arn:" + other + ":s3:::gt-input"}},
				property: "InputBuckets[0]", value: "arn:" + other + ":s3:::gt-input", message: fmt.Sprintf("is in partition %q but the stack is in partition %q", other, partition)},
		})
	}
	wrong := defaultTarget(t, "us-east-1")
	wrong.Partition = "aws-cn"
	unknown := defaultTarget(t, "us-east-1")
	unknown.Region = "xx-moon-1"
	runCases(t, []problemCase{
		{name: "region of another partition", target: &wrong, property: "region", value: "us-east-1", message: `is a region of partition "aws", but the role is made in partition "aws-cn"`, more: true},
		{name: "unknown region", target: &unknown, property: "region", value: "xx-moon-1", message: "is not an AWS region name of any partition the provider knows (aws, aws-cn, aws-eusc, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-us-gov)", more: true},
	})
	if got := spec.GroundTruthManagedPolicy("aws-us-gov"); got != "arn:aws-us-gov:iam::aws:policy/AmazonSageMakerGroundTruthExecution" {
		t.Errorf("GroundTruthManagedPolicy = %q", got)
	}
}
