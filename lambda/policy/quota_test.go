package policy

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

// bucketsSpec is a non-streaming role reading and writing n whole buckets whose names are length characters long.
func bucketsSpec(n, length int) spec.Spec {
	s := spec.Spec{Path: contract.DefaultRolePathPrefix}
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("b%05d", i)
		name += strings.Repeat("x", length-len(name))
		s.InputBuckets = append(s.InputBuckets, spec.S3Location{Bucket: name})
	}
	return s
}

// capacity is the largest number of buckets of the given name length that fit IAM's inline-policy quota.
func capacity(t testing.TB, length int) int {
	scope := Scope{Account: "123456789012", Partition: "aws"}
	n := 1
	for {
		if _, err := Build(bucketsSpec(n+1, length), scope, "GroundTruthExecutionRole"); err != nil {
			var q *QuotaError
			if !errors.As(err, &q) {
				t.Fatalf("Build: %v", err)
			}
			return n
		}
		n++
	}
}

// TestBucketCapacity measures how many buckets fit one role; docs/performance.md quotes these figures.
func TestBucketCapacity(t *testing.T) {
	for _, tt := range []struct{ length, want int }{{20, 130}, {40, 84}, {63, 60}} {
		got := capacity(t, tt.length)
		t.Logf("%d-character bucket names: %d buckets fit", tt.length, got)
		if got != tt.want {
			t.Errorf("%d-character names: %d buckets fit, docs/performance.md says %d: update its figure", tt.length, got, tt.want)
		}
	}
}

func TestQuotaErrorIsActionable(t *testing.T) {
	_, err := Build(bucketsSpec(200, 63), Scope{Account: "123456789012", Partition: "aws"}, "r")
	var q *QuotaError
	if !errors.As(err, &q) {
		t.Fatalf("Build = %v, want a QuotaError", err)
	}
	if q.Limit != contract.MaxInlinePolicySize || q.Size <= contract.MaxInlinePolicySize {
		t.Errorf("QuotaError = %+v", q)
	}
	for _, want := range []string{fmt.Sprint(q.Size), "10240", "InputBuckets/OutputBuckets"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// BenchmarkBuild40Buckets builds a role for 40 buckets of 40-character names, near the size quota.
func BenchmarkBuild40Buckets(b *testing.B) {
	data := bucketsSpec(40, 40)
	scope := Scope{Account: "123456789012", Partition: "aws"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(data, scope, "GroundTruthExecutionRole"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestCharsetGuard(t *testing.T) {
	s := spec.Spec{Path: contract.DefaultRolePathPrefix, InputBuckets: []spec.S3Location{{Bucket: "in-bucket", Prefix: "画像/"}}, OutputBuckets: []spec.S3Location{{Bucket: "out-bucket"}}}
	_, err := Build(s, Scope{Account: "123456789012", Partition: "aws"}, "r")
	var ce *iamdoc.CharsetError
	if !errors.As(err, &ce) || ce.Char != '画' || ce.Policy != "inline policy "+PolicyS3 {
		t.Fatalf("Build = %v, want a CharsetError for 画 in %s", err, PolicyS3)
	}
	s.InputBuckets[0].Prefix = "Bilder über/"
	if _, err := Build(s, Scope{Account: "123456789012", Partition: "aws"}, "r"); err != nil {
		t.Errorf("Latin-1 is IAM's character set: %v", err)
	}
}
