// Package iamauthz answers, for the tests, the question real IAM asks before every call: would the caller's
// identity-based policy allow this action on this resource with this request context? moto allows everything, so
// the tests put this package in front of it (through test/faultproxy's Gate) with the provider role's own
// statements, and a call the provider's fence would deny is answered AccessDenied as IAM answers it. It also
// enforces the role's inline-policy aggregate quota, which moto ignores.
//
// The evaluator covers the subset of the policy grammar the provider's statements use: Allow and Deny
// statements, Action and Resource lists with * and ? wildcards, and the condition operators StringEquals,
// StringLike, ArnEquals and ArnLike. Anything else (NotAction, NotResource, other operators, IfExists,
// ForAnyValue) is refused when the policy is loaded, so the evaluator never silently ignores part of a policy.
// Evaluation follows IAM's order: an explicit Deny wins, then any Allow, else the implicit deny
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
package iamauthz
