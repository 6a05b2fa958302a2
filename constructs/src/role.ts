// GroundTruthExecutionRole: a Custom::GroundTruthExecutionRole with typed inputs. Every prop that renders a property
// names it with an `@cfnProperty` tag, and a Go test holds those tags to lambda/contract both ways.
import { CfnTag, CustomResource, Duration, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import * as c from './contract.generated';
import { GroundTruthExecutionRoleProvider, GroundTruthExecutionRoleProviderProps } from './provider';

/** A bucket labeling jobs read or write, optionally only under a key prefix. */
export interface BucketAccess {
  /** The bucket. */
  readonly bucket: s3.IBucket;
  /**
   * Only keys under this prefix, such as `input/`.
   * @default the whole bucket
   */
  readonly prefix?: string;
}

/**
 * The VPC automated labeling's training and inference jobs run in: the subnets and security groups given to
 * CreateLabelingJob's `LabelingJobResourceConfig.VpcConfig`.
 */
export interface VpcConfig {
  /** The subnets the jobs run in (1 to 16). */
  readonly subnets: ec2.ISubnet[];
  /** The security groups of the jobs' network interfaces (1 to 5). */
  readonly securityGroups: ec2.ISecurityGroup[];
}

/** Properties of a GroundTruthExecutionRole. Unset properties are left out, so the provider's defaults apply. */
export interface GroundTruthExecutionRoleProps {
  /**
   * The provider's ARN, e.g. `GroundTruthExecutionRole.importServiceToken()` for a provider stack's export.
   * @default a provider in this stack, created once per stack (see `provider`)
   * @cfnProperty ServiceToken
   */
  readonly serviceToken?: string;
  /**
   * Settings of the in-stack provider made when `serviceToken` is unset; the first role of a stack decides them.
   * @default the provider's defaults
   */
  readonly provider?: GroundTruthExecutionRoleProviderProps;
  /**
   * How long CloudFormation waits for the provider's answer before it fails the operation (1 second to 1 hour).
   * @default 15 minutes: the provider's 5-minute timeout, with room for Lambda's retries of a failed invocation
   * @cfnProperty ServiceTimeout
   */
  readonly serviceTimeout?: Duration;

  /**
   * The role's name.
   * @default a name the provider generates
   * @cfnProperty RoleName
   */
  readonly roleName?: string;
  /**
   * The role's IAM path, under the provider's prefix.
   * @default the provider's prefix (/groundtruth/)
   * @cfnProperty Path
   */
  readonly path?: string;
  /**
   * The role's description.
   * @default none
   * @cfnProperty Description
   */
  readonly description?: string;
  /**
   * The role's maximum session duration, 1 to 12 hours.
   * @default 1 hour
   * @cfnProperty MaxSessionDuration
   */
  readonly maxSessionDuration?: Duration;
  /**
   * The managed policy set as the role's permissions boundary.
   * @default the provider's required boundary, if it has one
   * @cfnProperty PermissionsBoundary
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;
  /**
   * The role's tags.
   * @default none
   * @cfnProperty Tags
   */
  readonly tags?: CfnTag[];
  /**
   * Buckets labeling jobs read (manifests and data objects). This or `streamingInputTopics` is required.
   * @default none
   * @cfnProperty InputBuckets
   */
  readonly inputBuckets?: BucketAccess[];
  /**
   * Buckets labeling jobs write their output to; at least one (here or with `addOutputBucket`).
   * @default none
   * @cfnProperty OutputBuckets
   */
  readonly outputBuckets?: BucketAccess[];
  /**
   * Topics feeding a streaming labeling job.
   * @default none
   * @cfnProperty StreamingInputTopicArns
   */
  readonly streamingInputTopics?: sns.ITopic[];
  /**
   * Topics receiving a streaming labeling job's output (needs `streamingInputTopics`).
   * @default none
   * @cfnProperty StreamingOutputTopicArns
   */
  readonly streamingOutputTopics?: sns.ITopic[];
  /**
   * Custom workflow pre-annotation functions.
   * @default none
   * @cfnProperty PreAnnotationLambdaArns
   */
  readonly preAnnotationFunctions?: lambda.IFunction[];
  /**
   * Custom workflow annotation-consolidation functions.
   * @default none
   * @cfnProperty PostAnnotationLambdaArns
   */
  readonly postAnnotationFunctions?: lambda.IFunction[];
  /**
   * Execution roles of post-annotation functions that assume this role (same account only).
   * @default none
   * @cfnProperty PostAnnotationLambdaRoleArns
   */
  readonly postAnnotationFunctionRoles?: iam.IRole[];
  /**
   * Grant what automated data labeling needs.
   * @default false
   * @cfnProperty AutomatedLabeling
   */
  readonly automatedLabeling?: boolean;
  /**
   * Keys encrypting input or output data.
   * @default none
   * @cfnProperty KmsKeyArns
   */
  readonly kmsKeys?: kms.IKey[];
  /**
   * Keys encrypting automated labeling's ML storage volumes (needs `automatedLabeling`).
   * @default none
   * @cfnProperty VolumeKmsKeyArns
   */
  readonly volumeKmsKeys?: kms.IKey[];
  /**
   * Attach AmazonSageMakerGroundTruthExecution.
   * @default false
   * @cfnProperty UseManagedPolicy
   */
  readonly useManagedPolicy?: boolean;
  /**
   * Extra managed policies to attach; the provider accepts only those on its allow-list.
   * @default none
   * @cfnProperty ManagedPolicyArns
   */
  readonly managedPolicies?: iam.IManagedPolicy[];
  /**
   * Add an aws:SourceAccount condition (the role's account) to the trust policy.
   * @default false
   * @cfnProperty ConfusedDeputyProtection
   */
  readonly confusedDeputyProtection?: boolean;
  /**
   * No effect on the role; a new value makes CloudFormation send the Update that repairs drift.
   * @default none
   * @cfnProperty ReconcileToken
   */
  readonly reconcileToken?: string;
  /**
   * Run automated labeling's jobs in a VPC (needs `automatedLabeling`).
   * @default none
   * @cfnProperty VpcConfig
   */
  readonly vpc?: VpcConfig;
}

/** The construct id, directly under the stack, of the provider made for roles without a serviceToken. */
const SINGLETON_PROVIDER_ID = 'GroundTruthExecutionRoleProvider';

/** A SageMaker Ground Truth execution role made by the Custom::GroundTruthExecutionRole provider. */
export class GroundTruthExecutionRole extends Construct {
  /**
   * The ServiceToken exported by a provider stack (`<name>-ServiceToken`), for roles that use a shared provider.
   * @param providerStackName the provider stack's name (default GroundTruthRoleProvider)
   */
  public static importServiceToken(providerStackName?: string): string {
    return Fn.importValue(`${providerStackName ?? c.DEFAULT_PROVIDER_STACK_NAME}${c.SERVICE_TOKEN_EXPORT_SUFFIX}`);
  }

  /** The underlying custom resource. */
  public readonly resource: CustomResource;
  /** The role, immutable, for constructs that take an IRole. */
  public readonly role: iam.IRole;
  /** The in-stack provider serving this role; undefined when a serviceToken was given. */
  public readonly provider?: GroundTruthExecutionRoleProvider;

  private readonly inputBuckets: string[] = [];
  private readonly outputBuckets: string[] = [];
  private readonly streamingInputTopicArns: string[] = [];
  private readonly streamingOutputTopicArns: string[] = [];
  private readonly preAnnotationLambdaArns: string[] = [];
  private readonly postAnnotationLambdaArns: string[] = [];
  private readonly postAnnotationLambdaRoleArns: string[] = [];
  private readonly kmsKeyArns: string[] = [];
  private readonly volumeKmsKeyArns: string[] = [];
  private readonly managedPolicyArns: string[] = [];
  private readonly tags: { Key: string; Value: string }[] = [];

  constructor(scope: Construct, id: string, props: GroundTruthExecutionRoleProps = {}) {
    super(scope, id);
    let serviceToken = props.serviceToken;
    if (serviceToken === undefined) {
      this.provider = singletonProvider(this, props.provider);
      serviceToken = this.provider.serviceToken;
    }
    if (props.vpc && !props.automatedLabeling) {
      throw new Error(`${this.node.path}: vpc is only used by automated labeling's jobs: set automatedLabeling or remove vpc`);
    }
    const lazy = (list: unknown[]) => Lazy.any({ produce: () => (list.length ? list : undefined) });
    const P = c.PROPERTY;
    const properties: Record<string, unknown> = {
      [P.RoleName]: props.roleName,
      [P.Path]: props.path,
      [P.Description]: props.description,
      [P.MaxSessionDuration]: props.maxSessionDuration && sessionSeconds(this, props.maxSessionDuration),
      [P.PermissionsBoundary]: props.permissionsBoundary?.managedPolicyArn,
      [P.Tags]: lazy(this.tags),
      [P.InputBuckets]: lazy(this.inputBuckets),
      [P.OutputBuckets]: lazy(this.outputBuckets),
      [P.StreamingInputTopicArns]: lazy(this.streamingInputTopicArns),
      [P.StreamingOutputTopicArns]: lazy(this.streamingOutputTopicArns),
      [P.PreAnnotationLambdaArns]: lazy(this.preAnnotationLambdaArns),
      [P.PostAnnotationLambdaArns]: lazy(this.postAnnotationLambdaArns),
      [P.PostAnnotationLambdaRoleArns]: lazy(this.postAnnotationLambdaRoleArns),
      [P.AutomatedLabeling]: props.automatedLabeling,
      [P.KmsKeyArns]: lazy(this.kmsKeyArns),
      [P.VolumeKmsKeyArns]: lazy(this.volumeKmsKeyArns),
      [P.UseManagedPolicy]: props.useManagedPolicy,
      [P.ManagedPolicyArns]: lazy(this.managedPolicyArns),
      [P.ConfusedDeputyProtection]: props.confusedDeputyProtection,
      [P.ReconcileToken]: props.reconcileToken,
      [P.VpcConfig]: props.vpc && renderVpc(this, props.vpc),
    };
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken,
      // CloudFormation waits an hour for an answer unless told otherwise (1 to 3600 seconds):
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-customresource.html
      serviceTimeout: props.serviceTimeout ?? Duration.seconds(c.SERVICE_TIMEOUT_SECONDS),
      resourceType: c.RESOURCE_TYPE,
      properties: Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== undefined)),
    });
    this.role = iam.Role.fromRoleArn(this, 'Role', this.roleArn, { mutable: false });

    props.inputBuckets?.forEach((b) => this.addInputBucket(b.bucket, b.prefix));
    props.outputBuckets?.forEach((b) => this.addOutputBucket(b.bucket, b.prefix));
    props.streamingInputTopics?.forEach((t) => this.addStreamingInputTopic(t));
    props.streamingOutputTopics?.forEach((t) => this.addStreamingOutputTopic(t));
    props.preAnnotationFunctions?.forEach((f) => this.addPreAnnotationFunction(f));
    props.postAnnotationFunctions?.forEach((f) => this.addPostAnnotationFunction(f));
    props.postAnnotationFunctionRoles?.forEach((r) => this.addPostAnnotationFunctionRole(r));
    props.kmsKeys?.forEach((k) => this.addKmsKey(k));
    props.volumeKmsKeys?.forEach((k) => this.addVolumeKmsKey(k));
    props.managedPolicies?.forEach((p) => this.addManagedPolicy(p));
    props.tags?.forEach((t) => this.addTag(t.key, t.value));

    this.node.addValidation({
      validate: () => {
        const errors: string[] = [];
        if (!this.outputBuckets.length) {
          errors.push('no output bucket: give outputBuckets or call addOutputBucket');
        }
        if (!this.inputBuckets.length && !this.streamingInputTopicArns.length) {
          errors.push('no input: give inputBuckets or streamingInputTopics');
        }
        if (this.streamingOutputTopicArns.length && !this.streamingInputTopicArns.length) {
          errors.push('streamingOutputTopics need streamingInputTopics');
        }
        if (this.postAnnotationLambdaRoleArns.length && !this.postAnnotationLambdaArns.length) {
          errors.push('postAnnotationFunctionRoles need postAnnotationFunctions');
        }
        if (this.volumeKmsKeyArns.length && !props.automatedLabeling) {
          errors.push('volumeKmsKeys encrypt automated labeling\'s volumes: set automatedLabeling or remove them');
        }
        return errors;
      },
    });
  }

  /** The role's ARN (Fn::GetAtt Arn). */
  public get roleArn(): string {
    return this.resource.getAttString('Arn');
  }

  /** The role's name (Fn::GetAtt RoleName). */
  public get roleName(): string {
    return this.resource.getAttString('RoleName');
  }

  /** The role's unique id (Fn::GetAtt RoleId). */
  public get roleId(): string {
    return this.resource.getAttString('RoleId');
  }

  /** The role's IAM path (Fn::GetAtt Path). */
  public get rolePath(): string {
    return this.resource.getAttString('Path');
  }

  /**
   * Let grantee pass this role to SageMaker, as CreateLabelingJob's RoleArn requires of its caller: iam:PassRole
   * on this role only, only to sagemaker.amazonaws.com (iam:PassedToService):
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
   */
  public grantPassRole(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['iam:PassRole'],
      resourceArns: [this.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    });
  }

  /** Let labeling jobs read the bucket, or only keys under prefix. */
  public addInputBucket(bucket: s3.IBucket, prefix?: string): void {
    this.inputBuckets.push(bucketRef(bucket, prefix));
  }

  /** Let labeling jobs write to the bucket, or only under prefix. */
  public addOutputBucket(bucket: s3.IBucket, prefix?: string): void {
    this.outputBuckets.push(bucketRef(bucket, prefix));
  }

  /** Let a streaming labeling job subscribe to the topic. */
  public addStreamingInputTopic(topic: sns.ITopic): void {
    this.streamingInputTopicArns.push(topic.topicArn);
  }

  /** Let a streaming labeling job publish to the topic. */
  public addStreamingOutputTopic(topic: sns.ITopic): void {
    this.streamingOutputTopicArns.push(topic.topicArn);
  }

  /** Let a custom workflow invoke fn before annotation. */
  public addPreAnnotationFunction(fn: lambda.IFunction): void {
    this.preAnnotationLambdaArns.push(fn.functionArn);
  }

  /** Let a custom workflow invoke fn to consolidate annotations. */
  public addPostAnnotationFunction(fn: lambda.IFunction): void {
    this.postAnnotationLambdaArns.push(fn.functionArn);
  }

  /** Let a post-annotation function's execution role assume this role (a role of the same account). */
  public addPostAnnotationFunctionRole(role: iam.IRole): void {
    this.postAnnotationLambdaRoleArns.push(role.roleArn);
  }

  /** Let labeling jobs use key for encrypted input and output data. */
  public addKmsKey(key: kms.IKey): void {
    this.kmsKeyArns.push(key.keyArn);
  }

  /** Let automated labeling encrypt its ML storage volumes with key. */
  public addVolumeKmsKey(key: kms.IKey): void {
    this.volumeKmsKeyArns.push(key.keyArn);
  }

  /** Ask the provider to attach policy (it must be on the provider's allow-list). */
  public addManagedPolicy(policy: iam.IManagedPolicy): void {
    this.managedPolicyArns.push(policy.managedPolicyArn);
  }

  /** Tag the role. */
  public addTag(key: string, value: string): void {
    this.tags.push({ Key: key, Value: value });
  }
}

/** The stack's shared provider, created by the first role that needs it. */
function singletonProvider(scope: Construct, props?: GroundTruthExecutionRoleProviderProps): GroundTruthExecutionRoleProvider {
  const stack = Stack.of(scope);
  const existing = stack.node.tryFindChild(SINGLETON_PROVIDER_ID);
  if (existing === undefined) {
    return new GroundTruthExecutionRoleProvider(stack, SINGLETON_PROVIDER_ID, props);
  }
  if (!(existing instanceof GroundTruthExecutionRoleProvider)) {
    throw new Error(`${stack.node.path}: construct "${SINGLETON_PROVIDER_ID}" is not a GroundTruthExecutionRoleProvider`);
  }
  return existing;
}

/** `bucket` or `bucket/prefix`, as the provider takes a bucket grant. */
function bucketRef(bucket: s3.IBucket, prefix?: string): string {
  const p = (prefix ?? '').replace(/^\/+/, '');
  return p ? `${bucket.bucketName}/${p}` : bucket.bucketName;
}

/** The duration in seconds, checked against IAM's range when known at synth time. */
function sessionSeconds(scope: Construct, d: Duration): number {
  const secs = d.toSeconds();
  if (!Token.isUnresolved(secs) && (secs < c.MIN_SESSION_SECONDS || secs > c.MAX_SESSION_SECONDS)) {
    throw new Error(
      `${scope.node.path}: maxSessionDuration ${secs}s is outside ${c.MIN_SESSION_SECONDS}-${c.MAX_SESSION_SECONDS} seconds`,
    );
  }
  return secs;
}

/** {SecurityGroupIds, Subnets} within SageMaker's limits. */
function renderVpc(scope: Construct, v: VpcConfig): Record<string, string[]> {
  const count = (what: string, n: number, max: number) => {
    if (n < 1 || n > max) {
      throw new Error(`${scope.node.path}: vpc: ${n} ${what}, SageMaker takes 1 to ${max}`);
    }
  };
  count('subnets', v.subnets.length, c.MAX_SUBNETS);
  count('security groups', v.securityGroups.length, c.MAX_SECURITY_GROUPS);
  return {
    [c.VPC_SECURITY_GROUP_IDS]: v.securityGroups.map((g) => g.securityGroupId),
    [c.VPC_SUBNETS]: v.subnets.map((s) => s.subnetId),
  };
}
