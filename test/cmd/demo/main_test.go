package main

import (
	"bytes"
	"strings"
	"testing"
)

const root = "../../.."

// TestDemo runs the demo on two samples and checks what it shows: the properties sent, the IAM calls of every
// step, the full role once (after Create) and after the Update only what changed, then a drift found by the
// scheduled audit and repaired by a new ReconcileToken.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("starts moto and the provider")
	}
	t.Chdir(root)
	tests := []struct {
		sample, region string
		arn            string
	}{
		{"test/testdata/properties/everything.yaml", "us-east-1", `"Arn": "arn:aws:iam::`},
		{"test/testdata/properties/aws-cn.yaml", "cn-north-1", `"Arn": "arn:aws-cn:iam::`},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			var out bytes.Buffer
			if err := run(t.Context(), tt.sample, tt.region, &out); err != nil {
				t.Fatalf("demo: %v\n%s", err, out.String())
			}
			text := out.String()
			for _, want := range []string{
				"building: ", "built in ",
				"Properties sent (as CloudFormation sends them", `"OutputBuckets": [`,
				"Properties changed", `"Description": "updated in place by make demo"`,
				"What changed in IAM (- before, + after):",
				`  +   "Description": "updated in place by make demo",`,
				tt.arn,
				"=== Drift: ", `"msg":"role drifted"`, `"inline policy Unblock added"`, `"DriftedRoles":1`,
				"=== Repair: ", `"DriftedRoles":0`,
				"roles left in IAM: 0",
			} {
				if !strings.Contains(text, want) {
					t.Errorf("demo output lacks %q:\n%s", want, text)
				}
			}
			if n := strings.Count(text, "IAM calls ("); n != 6 {
				t.Errorf("%d IAM call lines, want one per Create, Update, audit, repairing Update, audit and Delete:\n%s", n, text)
			}
			if n := strings.Count(text, `"AssumeRolePolicyDocument"`); n != 1 {
				t.Errorf("the whole role is printed %d times, want once (after Create):\n%s", n, text)
			}
		})
	}
}
