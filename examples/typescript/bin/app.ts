// A CDK TypeScript app with one labeling stack whose execution role comes from Custom::GroundTruthExecutionRole.
// Deploy the provider first (README "Deploying the provider"); this stack imports its ServiceToken export.
import { App, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { GroundTruthExecutionRole } from '../lib/ground-truth-execution-role';

const app = new App();
const stack = new Stack(app, 'LabelingTypeScript', {
  description: 'A Ground Truth labeling stack using Custom::GroundTruthExecutionRole from TypeScript',
});

const data = new Bucket(stack, 'Data', {
  encryption: BucketEncryption.S3_MANAGED,
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
});

const role = new GroundTruthExecutionRole(stack, 'LabelingRole', {
  description: 'Ground Truth execution role for the TypeScript example',
  maxSessionDuration: Duration.hours(2),
  inputBuckets: [{ bucket: data.bucketName, prefix: 'input/' }],
  outputBuckets: [{ bucket: data.bucketName, prefix: 'labels/' }, { bucket: 'shared-labeling-output' }],
  streamingInputTopicArns: [stack.formatArn({ service: 'sns', resource: 'gt-input-topic' })],
  useManagedPolicy: true,
  tags: [{ key: 'team', value: 'vision' }],
});

new CfnOutput(stack, 'RoleArn', { value: role.arn });
new CfnOutput(stack, 'RoleName', { value: role.roleName });
app.synth();
