package contract

// DefaultProviderStackName is the provider stack's default name everywhere one is assumed: the CDK app's provider
// stack, the templates' ProviderStackName parameter, and the TypeScript construct's providerStackName. The stack
// exports its ServiceToken as DefaultProviderStackName + "-ServiceToken".
const DefaultProviderStackName = "GroundTruthRoleProvider"
