package e2e

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/internal/cfntemplate"
	"github.com/gtrole/groundtruth-execution-role/test/harness"
)

const providerFunction = "arn:aws:lambda:us-east-1:123456789012:function:gtrole-test"

// TestTemplatesThroughTheProvider resolves each shipped template's custom resource with sample parameters, as
// CloudFormation would, and sends it through the compiled provider: Create, then Delete.
func TestTemplatesThroughTheProvider(t *testing.T) {
	t.Parallel()
	const (
		topic = "arn:aws:sns:us-east-1:123456789012:gt-input"
		fn    = "arn:aws:lambda:us-east-1:123456789012:function:gt-annotation"
		key   = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	)
	tests := []struct {
		file   string
		params map[string]string
	}{
		{"non-streaming.yaml", map[string]string{"InputBuckets": "gt-input,gt-data/images", "OutputBuckets": "gt-output/labels"}},
		{"streaming.yaml", map[string]string{"InputBuckets": "gt-input", "OutputBuckets": "gt-output", "StreamingInputTopicArns": topic}},
		{"custom-workflow.yaml", map[string]string{"InputBuckets": "gt-input", "OutputBuckets": "gt-output", "PreAnnotationLambdaArns": fn, "PostAnnotationLambdaArns": fn + ":live"}},
		{"automated-labeling.yaml", map[string]string{"RoleName": "gt-auto", "InputBuckets": "gt-input", "OutputBuckets": "gt-output", "VolumeKmsKeyArns": key}},
		{"kms.yaml", map[string]string{"InputBuckets": "gt-input", "OutputBuckets": "gt-output", "KmsKeyArns": key}},
		{"product.yaml", map[string]string{"OutputBuckets": "gt-output", "StreamingInputTopicArns": topic, "AutomatedLabeling": "true", "KmsKeyArns": key}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			tmpl, err := cfntemplate.LoadFile(filepath.Join("../../templates", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			ids := tmpl.ResourceIDs("Custom::GroundTruthExecutionRole")
			if len(ids) != 1 {
				t.Fatalf("%s declares %d Custom::GroundTruthExecutionRole resources, want 1", tt.file, len(ids))
			}
			stack, err := tmpl.Bind(cfntemplate.Context{
				Parameters: tt.params,
				Partition:  "aws", Region: "us-east-1", AccountID: "123456789012", URLSuffix: "amazonaws.com",
				StackName: "gt-roles", StackID: harness.StackID,
				ImportValue: func(name string) (string, error) {
					if name != "GroundTruthRoleProvider-ServiceToken" {
						return "", fmt.Errorf("no export named %s", name)
					}
					return providerFunction, nil
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			p, err := stack.ResourceProperties(ids[0])
			if err != nil {
				t.Fatal(err)
			}
			if p["ServiceToken"] != providerFunction {
				t.Errorf("ServiceToken = %v, want the provider's exported function ARN", p["ServiceToken"])
			}
			h, rt := fresh(t, 30*time.Second)
			created := mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, LogicalID: ids[0], Props: p}))
			assertRole(t, h, desired(t, p, created.PhysicalResourceID))
			mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, LogicalID: ids[0], PhysicalID: created.PhysicalResourceID, Props: p}))
			if got := roleNames(t, h); len(got) != 0 {
				t.Errorf("roles left after Delete: %v", got)
			}
		})
	}
}
