// The provider of Custom::GroundTruthExecutionRole in the user's own stack: the Lambda built reproducibly by
// `make build` (assets/bootstrap.zip, packed into this package), its log group and its fenced execution role.
// It matches the Go construct cdk/provider statement for statement; a test in this directory compares the two.
import * as path from 'path';
import { Duration, Fn, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import * as c from './contract.generated';

/** Configures a GroundTruthExecutionRoleProvider. Every property is optional. */
export interface GroundTruthExecutionRoleProviderProps {
  /**
   * The IAM path roles are created under: `/` and one or more `segment/` (never the root `/`).
   * @default /groundtruth/
   */
  readonly rolePathPrefix?: string;
  /**
   * The only managed policies the provider may attach.
   * @default AmazonSageMakerGroundTruthExecution
   */
  readonly allowedManagedPolicies?: iam.IManagedPolicy[];
  /**
   * A permissions boundary every role the provider creates must carry.
   * @default a managed policy this construct creates, allowing only the actions a Ground Truth role is given
   */
  readonly requiredPermissionsBoundary?: iam.IManagedPolicy;
  /**
   * Require no permissions boundary (when requiredPermissionsBoundary is unset): the provider may then create
   * roles under its prefix with any permissions.
   * @default false
   */
  readonly noPermissionsBoundary?: boolean;
  /**
   * Accounts besides the provider's whose Lambda functions, SNS topics, KMS keys and S3 buckets roles may name
   * (a data-lake account).
   * @default none: every role's resources are in its own account
   */
  readonly allowedResourceAccounts?: string[];
  /**
   * The Lambda function's name.
   * @default a name unique to this construct's path
   */
  readonly functionName?: string;
  /**
   * Retention of the provider's log group.
   * @default one year
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Run the read-only drift audit on a schedule, with an alarm on drifted roles.
   * @default true
   */
  readonly driftAudit?: boolean;
  /**
   * The drift audit's schedule.
   * @default rate(1 hour)
   */
  readonly driftAuditSchedule?: events.Schedule;
  /**
   * A topic told when the drift alarm changes state.
   * @default none
   */
  readonly driftAlarmTopic?: sns.ITopic;
  /**
   * The provider's code: a zip holding one executable `bootstrap`.
   * @default the provider zip packed into this package (linux/arm64)
   */
  readonly code?: lambda.Code;
}

/** The Lambda-backed provider of Custom::GroundTruthExecutionRole, fenced to roles under its path prefix. */
export class GroundTruthExecutionRoleProvider extends Construct {
  /** The provider's Lambda function. */
  public readonly function: lambda.IFunction;
  /** The provider's fenced execution role. */
  public readonly role: iam.IRole;
  /** The provider function's log group. */
  public readonly logGroup: logs.ILogGroup;
  /** The alarm on the DriftedRoles metric, when the drift audit is on. */
  public readonly driftAlarm?: cloudwatch.IAlarm;

  constructor(scope: Construct, id: string, props: GroundTruthExecutionRoleProviderProps = {}) {
    super(scope, id);
    const prefix = props.rolePathPrefix ?? c.DEFAULT_ROLE_PATH_PREFIX;
    if (!Token.isUnresolved(prefix) && !validPathPrefix(prefix)) {
      throw new Error(
        `${this.node.path}: role path prefix "${prefix}": want /segment/.../ (letters, digits, +=,.@_-), ` +
          `at most ${c.MAX_PATH_LENGTH} characters; the root path / would open every role`,
      );
    }
    const allowed = (
      props.allowedManagedPolicies?.length
        ? props.allowedManagedPolicies
        : [iam.ManagedPolicy.fromAwsManagedPolicyName(c.GROUND_TRUTH_MANAGED_POLICY_NAME)]
    ).map((p) => p.managedPolicyArn);
    if (props.noPermissionsBoundary && props.requiredPermissionsBoundary) {
      throw new Error(`${this.node.path}: noPermissionsBoundary and requiredPermissionsBoundary contradict each other`);
    }
    const stack = Stack.of(this);
    let boundary = props.requiredPermissionsBoundary?.managedPolicyArn ?? '';
    if (!boundary && !props.noPermissionsBoundary) {
      boundary = new iam.ManagedPolicy(this, 'RoleBoundary', {
        description:
          'Permissions boundary of the SageMaker Ground Truth execution roles made by Custom::GroundTruthExecutionRole',
        statements: boundaryStatements(stack.partition, stack.account, prefix),
      }).managedPolicyArn;
    }
    const functionName =
      props.functionName ??
      Names.uniqueResourceName(this, { maxLength: 64, separator: '-', allowedSpecialCharacters: '-_' });
    const driftAudit = props.driftAudit ?? true;

    // A literal name lets the role name the log group without depending on the function.
    const logGroupName = `/aws/lambda/${functionName}`;
    const logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN, // the logs record every IAM change the provider made
    });
    this.logGroup = logGroup;

    const role = new iam.Role(this, 'Role', {
      description: `Execution role of the Custom::GroundTruthExecutionRole provider, fenced to roles under ${prefix}`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: {
        [c.INLINE_POLICY_NAME]: new iam.PolicyDocument({
          statements: fence({
            partition: stack.partition,
            region: stack.region,
            account: stack.account,
            prefix,
            allowed,
            boundary,
            logGroupName,
            driftAudit,
          }),
        }),
      },
    });
    this.role = role;

    const fn = new lambda.Function(this, 'Function', {
      functionName,
      description: 'Provider of Custom::GroundTruthExecutionRole (SageMaker Ground Truth execution roles)',
      runtime: lambda.Runtime.PROVIDED_AL2023,
      architecture: lambda.Architecture.ARM_64,
      handler: 'bootstrap',
      code: props.code ?? lambda.Code.fromAsset(path.join(__dirname, '..', 'assets', 'bootstrap.zip')),
      memorySize: 128,
      timeout: Duration.seconds(c.FUNCTION_TIMEOUT_SECONDS),
      role,
      logGroup,
      environment: {
        [c.ENV_ROLE_PATH_PREFIX]: prefix,
        [c.ENV_ALLOWED_MANAGED_POLICY_ARNS]: Fn.join(',', allowed),
        [c.ENV_REQUIRED_PERMISSIONS_BOUNDARY]: boundary,
        [c.ENV_ALLOWED_RESOURCE_ACCOUNTS]: props.allowedResourceAccounts?.length
          ? Fn.join(',', props.allowedResourceAccounts)
          : '',
      },
    });
    // The GetAtt of the role's ARN already orders the function after the role, which carries its policy inline.
    (fn.node.defaultChild as lambda.CfnFunction).addDeletionOverride('DependsOn');
    this.function = fn;

    if (driftAudit) {
      new events.Rule(this, 'DriftAudit', {
        description: 'Audits the Ground Truth execution roles for drift (read-only).',
        schedule: props.driftAuditSchedule ?? events.Schedule.expression(c.DEFAULT_DRIFT_AUDIT_SCHEDULE),
        targets: [new targets.LambdaFunction(fn)],
      });
      const alarm = new cloudwatch.Alarm(this, 'DriftAlarm', {
        alarmDescription:
          'A Ground Truth execution role differs from what its stack declared. The provider\'s log has a ' +
          '"role drifted" line per role; `gtrole drift` lists the differences; a new ReconcileToken repairs it.',
        metric: new cloudwatch.Metric({
          namespace: c.METRIC_NAMESPACE,
          metricName: c.METRIC_DRIFTED,
          dimensionsMap: { [c.DIMENSION_FUNCTION]: fn.functionName },
          statistic: 'Maximum',
          period: Duration.hours(1),
        }),
        threshold: 0,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.IGNORE,
      });
      if (props.driftAlarmTopic) {
        alarm.addAlarmAction(new cloudwatchActions.SnsAction(props.driftAlarmTopic));
        alarm.addOkAction(new cloudwatchActions.SnsAction(props.driftAlarmTopic));
      }
      this.driftAlarm = alarm;
    }
  }

  /** The ARN custom resources name as their ServiceToken. */
  public get serviceToken(): string {
    return this.function.functionArn;
  }
}

/**
 * The default boundary: every action the role generator writes on resources the stack author names, the
 * streaming queues (named *GroundTruth*), and passing only roles under the prefix, only to SageMaker. The Go
 * provider's boundary (cdk/provider/boundary.go) is the same; the tests compare the two.
 */
function boundaryStatements(partition: string, account: string, prefix: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: c.SID_BOUNDARY_ACTIONS,
      actions: [
        'cloudwatch:PutMetricData',
        'ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface',
        'ec2:DeleteNetworkInterfacePermission', 'ec2:DescribeDhcpOptions', 'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs',
        'kms:CreateGrant', 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*',
        'lambda:InvokeFunction',
        'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents',
        's3:AbortMultipartUpload', 's3:GetBucketLocation', 's3:GetObject', 's3:ListBucket', 's3:PutObject',
        'sns:Publish', 'sns:Subscribe', 'sns:Unsubscribe',
      ],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: c.SID_BOUNDARY_QUEUES,
      actions: [
        'sqs:CreateQueue', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage',
        'sqs:SendMessage', 'sqs:SetQueueAttributes',
      ],
      resources: [`arn:${partition}:sqs:*:${account}:*GroundTruth*`],
    }),
    new iam.PolicyStatement({
      sid: c.SID_BOUNDARY_PASS,
      actions: ['iam:PassRole'],
      resources: [`arn:${partition}:iam::${account}:role${prefix}*`],
      conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    }),
  ];
}

function validPathPrefix(s: string): boolean {
  return s !== '/' && s.length <= c.MAX_PATH_LENGTH && new RegExp(c.PATH_PATTERN).test(s);
}

interface Fence {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly prefix: string;
  readonly allowed: string[];
  readonly boundary: string;
  readonly logGroupName: string;
  readonly driftAudit: boolean;
}

/** The provider role's statements, each scoped to the roles under the prefix or to the provider's own logs. */
function fence(f: Fence): iam.PolicyStatement[] {
  const roles = [`arn:${f.partition}:iam::${f.account}:role${f.prefix}*`];
  const logGroup = `arn:${f.partition}:logs:${f.region}:${f.account}:log-group:${f.logGroupName}`;
  const allow = (sid: string, resources: string[], actions: string[], conditions?: Record<string, unknown>) =>
    new iam.PolicyStatement({ sid, effect: iam.Effect.ALLOW, actions, resources, conditions });
  const write = [
    'iam:DeleteRole', 'iam:PutRolePolicy', 'iam:TagRole', 'iam:UntagRole', 'iam:UpdateAssumeRolePolicy', 'iam:UpdateRole',
  ];
  if (!f.boundary) {
    write.push('iam:CreateRole', 'iam:DeleteRolePermissionsBoundary', 'iam:PutRolePermissionsBoundary');
  }
  const out = [
    allow(c.SID_READ_ROLES, roles, [
      'iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies',
      'iam:ListInstanceProfilesForRole', 'iam:ListRolePolicies', 'iam:ListRoleTags',
    ]),
    allow(c.SID_WRITE_ROLES, roles, write),
  ];
  if (f.boundary) {
    out.push(allow(c.SID_CREATE_ROLES_WITH_BOUNDARY, roles, ['iam:CreateRole', 'iam:PutRolePermissionsBoundary'], {
      StringEquals: { 'iam:PermissionsBoundary': f.boundary },
    }));
  }
  out.push(
    // Attaching adds permissions: only allow-listed policies. Detaching or deleting only removes them, so any
    // policy on a role under the prefix (drift must be removable by the next Update or Delete).
    allow(c.SID_ATTACH_MANAGED_POLICIES, roles, ['iam:AttachRolePolicy'], { ArnEquals: { 'iam:PolicyARN': f.allowed } }),
    allow(c.SID_REMOVE_GRANTS, roles, ['iam:DeleteRolePolicy', 'iam:DetachRolePolicy']),
    allow(c.SID_REMOVE_FROM_INSTANCE_PROFILE, [`arn:${f.partition}:iam::${f.account}:instance-profile${f.prefix}*`], [
      'iam:RemoveRoleFromInstanceProfile',
    ]),
    allow(c.SID_WRITE_OWN_LOGS, [logGroup, `${logGroup}:log-stream:*`], ['logs:CreateLogStream', 'logs:PutLogEvents']),
    // Every request is verified with CloudFormation before any IAM call; both actions are authorized on the stack
    // resource type: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudformation.html
    allow(c.SID_VERIFY_REQUESTS, [`arn:${f.partition}:cloudformation:${f.region}:${f.account}:stack/*`], [
      'cloudformation:DescribeStackResource', 'cloudformation:DescribeStacks',
    ]),
  );
  if (f.driftAudit) {
    // The audit reads the roles in bulk: ListRoles and GetAccountAuthorizationDetails have no resource type, so only
    // "*" can be named; both only read (GetAccountAuthorizationDetails reads every role's policies in the account):
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
    out.push(allow(c.SID_LIST_ROLES_FOR_DRIFT_AUDIT, ['*'], ['iam:GetAccountAuthorizationDetails', 'iam:ListRoles']));
  }
  return out;
}
