// A CDK TypeScript app with one labeling stack whose execution role comes from Custom::GroundTruthExecutionRole,
// through the construct library in ../../constructs. The provider Lambda runs in the same stack, from the zip
// packed into the library: deploying needs no Go and no provider stack.
import { App, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { GroundTruthExecutionRole } from '@gtrole/groundtruth-execution-role';

const app = new App();
const stack = new Stack(app, 'LabelingTypeScript', {
  description: 'A Ground Truth labeling stack using Custom::GroundTruthExecutionRole from TypeScript',
});

const data = new Bucket(stack, 'Data', {
  encryption: BucketEncryption.S3_MANAGED,
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
});
const sharedOutput = Bucket.fromBucketName(stack, 'SharedOutput', 'shared-labeling-output');
const inputTopic = Topic.fromTopicArn(stack, 'InputTopic', stack.formatArn({ service: 'sns', resource: 'gt-input-topic' }));

const role = new GroundTruthExecutionRole(stack, 'LabelingRole', {
  description: 'Ground Truth execution role for the TypeScript example',
  maxSessionDuration: Duration.hours(2),
  inputBuckets: [{ bucket: data, prefix: 'input/' }],
  outputBuckets: [{ bucket: data, prefix: 'labels/' }, { bucket: sharedOutput }],
  streamingInputTopics: [inputTopic],
  useManagedPolicy: true,
  tags: [{ key: 'team', value: 'vision' }],
});

// Whoever starts labeling jobs (CreateLabelingJob) must be allowed to pass the role to SageMaker.
const labelers = new iam.Role(stack, 'Labelers', { assumedBy: new iam.AccountRootPrincipal() });
role.grantPassRole(labelers);

new CfnOutput(stack, 'RoleArn', { value: role.roleArn });
new CfnOutput(stack, 'RoleName', { value: role.roleName });
app.synth();
