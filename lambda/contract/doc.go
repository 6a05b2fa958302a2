// Package contract is the single source of Custom::GroundTruthExecutionRole's contract: every property (name,
// type, default, constraints, whether a change replaces the role, a one-line description), the provider's
// settings with their defaults, and the IAM limits both obey. spec, reconcile, cdk/gtrole and cdk/provider read
// it; the README property table and schema/properties.schema.json are generated from it (see contractdoc).
// It compiles no regular expressions and imports nothing beyond the standard library, so the Lambda pays
// nothing for it at start.
package contract
