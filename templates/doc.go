// Package templates holds the CloudFormation templates for users without CDK
// (provider.yaml, one template per documented scenario, and the Service
// Catalog portfolio and product); its tests lint them with cfn-lint and
// resolve their custom resources with internal/cfntemplate.
package templates
