// A typed wrapper over CustomResource for Custom::GroundTruthExecutionRole. The property names, types and
// defaults are those of the resource's contract (README "Properties", schema/properties.schema.json).
import { CfnTag, CustomResource, Duration, Fn } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** The resource type the provider serves. */
export const RESOURCE_TYPE = 'Custom::GroundTruthExecutionRole';

/** A bucket a role may read (input) or write (output), optionally limited to a key prefix. */
export interface BucketAccess {
  /** Bucket name or S3 bucket ARN, e.g. `bucket.bucketName`. */
  readonly bucket: string;
  /** Key prefix such as `input/`; default: the whole bucket. */
  readonly prefix?: string;
}

/** The VPC automated labeling's training and inference jobs run in. */
export interface VpcConfig {
  /** Security group ids (sg-…), 1 to 5. */
  readonly securityGroupIds: string[];
  /** Subnet ids (subnet-…), 1 to 16. */
  readonly subnets: string[];
}

/** Properties of a Custom::GroundTruthExecutionRole. Unset properties take the provider's defaults. */
export interface GroundTruthExecutionRoleProps {
  /** The provider's ARN. Default: the export of the provider stack named `providerStackName`. */
  readonly serviceToken?: string;
  /** Provider stack whose `<name>-ServiceToken` export is imported when serviceToken is unset. Default: GroundTruthRoleProvider. */
  readonly providerStackName?: string;
  /** Role name. Default: a name the provider generates. */
  readonly roleName?: string;
  /** IAM path; must be under the provider's prefix. Default: the prefix (/groundtruth/). */
  readonly path?: string;
  /** Role description. */
  readonly description?: string;
  /** Maximum session duration, 1 to 12 hours. Default: 1 hour. */
  readonly maxSessionDuration?: Duration;
  /** ARN of a managed policy set as the permissions boundary. */
  readonly permissionsBoundary?: string;
  /** Role tags. */
  readonly tags?: CfnTag[];
  /** Buckets labeling jobs read. At least one of inputBuckets and streamingInputTopicArns is required. */
  readonly inputBuckets?: BucketAccess[];
  /** Buckets labeling jobs write their output to. Required. */
  readonly outputBuckets: BucketAccess[];
  /** SNS topics feeding a streaming labeling job. */
  readonly streamingInputTopicArns?: string[];
  /** SNS topics receiving a streaming labeling job's output (needs streamingInputTopicArns). */
  readonly streamingOutputTopicArns?: string[];
  /** Custom workflow pre-annotation Lambda ARNs. */
  readonly preAnnotationLambdaArns?: string[];
  /** Custom workflow annotation-consolidation Lambda ARNs. */
  readonly postAnnotationLambdaArns?: string[];
  /** Execution roles of post-annotation Lambdas allowed to assume this role (same account only; needs postAnnotationLambdaArns). */
  readonly postAnnotationLambdaRoleArns?: string[];
  /** Grant what automated data labeling needs. Default: false. */
  readonly automatedLabeling?: boolean;
  /** KMS keys encrypting input or output data. */
  readonly kmsKeyArns?: string[];
  /** KMS keys encrypting automated labeling's ML storage volumes (needs automatedLabeling). */
  readonly volumeKmsKeyArns?: string[];
  /** Attach AmazonSageMakerGroundTruthExecution. Default: false. */
  readonly useManagedPolicy?: boolean;
  /** Extra managed policy ARNs (the provider accepts allow-listed ones only). */
  readonly managedPolicyArns?: string[];
  /** Add an aws:SourceAccount condition to the trust policy. Default: false. */
  readonly confusedDeputyProtection?: boolean;
  /** Run automated labeling's jobs in this VPC (needs automatedLabeling). */
  readonly vpcConfig?: VpcConfig;
  /** Any string up to 256 characters; a new value sends an Update that repairs drift (README "Drift"). */
  readonly reconcileToken?: string;
}

/** A SageMaker Ground Truth execution role made by the Custom::GroundTruthExecutionRole provider. */
export class GroundTruthExecutionRole extends Construct {
  /** The role's ARN. */
  public readonly arn: string;
  /** The role's name. */
  public readonly roleName: string;
  /** The underlying custom resource. */
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: GroundTruthExecutionRoleProps) {
    super(scope, id);
    const serviceToken =
      props.serviceToken ?? Fn.importValue(`${props.providerStackName ?? 'GroundTruthRoleProvider'}-ServiceToken`);
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken,
      resourceType: RESOURCE_TYPE,
      properties: renderProperties(props),
    });
    this.arn = this.resource.getAttString('Arn');
    this.roleName = this.resource.getAttString('RoleName');
  }
}

/** The resource's Properties for props, with unset ones left out. */
export function renderProperties(props: GroundTruthExecutionRoleProps): Record<string, unknown> {
  const buckets = (list?: BucketAccess[]) =>
    list?.map((b) => (b.prefix ? `${b.bucket}/${b.prefix}` : b.bucket));
  const all: Record<string, unknown> = {
    RoleName: props.roleName,
    Path: props.path,
    Description: props.description,
    MaxSessionDuration: props.maxSessionDuration?.toSeconds(),
    PermissionsBoundary: props.permissionsBoundary,
    Tags: props.tags?.map((t) => ({ Key: t.key, Value: t.value })),
    InputBuckets: buckets(props.inputBuckets),
    OutputBuckets: buckets(props.outputBuckets),
    StreamingInputTopicArns: props.streamingInputTopicArns,
    StreamingOutputTopicArns: props.streamingOutputTopicArns,
    PreAnnotationLambdaArns: props.preAnnotationLambdaArns,
    PostAnnotationLambdaArns: props.postAnnotationLambdaArns,
    PostAnnotationLambdaRoleArns: props.postAnnotationLambdaRoleArns,
    AutomatedLabeling: props.automatedLabeling,
    KmsKeyArns: props.kmsKeyArns,
    VolumeKmsKeyArns: props.volumeKmsKeyArns,
    UseManagedPolicy: props.useManagedPolicy,
    ManagedPolicyArns: props.managedPolicyArns,
    ConfusedDeputyProtection: props.confusedDeputyProtection,
    VpcConfig: props.vpcConfig && { SecurityGroupIds: props.vpcConfig.securityGroupIds, Subnets: props.vpcConfig.subnets },
    ReconcileToken: props.reconcileToken,
  };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined));
}
