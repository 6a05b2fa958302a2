package spec_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

func TestPartitionOf(t *testing.T) {
	tests := map[string]string{
		"us-east-1":       "aws",
		"eu-central-2":    "aws",
		"ap-southeast-5":  "aws",
		"mx-central-1":    "aws",
		"cn-north-1":      "aws-cn",
		"cn-northwest-1":  "aws-cn",
		"us-gov-west-1":   "aws-us-gov",
		"us-gov-east-1":   "aws-us-gov",
		"us-iso-east-1":   "aws-iso",
		"us-iso-west-1":   "aws-iso",
		"us-isob-east-1":  "aws-iso-b",
		"eu-isoe-west-1":  "aws-iso-e",
		"us-isof-south-1": "aws-iso-f",
		"us-isof-east-1":  "aws-iso-f",
		"eusc-de-east-1":  "aws-eusc",
		"us-west-2":       "aws",
		"":                "",
		"xx-east-1":       "",
		"eusc-fr-east-1":  "",
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
		"eusc-de-east-1": true,
		"us-iso-east-1":  true,
		"":               false,
		"us-east":        false,
		"useast1":        false,
		"us-east-1a":     false,
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

// TestPartitionsMatchTheSDK compares the partition table with partitions.json of the aws-sdk-go-v2 this module
// builds with, so the table cannot silently fall behind the SDK's metadata.
func TestPartitionsMatchTheSDK(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/aws/aws-sdk-go-v2").Output()
	if err != nil {
		t.Skipf("cannot locate aws-sdk-go-v2 in the module cache: %v", err)
	}
	raw, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "internal/endpoints/awsrulesfn/partitions.json"))
	if err != nil {
		t.Skipf("partitions.json not in the module cache: %v", err)
	}
	var meta struct {
		Partitions []struct {
			ID          string `json:"id"`
			RegionRegex string `json:"regionRegex"`
			Outputs     struct {
				DNSSuffix string `json:"dnsSuffix"`
			} `json:"outputs"`
			Regions map[string]any
		} `json:"partitions"`
	}
	if err := json.Unmarshal(raw, &meta); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range meta.Partitions {
		ids = append(ids, p.ID)
		if got := spec.DNSSuffix(p.ID); got != p.Outputs.DNSSuffix {
			t.Errorf("DNSSuffix(%q) = %q, partitions.json has %q", p.ID, got, p.Outputs.DNSSuffix)
		}
		for region := range p.Regions {
			if strings.HasSuffix(region, "-global") {
				continue
			}
			if got := spec.PartitionOf(region); got != p.ID {
				t.Errorf("PartitionOf(%q) = %q, want %q as partitions.json lists it", region, got, p.ID)
			}
		}
	}
	if got := strings.Join(spec.Partitions(), " "); got != strings.Join(ids, " ") {
		t.Errorf("partitions %s, partitions.json has %s", got, strings.Join(ids, " "))
	}
}
