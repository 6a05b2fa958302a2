package policy

import (
	"fmt"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
)

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

func checkQuotas(r iamdoc.Role) error {
	if n := iamdoc.Size(r.AssumeRolePolicyDocument); n > contract.MaxTrustPolicySize {
		return &QuotaError{What: "the trust policy", Size: n, Limit: contract.MaxTrustPolicySize, Hint: "this cannot happen with the generated trust policy; report it"}
	}
	if n := r.InlineSize(); n > contract.MaxInlinePolicySize {
		return &QuotaError{
			What:  "the role's inline policies together",
			Size:  n,
			Limit: contract.MaxInlinePolicySize,
			Hint:  "declare fewer or shorter InputBuckets/OutputBuckets (a shared bucket with prefixes costs less than many buckets), fewer topics, functions or keys, or split the work across several roles",
		}
	}
	return nil
}
