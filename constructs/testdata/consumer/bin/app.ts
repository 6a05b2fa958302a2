// A consumer's CDK app, as a user writes it after `npm install` of the packed construct library. Stack Consumer
// sets every prop, with the in-stack provider configured; stack Shared names a provider stack's export instead;
// stack Defaults takes the provider's defaults.
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { GroundTruthExecutionRole } from '@gtrole/groundtruth-execution-role';

const app = new App();
const stack = new Stack(app, 'Consumer');
const boundary = iam.ManagedPolicy.fromManagedPolicyArn(stack, 'Boundary', 'arn:aws:iam::123456789012:policy/gt-boundary');
const groundTruth = iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSageMakerGroundTruthExecution');
const extra = iam.ManagedPolicy.fromManagedPolicyArn(stack, 'Extra', 'arn:aws:iam::123456789012:policy/gt-extra');
const data = new s3.Bucket(stack, 'Data');
const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/0123abcd-4567-89ab-cdef-0123456789ab');

const role = new GroundTruthExecutionRole(stack, 'Role', {
  provider: {
    rolePathPrefix: '/labeling/',
    requiredPermissionsBoundary: boundary,
    allowedManagedPolicies: [groundTruth, extra],
    allowedResourceAccounts: ['210987654321'],
  },
  serviceTimeout: Duration.minutes(5),
  roleName: 'gt-consumer',
  path: '/labeling/vision/',
  description: 'every prop set',
  maxSessionDuration: Duration.hours(2),
  permissionsBoundary: boundary,
  tags: [{ key: 'team', value: 'vision' }],
  inputBuckets: [{ bucket: data, prefix: 'input/' }],
  outputBuckets: [{ bucket: s3.Bucket.fromBucketName(stack, 'Out', 'labeling-output') }],
  streamingInputTopics: [sns.Topic.fromTopicArn(stack, 'In', 'arn:aws:sns:us-east-1:123456789012:gt-in')],
  streamingOutputTopics: [sns.Topic.fromTopicArn(stack, 'OutTopic', 'arn:aws:sns:us-east-1:123456789012:gt-out')],
  preAnnotationFunctions: [lambda.Function.fromFunctionArn(stack, 'Pre', 'arn:aws:lambda:us-east-1:123456789012:function:gt-pre')],
  postAnnotationFunctions: [lambda.Function.fromFunctionArn(stack, 'Post', 'arn:aws:lambda:us-east-1:123456789012:function:gt-post')],
  postAnnotationFunctionRoles: [iam.Role.fromRoleArn(stack, 'PostRole', 'arn:aws:iam::123456789012:role/gt-post')],
  automatedLabeling: true,
  kmsKeys: [key],
  volumeKmsKeys: [key],
  useManagedPolicy: true,
  managedPolicies: [extra],
  confusedDeputyProtection: true,
  reconcileToken: '1',
  vpc: {
    subnets: [ec2.Subnet.fromSubnetId(stack, 'Subnet', 'subnet-0123456789abcdef0')],
    securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(stack, 'Group', 'sg-0123456789abcdef0')],
  },
});
role.grantPassRole(new iam.Role(stack, 'Labelers', { assumedBy: new iam.AccountRootPrincipal() }));

const shared = new Stack(app, 'Shared');
new GroundTruthExecutionRole(shared, 'Role', {
  serviceToken: GroundTruthExecutionRole.importServiceToken(),
  inputBuckets: [{ bucket: s3.Bucket.fromBucketName(shared, 'In', 'labeling-input') }],
  outputBuckets: [{ bucket: s3.Bucket.fromBucketName(shared, 'Out', 'labeling-output'), prefix: 'labels/' }],
});

// The provider's defaults: its own permissions boundary, the drift audit.
const defaults = new Stack(app, 'Defaults');
new GroundTruthExecutionRole(defaults, 'Role', {
  inputBuckets: [{ bucket: s3.Bucket.fromBucketName(defaults, 'In', 'labeling-input') }],
  outputBuckets: [{ bucket: s3.Bucket.fromBucketName(defaults, 'Out', 'labeling-output') }],
});
app.synth();
