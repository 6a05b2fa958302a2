package cfnengine

import (
	"fmt"
	"testing"
)

// quotaProps declares buckets input buckets and keys KMS keys: about 84 and 78 characters of inline policy each.
func quotaProps(buckets, keys int) map[string]any {
	var in, kms []any
	for i := range buckets {
		in = append(in, fmt.Sprintf("gt-quota-input-bucket-%03d", i))
	}
	for i := range keys {
		kms = append(kms, fmt.Sprintf("arn:aws:kms:us-east-1:123456789012:key/%08d-12ab-34cd-56ef-1234567890ab", i))
	}
	return map[string]any{"InputBuckets": in, "OutputBuckets": []any{"gt-quota-output"}, "KmsKeyArns": kms}
}

// TestInPlaceUpdateNeverPassesTheInlineQuota: both states fit IAM's 10,240-character inline
// aggregate (about 9,200 and 9,400 characters), but writing the growing GroundTruthKms before the shrinking
// GroundTruthS3 passes through about 16,900; the test IAM answers that PutRolePolicy LimitExceeded as IAM does
// (moto would not). The Update, and the stack rollback back to the first state, must both succeed.
func TestInPlaceUpdateNeverPassesTheInlineQuota(t *testing.T) {
	t.Parallel()
	manyBuckets, manyKeys := quotaProps(100, 1), quotaProps(10, 100)
	seq := sequence{setup: []op{{kind: "create", props: manyBuckets}}, last: op{kind: "update", props: manyKeys, thenStackFails: true}}
	e := playSequence(t, seq, Config{}, fault{})
	for _, s := range e.Steps {
		if !succeeded(s) {
			t.Errorf("%s", s)
		}
	}
}
