// Package provider defines the CDK construct and stack that deploy the Lambda behind
// Custom::GroundTruthExecutionRole, together with its fenced, least-privilege execution role.
package provider

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// Defaults and names shared with the Lambda's configuration.
const (
	// CodePathContextKey is the CDK context key (`cdk synth -c codePath=...`) naming a built Lambda bundle.
	CodePathContextKey = "codePath"
	// DefaultRolePathPrefix is the IAM path the provider may create roles under.
	DefaultRolePathPrefix = contract.DefaultRolePathPrefix
	// DefaultManagedPolicyName is the AWS managed policy allowed by default.
	DefaultManagedPolicyName = contract.GroundTruthManagedPolicyName
	// DefaultLogRetention is how long the provider's logs are kept.
	DefaultLogRetention = awslogs.RetentionDays_ONE_YEAR

	// EnvRolePathPrefix names the Lambda setting holding the role path prefix.
	EnvRolePathPrefix = contract.EnvRolePathPrefix
	// EnvAllowedManagedPolicyArns names the Lambda setting holding the comma-separated managed policy allow-list.
	EnvAllowedManagedPolicyArns = contract.EnvAllowedManagedPolicyArns
	// EnvRequiredPermissionsBoundary names the Lambda setting holding the required permissions boundary ARN.
	EnvRequiredPermissionsBoundary = contract.EnvRequiredPermissionsBoundary
	// EnvAllowedResourceAccounts names the Lambda setting holding the accounts roles may name resources of.
	EnvAllowedResourceAccounts = contract.EnvAllowedResourceAccounts

	// InlinePolicyName names the execution role's only policy, which holds the fenced statements.
	InlinePolicyName = "GroundTruthRoleProvider"
	// FunctionID is the construct id of the provider's Lambda function inside a Provider.
	FunctionID = "Function"
)

// Props configures a Provider. Every field is optional.
type Props struct {
	// CodePath is the Lambda bundle (a zip holding one executable `bootstrap`, as `make build` writes).
	// Default: the `codePath` context value, else the provider is built from source at synth time with the Go
	// toolchain, in the working directory's module (see sourceCode).
	CodePath *string
	// RolePathPrefix is the IAM path roles are created under: "/" + one or more "segment/" (not the root "/").
	// Default: DefaultRolePathPrefix.
	RolePathPrefix *string
	// AllowedManagedPolicyArns are the only managed policies the provider may attach.
	// Default: arn:<partition>:iam::aws:policy/AmazonSageMakerGroundTruthExecution.
	AllowedManagedPolicyArns *[]*string
	// RequiredPermissionsBoundary, when set, is a policy ARN every created role must carry as its boundary.
	// Default: a managed policy the Provider creates (construct id BoundaryID) that allows only the actions a
	// Ground Truth role can be given, so that even a provider whose code or configuration is taken over can create
	// nothing broader (README, Security model). Recommended; NoPermissionsBoundary opts out.
	RequiredPermissionsBoundary *string
	// NoPermissionsBoundary, when true and RequiredPermissionsBoundary is unset, requires no boundary: the
	// provider's role may then create roles under the prefix with any permissions.
	NoPermissionsBoundary bool
	// AllowedResourceAccounts are the accounts besides the provider's whose Lambda functions, SNS topics, KMS keys
	// and S3 buckets roles may name (a data-lake account). Default: none, every role's resources in its own account.
	AllowedResourceAccounts *[]*string
	// FunctionName names the Lambda function. Default: a name unique to this construct's path.
	FunctionName *string
	// LogRetention is the provider log group's retention. Default: DefaultLogRetention.
	LogRetention awslogs.RetentionDays
	// DriftAuditSchedule is the EventBridge schedule expression of the read-only drift audit; "" turns the audit,
	// its alarm and its iam:ListRoles and iam:GetAccountAuthorizationDetails permissions off. Default: DefaultDriftAuditSchedule.
	DriftAuditSchedule *string
	// DriftAlarmTopic, when set, is notified when the DriftedRoles alarm changes state.
	DriftAlarmTopic awssns.ITopic
}

// Provider is the Lambda-backed provider of Custom::GroundTruthExecutionRole.
type Provider struct {
	constructs.Construct
	function   awslambda.Function
	role       awsiam.Role
	logGroup   awslogs.LogGroup
	driftAlarm awscloudwatch.Alarm // nil when the drift audit is off
	boundary   *string             // the required boundary's ARN; nil when none is required
}

// settings are Props with defaults applied and checked.
type settings struct {
	prefix, boundary, functionName string
	driftSchedule                  string // "" when the drift audit is off
	code                           awslambda.Code
	allowed                        *[]*string
	retention                      awslogs.RetentionDays
}

// settingsFrom applies the defaults to props and validates the result.
func settingsFrom(scope constructs.Construct, props *Props) (settings, error) {
	s := settings{
		prefix:    stringOr(props.RolePathPrefix, DefaultRolePathPrefix),
		boundary:  stringOr(props.RequiredPermissionsBoundary, ""),
		allowed:   props.AllowedManagedPolicyArns,
		retention: props.LogRetention,
	}
	s.driftSchedule = DefaultDriftAuditSchedule
	if props.DriftAuditSchedule != nil {
		s.driftSchedule = *props.DriftAuditSchedule
	}
	if err := validatePathPrefix(s.prefix); err != nil {
		return s, err
	}
	if props.NoPermissionsBoundary && s.boundary != "" {
		return s, fmt.Errorf("NoPermissionsBoundary and RequiredPermissionsBoundary %q contradict each other", s.boundary)
	}
	code, err := codeFrom(scope, props.CodePath)
	if err != nil {
		return s, err
	}
	s.code = code
	if s.allowed == nil || len(*s.allowed) == 0 {
		s.allowed = &[]*string{awsiam.ManagedPolicy_FromAwsManagedPolicyName(jsii.String(DefaultManagedPolicyName)).ManagedPolicyArn()}
	}
	if s.retention == "" {
		s.retention = DefaultLogRetention
	}
	s.functionName = stringOr(props.FunctionName, "")
	if s.functionName == "" {
		s.functionName = *awscdk.Names_UniqueResourceName(scope, &awscdk.UniqueResourceNameOptions{
			MaxLength: jsii.Number(64), Separator: jsii.String("-"), AllowedSpecialCharacters: jsii.String("-_"),
		})
	}
	return s, nil
}

// NewProvider defines the provider function, its log group and its fenced execution role.
// It panics on invalid props, as CDK constructs do.
func NewProvider(scope constructs.Construct, id string, props *Props) *Provider {
	if props == nil {
		props = &Props{}
	}
	this := &Provider{}
	constructs.NewConstruct_Override(this, scope, jsii.String(id))
	s, err := settingsFrom(this, props)
	if err != nil {
		panic(fmt.Sprintf("provider %s: %v", id, err))
	}

	// The log group has a literal name, so the role can name it without depending on the function.
	logGroupName := "/aws/lambda/" + s.functionName
	this.logGroup = awslogs.NewLogGroup(this, jsii.String("LogGroup"), &awslogs.LogGroupProps{
		LogGroupName:  jsii.String(logGroupName),
		Retention:     s.retention,
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN, // the logs record every IAM change the provider made; templates/provider.yaml keeps them too
	})

	stack := awscdk.Stack_Of(this)
	if s.boundary == "" && !props.NoPermissionsBoundary {
		s.boundary = *newBoundary(this, fence{
			partition: *stack.Partition(), account: *stack.Account(), pathPrefix: s.prefix,
		}).ManagedPolicyArn()
	}
	if s.boundary != "" {
		this.boundary = jsii.String(s.boundary)
	}
	f := fence{
		partition:         *stack.Partition(),
		region:            *stack.Region(),
		account:           *stack.Account(),
		pathPrefix:        s.prefix,
		allowedPolicyArns: *s.allowed,
		boundaryArn:       s.boundary,
		logGroupName:      logGroupName,
		driftAudit:        s.driftSchedule != "",
	}
	this.role = awsiam.NewRole(this, jsii.String("Role"), &awsiam.RoleProps{
		Description: jsii.String("Execution role of the Custom::GroundTruthExecutionRole provider, fenced to roles under " + s.prefix),
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		InlinePolicies: &map[string]awsiam.PolicyDocument{
			InlinePolicyName: awsiam.NewPolicyDocument(&awsiam.PolicyDocumentProps{Statements: ptr(f.statements())}),
		},
	})
	suppressFenceWildcards(this.role, f)

	this.function = awslambda.NewFunction(this, jsii.String(FunctionID), &awslambda.FunctionProps{
		FunctionName: jsii.String(s.functionName),
		Description:  jsii.String("Provider of Custom::GroundTruthExecutionRole (SageMaker Ground Truth execution roles)"),
		Runtime:      awslambda.Runtime_PROVIDED_AL2023(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String("bootstrap"),
		Code:         s.code,
		MemorySize:   jsii.Number(128),
		Timeout:      awscdk.Duration_Seconds(jsii.Number(contract.FunctionTimeoutSeconds)),
		Role:         this.role,
		LogGroup:     this.logGroup,
		Environment: &map[string]*string{
			EnvRolePathPrefix:              jsii.String(s.prefix),
			EnvAllowedManagedPolicyArns:    awscdk.Fn_Join(jsii.String(","), s.allowed),
			EnvRequiredPermissionsBoundary: jsii.String(s.boundary),
			EnvAllowedResourceAccounts:     resourceAccounts(props.AllowedResourceAccounts),
		},
	})
	// CDK adds DependsOn the role, which the GetAtt of the role's ARN already implies (cfn-lint W3005);
	// the role carries its policy inline, so the GetAtt alone orders everything the function needs.
	this.function.Node().DefaultChild().(awscdk.CfnResource).AddDeletionOverride(jsii.String("DependsOn"))
	if s.driftSchedule != "" {
		this.driftAlarm = driftAudit(this, this.function, s.driftSchedule, props.DriftAlarmTopic)
	}
	return this
}

// PermissionsBoundary is the ARN of the boundary every role of this provider carries, nil when none is required.
func (p *Provider) PermissionsBoundary() *string { return p.boundary }

// DriftAlarm is the alarm on the DriftedRoles metric, nil when the drift audit is off.
func (p *Provider) DriftAlarm() awscloudwatch.Alarm { return p.driftAlarm }

// ServiceToken is the ARN custom resources name as their ServiceToken.
func (p *Provider) ServiceToken() *string { return p.function.FunctionArn() }

// Function is the provider's Lambda function.
func (p *Provider) Function() awslambda.IFunction { return p.function }

// Role is the provider's fenced execution role.
func (p *Provider) Role() awsiam.IRole { return p.role }

// LogGroup is the provider function's log group.
func (p *Provider) LogGroup() awslogs.ILogGroup { return p.logGroup }

// codeFrom picks the Lambda code: the bundle named by props, else by the codePath context value, else the
// provider built from source.
func codeFrom(scope constructs.Construct, fromProps *string) (awslambda.Code, error) {
	path := stringOr(fromProps, "")
	if v, ok := scope.Node().TryGetContext(jsii.String(CodePathContextKey)).(string); ok && path == "" {
		path = v
	}
	if path == "" {
		dir, err := workingDir()
		if err != nil {
			return nil, err
		}
		return sourceCodeOrError(scope, dir), nil
	}
	if err := checkCodePath(path); err != nil {
		return nil, err
	}
	return awslambda.Code_FromAsset(jsii.String(path), nil), nil
}

// checkCodePath reports a missing bundle with the remedy, before CDK's asset staging fails obscurely.
func checkCodePath(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("lambda bundle %q: %w (run `make build`, pass -c %s=<zip>, or leave CodePath and %s unset to build from source)", path, err, CodePathContextKey, CodePathContextKey)
	}
	if info.IsDir() {
		return fmt.Errorf("lambda bundle %q is a directory, want a zip holding `bootstrap`", path)
	}
	return nil
}

// validatePathPrefix checks a literal IAM path prefix; unresolved tokens are accepted as they are.
func validatePathPrefix(prefix string) error {
	if *awscdk.Token_IsUnresolved(prefix) {
		return nil
	}
	if !contract.ValidPathPrefix(prefix) {
		return fmt.Errorf("role path prefix %q: want /segment/.../ (letters, digits, %s), at most %d characters; the root path / would open every role", prefix, contract.PathSymbols, contract.MaxPathLength)
	}
	return nil
}

func stringOr(s *string, def string) string {
	if s == nil || *s == "" {
		return def
	}
	return *s
}

func ptr[T any](v T) *T { return &v }

// resourceAccounts renders AllowedResourceAccounts as the comma-separated setting; "" when there are none.
func resourceAccounts(accounts *[]*string) *string {
	if accounts == nil || len(*accounts) == 0 {
		return jsii.String("")
	}
	return awscdk.Fn_Join(jsii.String(","), accounts)
}
