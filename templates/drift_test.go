package templates

import (
	"errors"
	"reflect"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/internal/cfntemplate"
	"github.com/gtrole/groundtruth-execution-role/lambda/drift"
)

// TestProviderDriftAudit checks the schedule that invokes the function, the permission that lets EventBridge do
// it, and the alarm on the metric the function writes (its namespace, name and dimension from lambda/drift).
func TestProviderDriftAudit(t *testing.T) {
	const topic = "arn:aws:sns:us-east-1:123456789012:gt-drift"
	cases := []struct {
		name     string
		params   map[string]string
		schedule string // "" when the audit is off
		actions  []any  // alarm and OK actions
	}{
		{name: "defaults", params: map[string]string{}, schedule: "rate(1 hour)"},
		{name: "daily with a topic", params: map[string]string{"DriftAuditSchedule": "cron(0 6 * * ? *)", "DriftAlarmTopicArn": topic},
			schedule: "cron(0 6 * * ? *)", actions: []any{topic}},
		{name: "off", params: map[string]string{"DriftAuditSchedule": "", "DriftAlarmTopicArn": topic}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			params := map[string]string{"CodeBucket": "code-bucket", "CodeKey": "gt/bootstrap.zip"}
			for k, v := range tc.params {
				params[k] = v
			}
			stack := bindProvider(t, params)
			if tc.schedule == "" {
				for _, id := range []string{"DriftAuditRule", "DriftAuditPermission", "DriftAlarm"} {
					if _, err := stack.ResourceProperties(id); !errors.Is(err, cfntemplate.ErrConditionFalse) {
						t.Errorf("%s with the audit off: err = %v, want the resource left out", id, err)
					}
				}
				return
			}
			rule := resourceProperties(t, stack, "DriftAuditRule")
			if rule["ScheduleExpression"] != tc.schedule || rule["State"] != "ENABLED" ||
				!reflect.DeepEqual(rule["Targets"], []any{map[string]any{"Id": "DriftAudit", "Arn": "ProviderFunction.Arn"}}) {
				t.Errorf("rule = %v", rule)
			}
			perm := resourceProperties(t, stack, "DriftAuditPermission")
			wantPerm := map[string]any{"Action": "lambda:InvokeFunction", "FunctionName": "ProviderFunction.Arn",
				"Principal": "events.amazonaws.com", "SourceArn": "DriftAuditRule.Arn"}
			if !reflect.DeepEqual(perm, wantPerm) {
				t.Errorf("permission = %v, want %v", perm, wantPerm)
			}
			alarm := resourceProperties(t, stack, "DriftAlarm")
			for k, want := range map[string]any{
				"Namespace": drift.MetricNamespace, "MetricName": drift.MetricDrifted,
				"Dimensions": []any{map[string]any{"Name": drift.DimensionFunction, "Value": functionPhyID}},
				"Statistic":  "Maximum", "Threshold": "0", "ComparisonOperator": "GreaterThanThreshold",
				"EvaluationPeriods": "1", "Period": "3600", "TreatMissingData": "ignore",
			} {
				if !reflect.DeepEqual(alarm[k], want) {
					t.Errorf("alarm %s = %#v, want %#v", k, alarm[k], want)
				}
			}
			for _, k := range []string{"AlarmActions", "OKActions"} {
				if got, ok := alarm[k]; ok != (tc.actions != nil) || (ok && !reflect.DeepEqual(got, tc.actions)) {
					t.Errorf("alarm %s = %v, want %v", k, got, tc.actions)
				}
			}
		})
	}
}
