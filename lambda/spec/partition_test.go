package spec_test

import (
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

func TestPartitionOf(t *testing.T) {
	tests := map[string]string{
		"us-east-1":      "aws",
		"eu-central-2":   "aws",
		"ap-southeast-5": "aws",
		"cn-north-1":     "aws-cn",
		"cn-northwest-1": "aws-cn",
		"us-gov-west-1":  "aws-us-gov",
		"us-gov-east-1":  "aws-us-gov",
		"us-west-2":      "aws",
		"":               "aws",
	}
	for region, want := range tests {
		if got := spec.PartitionOf(region); got != want {
			t.Errorf("PartitionOf(%q) = %q, want %q", region, got, want)
		}
	}
}

func TestValidRegion(t *testing.T) {
	tests := map[string]bool{
		"us-east-1":      true,
		"cn-north-1":     true,
		"us-gov-west-1":  true,
		"ap-southeast-5": true,
		"il-central-1":   true,
		"me-south-10":    true,
		"":               false,
		"us-east":        false,
		"useast1":        false,
		"US-EAST-1":      false,
		"us-east-1a":     false,
		"us-east-123":    false,
		"u-east-1":       false,
		"us--east-1":     false,
		"us-east-1 ":     false,
		"*":              false,
		"us-*-1":         false,
	}
	for region, want := range tests {
		if got := spec.ValidRegion(region); got != want {
			t.Errorf("ValidRegion(%q) = %v, want %v", region, got, want)
		}
	}
}
