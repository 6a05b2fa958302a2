package spec

import (
	"fmt"
	"strings"
	"unicode"
)

var bucketName = pattern(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// Prefixes and suffixes S3 reserves for its own bucket kinds.
var (
	reservedBucketPrefixes = []string{"xn--", "sthree-", "amzn-s3-demo-"}
	reservedBucketSuffixes = []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}
)

const bucketRules = "3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit"

// bucketProblem returns what is wrong with a general purpose bucket name, or "".
func bucketProblem(name string) string {
	switch {
	case !bucketName().MatchString(name):
		return "is not a valid S3 bucket name: want " + bucketRules
	case strings.Contains(name, ".."):
		return "is not a valid S3 bucket name: it has two adjacent dots"
	}
	if dottedQuad(name) {
		return "is not a valid S3 bucket name: it is formatted as an IP address (four dot-separated groups of digits, in any form such as 192.168.005.004), which S3 forbids"
	}
	for _, p := range reservedBucketPrefixes {
		if strings.HasPrefix(name, p) {
			return fmt.Sprintf("is not a valid S3 bucket name: the prefix %q is reserved by S3", p)
		}
	}
	for _, s := range reservedBucketSuffixes {
		if strings.HasSuffix(name, s) {
			return fmt.Sprintf("is not a valid S3 bucket name: the suffix %q is reserved by S3", s)
		}
	}
	return ""
}

// dottedQuad reports whether name is four dot-separated groups of digits: an IP address in any of its written
// forms, leading zeros included (192.168.005.004, 010.0.0.1), which net/netip alone would not recognise.
func dottedQuad(name string) bool {
	groups := strings.Split(name, ".")
	if len(groups) != 4 {
		return false
	}
	for _, g := range groups {
		if g == "" || strings.TrimLeft(g, "0123456789") != "" {
			return false
		}
	}
	return true
}

// prefixProblem returns what is wrong with an object key prefix, or "".
func prefixProblem(prefix string) string {
	if msg := wildcardProblem(prefix); msg != "" {
		return msg
	}
	if len(prefix) > 1024 {
		return "has a key prefix longer than S3's 1024-byte key limit"
	}
	for _, r := range prefix {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return "has a key prefix with a control or invalid character"
		}
	}
	return ""
}

// folder makes a key prefix a folder: "data" and "data/" both become "data/", so the grant on "data/*" never
// reaches a sibling such as "database/" or "data-exfil/".
func folder(prefix string) string {
	if prefix == "" || strings.HasSuffix(prefix, "/") {
		return prefix
	}
	return prefix + "/"
}

// parseS3Location accepts "bucket", "bucket/prefix" or "arn:PARTITION:s3:::bucket[/prefix]".
func parseS3Location(value, partition string) (S3Location, string) {
	rest := value
	if strings.HasPrefix(value, "arn:") {
		want := fmt.Sprintf("arn:%s:s3:::BUCKET[/PREFIX]", partition)
		a, ok := splitARN(value)
		switch {
		case !ok || a.Service != "s3" || a.Region != "" || a.AccountID != "":
			return S3Location{}, "is not an S3 bucket ARN: want " + want + ", a bucket name, or BUCKET/PREFIX"
		case a.Partition != partition:
			return S3Location{}, fmt.Sprintf("is in partition %q but the stack is in partition %q: every ARN must be in the stack's partition", a.Partition, partition)
		}
		rest = a.Resource
	}
	bucket, prefix, hasSlash := strings.Cut(rest, "/")
	if msg := bucketProblem(bucket); msg != "" {
		return S3Location{}, msg
	}
	if hasSlash && prefix == "" {
		return S3Location{}, "ends with / but has no prefix after the bucket: give just the bucket name for the whole bucket"
	}
	if msg := prefixProblem(prefix); msg != "" {
		return S3Location{}, msg
	}
	return S3Location{Bucket: bucket, Prefix: folder(prefix)}, ""
}
