// Package drift compares the roles the provider owns with the record each carries of what the provider wrote
// (package record), using read-only IAM calls, and says what differs in words a person can act on.
package drift
