package main

import (
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/gtrole/groundtruth-execution-role/lambda/propfile"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

// regionOf names one region of each partition other than aws, for the --region hint.
var regionOf = map[string]string{
	"aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1", "aws-iso": "us-iso-east-1", "aws-iso-b": "us-isob-east-1",
	"aws-iso-e": "eu-isoe-west-1", "aws-iso-f": "us-isof-south-1", "aws-eusc": "eusc-de-east-1",
}

// partitionHint explains a partition mismatch in CLI terms: when the properties hold ARNs of a partition other than
// --region's, it names the flag and a region to pass. It returns "" when every ARN is in region's partition.
func partitionHint(data []byte, region string) string {
	props, err := propfile.Decode(data)
	if err != nil {
		return ""
	}
	want := spec.PartitionOf(region)
	var others []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, item := range x {
				walk(item)
			}
		case []any:
			for _, item := range x {
				walk(item)
			}
		case string:
			if a, err := arn.Parse(x); err == nil && a.Partition != want && !slices.Contains(others, a.Partition) {
				others = append(others, a.Partition)
			}
		}
	}
	walk(map[string]any(props))
	if len(others) != 1 {
		return ""
	}
	example := regionOf[others[0]]
	if example == "" {
		example = "us-east-1"
	}
	return fmt.Sprintf("hint: the ARNs are in partition %q, but --region %s is in partition %q: pass a region of %s, for example --region %s",
		others[0], region, want, others[0], example)
}
