package contract

// FunctionTimeoutSeconds is the provider Lambda's timeout in templates/provider.yaml and the CDK provider. The
// provider answers CloudFormation before it runs out (the protocol's deadline timer).
const FunctionTimeoutSeconds = 300

// ServiceTimeoutSeconds is the ServiceTimeout every Custom::GroundTruthExecutionRole in the templates and CDK
// constructs declares: how long CloudFormation waits for the provider's answer before it fails the operation.
// It must be an integer from 1 to 3600 seconds, and without it CloudFormation waits 3600
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudformation-customresource.html#cfn-cloudformation-customresource-servicetimeout),
// so a provider that never answers (a broken deployment) would hold the stack for an hour. CloudFormation invokes
// the provider asynchronously, and Lambda runs an invocation that fails up to three times, waiting one minute and
// then two between the runs (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html):
// the timeout leaves room for all three runs, so a run that crashed can still be answered by the next.
const ServiceTimeoutSeconds = 3*FunctionTimeoutSeconds + 60 + 120

// MaxServiceTimeoutSeconds is the largest ServiceTimeout CloudFormation accepts.
const MaxServiceTimeoutSeconds = 3600
