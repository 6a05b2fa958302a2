package policy

import (
	"fmt"
	"unicode"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// IAM's default quotas on a role's policies, in characters with white space not counted (the contract's).
const (
	MaxInlineSize = contract.MaxInlinePolicySize // all inline policies of a role together
	MaxTrustSize  = contract.MaxTrustPolicySize  // the trust policy
)

// Size counts a document's characters as IAM does for its quotas: white space is not counted.
func Size(d Document) int { return TextSize(d.String()) }

// TextSize counts the characters of a policy document's text as IAM does for its quotas: white space is not counted.
func TextSize(text string) int {
	n := 0
	for _, r := range text {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// InlineSize is the aggregate size of the role's inline policies as IAM counts it.
func (r Role) InlineSize() int {
	n := 0
	for _, p := range r.Policies {
		n += Size(p.PolicyDocument)
	}
	return n
}

// QuotaError reports a role that IAM would refuse because a policy is too large.
type QuotaError struct {
	What  string // which policy or aggregate
	Size  int    // characters as IAM counts them
	Limit int
	Hint  string // what to change
}

func (e *QuotaError) Error() string {
	return fmt.Sprintf("%s would be %d characters, over IAM's limit of %d (white space not counted): %s", e.What, e.Size, e.Limit, e.Hint)
}

func checkQuotas(r Role) error {
	if n := Size(r.AssumeRolePolicyDocument); n > MaxTrustSize {
		return &QuotaError{What: "the trust policy", Size: n, Limit: MaxTrustSize, Hint: "this cannot happen with the generated trust policy; report it"}
	}
	if n := r.InlineSize(); n > MaxInlineSize {
		return &QuotaError{
			What:  "the role's inline policies together",
			Size:  n,
			Limit: MaxInlineSize,
			Hint:  "declare fewer or shorter InputBuckets/OutputBuckets (a shared bucket with prefixes costs less than many buckets), fewer topics, functions or keys, or split the work across several roles",
		}
	}
	return nil
}
