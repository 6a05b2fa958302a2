package contract

// ResourceType is the CloudFormation type of the custom resource: the only type the provider serves, and the one
// the CDK construct and the shipped templates declare.
const ResourceType = "Custom::GroundTruthExecutionRole"
