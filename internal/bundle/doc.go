// Package bundle builds the provider Lambda the one way the project ships it: the `go build` command and flags, a
// byte-for-byte reproducible zip, and a hash of the Go source the binary is made from. `make build` (tools/bundle)
// and the CDK construct's local bundling (cdk/provider) both use it.
package bundle
