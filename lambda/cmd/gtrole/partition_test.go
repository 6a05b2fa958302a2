package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRenderPartitionGolden renders one scenario in a region of every partition (the region patterns of
// aws-sdk-go-v2's partitions.json) and compares it with a golden file per partition.
func TestRenderPartitionGolden(t *testing.T) {
	tmpl, err := os.ReadFile(filepath.Join("testdata", "partition.yaml.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ partition, region string }{
		{"aws", "eu-west-1"},
		{"aws-cn", "cn-northwest-1"},
		{"aws-us-gov", "us-gov-west-1"},
		{"aws-iso", "us-iso-east-1"},
		{"aws-iso-b", "us-isob-east-1"},
		{"aws-iso-e", "eu-isoe-west-1"},
		{"aws-iso-f", "us-isof-south-1"},
		{"aws-eusc", "eusc-de-east-1"},
	}
	for _, tt := range tests {
		t.Run(tt.partition, func(t *testing.T) {
			input := strings.NewReplacer("PARTITION", tt.partition, "REGION", tt.region).Replace(string(tmpl))
			var stdout, stderr bytes.Buffer
			if code := run([]string{"render", "--region", tt.region, "-"}, strings.NewReader(input), &stdout, &stderr, noEnv); code != 0 {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
			}
			out := stdout.String()
			if n := strings.Count(out, "arn:"+tt.partition+":"); n == 0 || strings.Count(out, "arn:") != n {
				t.Errorf("every ARN must be in partition %s:\n%s", tt.partition, out)
			}
			golden := filepath.Join("testdata", "partition-"+tt.partition+".golden.json")
			if *update {
				if err := os.WriteFile(golden, stdout.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("read golden file (run go test -update to create it): %v", err)
			}
			if !bytes.Equal(stdout.Bytes(), want) {
				t.Errorf("render differs from %s (go test -update rewrites it after review):\n%s", golden, out)
			}
		})
	}
}
