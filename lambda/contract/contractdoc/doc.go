// Package contractdoc renders the contract (lambda/contract) as the README's property and settings tables and
// as the JSON Schema of the properties shipped in schema/. Its tests fail when either file is stale; refresh
// them with `go generate ./lambda/contract/contractdoc`.
package contractdoc

//go:generate go test -run ^(TestREADMEIsCurrent|TestSchemaIsCurrent)$ . -update
