package provider

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/gtrole/groundtruth-execution-role/lambda/drift"
)

// DefaultDriftAuditSchedule is how often the provider audits its roles for drift unless told otherwise.
const DefaultDriftAuditSchedule = "rate(1 hour)"

// driftAudit invokes the function on schedule with EventBridge's scheduled event (the function then audits every
// role under its prefix, read-only) and alarms when the DriftedRoles metric it writes is above zero. A missing
// data point (no audit ran) keeps the alarm's state.
func driftAudit(scope constructs.Construct, fn awslambda.IFunction, schedule string, topic awssns.ITopic) awscloudwatch.Alarm {
	awsevents.NewRule(scope, jsii.String("DriftAudit"), &awsevents.RuleProps{
		Description: jsii.String("Audits the Ground Truth execution roles for drift (read-only)."),
		Schedule:    awsevents.Schedule_Expression(jsii.String(schedule)),
		Targets:     &[]awsevents.IRuleTarget{awseventstargets.NewLambdaFunction(fn, nil)},
	})
	alarm := awscloudwatch.NewAlarm(scope, jsii.String("DriftAlarm"), &awscloudwatch.AlarmProps{
		AlarmDescription: jsii.String("A Ground Truth execution role differs from what its stack declared. The provider's log has a " +
			"\"role drifted\" line per role; `gtrole drift` lists the differences; a new ReconcileToken repairs it."),
		Metric: awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
			Namespace:     jsii.String(drift.MetricNamespace),
			MetricName:    jsii.String(drift.MetricDrifted),
			DimensionsMap: &map[string]*string{drift.DimensionFunction: fn.FunctionName()},
			Statistic:     jsii.String("Maximum"),
			Period:        awscdk.Duration_Hours(jsii.Number(1)),
		}),
		Threshold:          jsii.Number(0),
		EvaluationPeriods:  jsii.Number(1),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_THRESHOLD,
		TreatMissingData:   awscloudwatch.TreatMissingData_IGNORE,
	})
	if topic != nil {
		alarm.AddAlarmAction(awscloudwatchactions.NewSnsAction(topic))
		alarm.AddOkAction(awscloudwatchactions.NewSnsAction(topic))
	}
	return alarm
}
