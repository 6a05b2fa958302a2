package spec_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

func wantInput(want ...spec.S3Location) func(*testing.T, spec.Spec) {
	return func(t *testing.T, s spec.Spec) {
		t.Helper()
		if !reflect.DeepEqual(s.InputBuckets, want) {
			t.Errorf("InputBuckets = %+v, want %+v", s.InputBuckets, want)
		}
	}
}

// input puts value second in InputBuckets, after a valid bucket, so that problems must carry index 1.
func input(value any) map[string]any {
	return map[string]any{"InputBuckets": []any{"gt-input", value}}
}

func TestBucketsAccepted(t *testing.T) {
	first := spec.S3Location{Bucket: "gt-input"}
	name63 := strings.Repeat("b", 63)
	cn := defaultTarget(t, "cn-north-1")
	gov := defaultTarget(t, "us-gov-west-1")
	runCases(t, []problemCase{
		{name: "bucket", props: input("my-bucket"), check: wantInput(first, spec.S3Location{Bucket: "my-bucket"})},
		{name: "dots and digits", props: input("1.my.bucket-2"), check: wantInput(first, spec.S3Location{Bucket: "1.my.bucket-2"})},
		{name: "three characters", props: input("abc"), check: wantInput(first, spec.S3Location{Bucket: "abc"})},
		{name: "63 characters", props: input(name63), check: wantInput(first, spec.S3Location{Bucket: name63})},
		{name: "bucket/prefix", props: input("my-bucket/images/2026/"), check: wantInput(first, spec.S3Location{Bucket: "my-bucket", Prefix: "images/2026/"})},
		// A prefix is a folder: without its trailing slash it still means the folder, never its siblings.
		{name: "prefix without trailing slash is a folder", props: input("my-bucket/run-"), check: wantInput(first, spec.S3Location{Bucket: "my-bucket", Prefix: "run-/"})},
		{name: "prefix and prefix/ are the same folder", props: input("my-bucket/data"), check: wantInput(first, spec.S3Location{Bucket: "my-bucket", Prefix: "data/"})},
		{name: "prefix with any printable characters", props: input("my-bucket/Bilder über $HOME (1)/"), check: wantInput(first, spec.S3Location{Bucket: "my-bucket", Prefix: "Bilder über $HOME (1)/"})},
		{name: "bucket ARN", props: input("arn:aws:s3:::my-bucket"), check: wantInput(first, spec.S3Location{Bucket: "my-bucket"})},
		{name: "bucket ARN with prefix", props: input("arn:aws:s3:::my-bucket/a/b/"), check: wantInput(first, spec.S3Location{Bucket: "my-bucket", Prefix: "a/b/"})},
		{name: "surrounding space trimmed", props: input(" my-bucket/p/ "), check: wantInput(first, spec.S3Location{Bucket: "my-bucket", Prefix: "p/"})},
		{name: "China bucket ARN", target: &cn, props: input("arn:aws-cn:s3:::my-bucket"), check: wantInput(first, spec.S3Location{Bucket: "my-bucket"})},
		{name: "GovCloud bucket ARN", target: &gov, props: input("arn:aws-us-gov:s3:::my-bucket/p"), check: wantInput(first, spec.S3Location{Bucket: "my-bucket", Prefix: "p/"})},
		{name: "a lone string is a list of one", props: map[string]any{"InputBuckets": "my-bucket/p/"}, check: wantInput(spec.S3Location{Bucket: "my-bucket", Prefix: "p/"})},
		{name: "Go string slice", props: map[string]any{"InputBuckets": []string{"a-b", "c-d"}}, check: wantInput(spec.S3Location{Bucket: "a-b"}, spec.S3Location{Bucket: "c-d"})},
		{name: "output buckets too", props: map[string]any{"OutputBuckets": []any{"arn:aws:s3:::out-bucket/jobs/"}}, check: func(t *testing.T, s spec.Spec) {
			if want := []spec.S3Location{{Bucket: "out-bucket", Prefix: "jobs/"}}; !reflect.DeepEqual(s.OutputBuckets, want) {
				t.Errorf("OutputBuckets = %+v, want %+v", s.OutputBuckets, want)
			}
		}},
	})
}

func TestBucketsRejected(t *testing.T) {
	const name = "is not a valid S3 bucket name"
	const rules = name + ": want 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit"
	long := strings.Repeat("k", 1025)
	cases := []struct {
		name, value, message string
	}{
		{"two characters", "ab", rules},
		{"64 characters", strings.Repeat("b", 64), rules},
		{"upper case", "My-Bucket", rules},
		{"underscore", "my_bucket", rules},
		{"starts with hyphen", "-bucket", rules},
		{"ends with hyphen", "bucket-", rules},
		{"starts with dot", ".bucket", rules},
		{"ends with dot", "bucket.", rules},
		{"s3 URL", "s3://my-bucket/p", rules},
		{"empty bucket before prefix", "/prefix", rules},
		{"empty string in list", "", rules},
		{"adjacent dots", "my..bucket", name + ": it has two adjacent dots"},
		{"IP address", "192.168.5.4", name + ": it is formatted as an IP address"},
		{"IP address with leading zeros", "192.168.005.004", name + ": it is formatted as an IP address"},
		{"IP address of single digits", "1.2.3.4", name + ": it is formatted as an IP address"},
		{"IP address with a leading zero first", "010.0.0.1", name + ": it is formatted as an IP address"},
		{"dotted quad out of IPv4 range", "999.999.999.999", name + ": it is formatted as an IP address"},
		{"xn-- prefix", "xn--bucket", `the prefix "xn--" is reserved by S3`},
		{"sthree- prefix", "sthree-bucket", `the prefix "sthree-" is reserved by S3`},
		{"sthree-configurator prefix", "sthree-configurator-x", `the prefix "sthree-" is reserved`},
		{"amzn-s3-demo- prefix", "amzn-s3-demo-bucket", `the prefix "amzn-s3-demo-" is reserved by S3`},
		{"-s3alias suffix", "bucket-s3alias", `the suffix "-s3alias" is reserved by S3`},
		{"--ol-s3 suffix", "bucket--ol-s3", `the suffix "--ol-s3" is reserved by S3`},
		{".mrap suffix", "bucket.mrap", `the suffix ".mrap" is reserved by S3`},
		{"--x-s3 suffix", "bucket--use1-az4--x-s3", `the suffix "--x-s3" is reserved by S3`},
		{"--table-s3 suffix", "bucket--table-s3", `the suffix "--table-s3" is reserved by S3`},
		{"bare wildcard", "*", rules},
		{"wildcard in bucket", "my-*", rules},
		{"wildcard bucket ARN", "arn:aws:s3:::*", rules},
		{"all objects", "arn:aws:s3:::my-bucket/*", "contains a wildcard (* or ?)"},
		{"wildcard in prefix", "my-bucket/pre*fix/", "contains a wildcard (* or ?)"},
		{"question mark in prefix", "my-bucket/a?b", "contains a wildcard (* or ?)"},
		{"policy variable in prefix", "my-bucket/home/${aws:username}/", "contains an IAM policy variable"},
		{"policy variable in bucket", "${aws:username}", rules},
		{"trailing slash only", "my-bucket/", "ends with / but has no prefix after the bucket"},
		{"control character in prefix", "my-bucket/a\x01b", `has the character "\x01" (U+0001), which IAM does not accept in a policy document`},
		{"invalid UTF-8 in prefix", "my-bucket/a\xffb", `(U+FFFD), which IAM does not accept in a policy document`},
		{"CJK prefix", "my-gt-input/画像/", `has the character "画" (U+753B), which IAM does not accept in a policy document`},
		{"emoji prefix", "my-bucket/🙂/", `has the character "🙂" (U+1F642), which IAM does not accept in a policy document`},
		{"euro sign prefix", "my-bucket/€/", `has the character "€" (U+20AC)`},
		{"prefix over 1024 bytes", "my-bucket/" + long, "has a key prefix longer than S3's 1024-byte key limit"},
		{"other partition", "arn:aws-cn:s3:::my-bucket", `is in partition "aws-cn" but the stack is in partition "aws"`},
		{"access point ARN", "arn:aws:s3:us-east-1:123456789012:accesspoint/ap", "is not an S3 bucket ARN: want arn:aws:s3:::BUCKET[/PREFIX], a bucket name, or BUCKET/PREFIX"},
		{"not S3", "arn:aws:sns:us-east-1:123456789012:topic", "is not an S3 bucket ARN"},
		{"ARN without bucket", "arn:aws:s3:::", rules},
		{"truncated ARN", "arn:aws:s3", "is not an S3 bucket ARN"},
	}
	var rows []problemCase
	for _, c := range cases {
		rows = append(rows,
			problemCase{name: "InputBuckets/" + c.name, props: input(c.value), property: "InputBuckets[1]", value: shortened(c.value), message: c.message},
			problemCase{name: "OutputBuckets/" + c.name, props: map[string]any{"OutputBuckets": []any{c.value}}, property: "OutputBuckets[0]", value: shortened(c.value), message: c.message},
		)
	}
	runCases(t, rows)
}

func TestBucketListShapes(t *testing.T) {
	runCases(t, []problemCase{
		{name: "commas in one string", props: map[string]any{"InputBuckets": "a-bucket,b-bucket"}, property: "InputBuckets", value: "a-bucket,b-bucket", message: "is one string with commas: give a list of values instead"},
		{name: "number item", props: map[string]any{"InputBuckets": []any{"a-bucket", json.Number("12345")}}, property: "InputBuckets[1]", message: "must be a string, got a number"},
		{name: "object item", props: map[string]any{"InputBuckets": []any{map[string]any{"Bucket": "b"}}}, property: "InputBuckets[0]", message: "must be a string, got an object"},
		{name: "null item", props: map[string]any{"InputBuckets": []any{nil}}, property: "InputBuckets[0]", message: "must be a string, got null"},
		{name: "an object", props: map[string]any{"InputBuckets": map[string]any{"a": "b"}}, property: "InputBuckets", message: "must be a list of strings, got an object"},
		{name: "a boolean", props: map[string]any{"OutputBuckets": true}, property: "OutputBuckets", message: "must be a list of strings, got a boolean"},
	})
}
