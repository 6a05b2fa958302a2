package drift

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestWriteMetrics(t *testing.T) {
	rep := Report{Findings: []Finding{{Status: Modified}, {Status: InSync}, {Status: Modified}, {Status: NotRecorded}}, Skipped: 3}
	var buf bytes.Buffer
	if err := WriteMetrics(&buf, time.UnixMilli(1763920800000), "provider-fn", rep); err != nil {
		t.Fatal(err)
	}
	if bytes.Count(buf.Bytes(), []byte("\n")) != 1 {
		t.Fatalf("want exactly one line, got %q", buf.String())
	}
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"_aws": map[string]any{
			"Timestamp": float64(1763920800000),
			"CloudWatchMetrics": []any{map[string]any{
				"Namespace":  "GroundTruthExecutionRole",
				"Dimensions": []any{[]any{"FunctionName"}},
				"Metrics": []any{
					map[string]any{"Name": "DriftedRoles", "Unit": "Count"},
					map[string]any{"Name": "UnrecordedRoles", "Unit": "Count"},
				},
			}},
		},
		"FunctionName":    "provider-fn",
		"DriftedRoles":    float64(2),
		"UnrecordedRoles": float64(1),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("metric line\n%s\nwant\n%v", buf.String(), want)
	}
}
