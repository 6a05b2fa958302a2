package drift

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// Metric names and namespace of the scheduled audit; the provider stack's alarm watches DriftedRoles.
const (
	MetricNamespace   = "GroundTruthExecutionRole"
	MetricDrifted     = "DriftedRoles"
	MetricUnrecorded  = "UnrecordedRoles"
	DimensionFunction = "FunctionName"
)

// WriteMetrics writes the audit's counts as one CloudWatch embedded-metric-format line, which CloudWatch Logs turns
// into metrics in MetricNamespace with the dimension FunctionName:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
func WriteMetrics(w io.Writer, now time.Time, function string, rep Report) error {
	line := map[string]any{
		"_aws": map[string]any{
			"Timestamp": now.UnixMilli(),
			"CloudWatchMetrics": []any{map[string]any{
				"Namespace":  MetricNamespace,
				"Dimensions": [][]string{{DimensionFunction}},
				"Metrics": []any{
					map[string]string{"Name": MetricDrifted, "Unit": "Count"},
					map[string]string{"Name": MetricUnrecorded, "Unit": "Count"},
				},
			}},
		},
		DimensionFunction: function,
		MetricDrifted:     rep.Count(Modified),
		MetricUnrecorded:  rep.Count(NotRecorded),
	}
	b, err := json.Marshal(line)
	if err != nil {
		return fmt.Errorf("encode metrics: %w", err)
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
