package templates

import _ "embed"

// ProviderYAML is provider.yaml, for the tests that run the provider under the permissions it grants its own role.
//
//go:embed provider.yaml
var ProviderYAML []byte
