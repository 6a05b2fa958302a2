// CDK constructs for Custom::GroundTruthExecutionRole, built with jsii for every CDK language.
export * from './provider';
export * from './role';
