package spec

import (
	"regexp"
	"strings"
)

var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d{1,2}$`)

// ValidRegion reports whether s has the shape of an AWS region name such as us-east-1 or cn-north-1.
func ValidRegion(s string) bool { return regionPattern.MatchString(s) }

// PartitionOf returns the partition a region belongs to: aws-cn for cn-*, aws-us-gov for us-gov-*, else aws.
func PartitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	default:
		return "aws"
	}
}
