// Package record is what the provider writes on every role it creates or updates: a digest of each part of the
// desired state, kept in reserved tags on the role itself, so drift can later be found from the role alone.
package record
