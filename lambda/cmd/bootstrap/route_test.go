package main

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/aws/aws-lambda-go/cfn"
)

func TestRoute(t *testing.T) {
	errCFN, errAudit := errors.New("cfn"), errors.New("audit")
	var gotEvent cfn.Event
	h := route(func(_ context.Context, raw json.RawMessage) error { _ = json.Unmarshal(raw, &gotEvent); return errCFN },
		func(context.Context) error { return errAudit })
	tests := []struct {
		name    string
		payload string
		want    error // which handler ran; nil for a decode error
	}{
		{"EventBridge schedule", `{"version":"0","id":"1","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012","time":"2026-11-23T18:00:00Z","region":"us-east-1","resources":["arn:aws:events:us-east-1:123456789012:rule/r"],"detail":{}}`, errAudit},
		{"CloudFormation request", `{"RequestType":"Create","ResponseURL":"https://example.com/r","StackId":"s","RequestId":"q","LogicalResourceId":"L","ResourceType":"Custom::GroundTruthExecutionRole"}`, errCFN},
		{"other EventBridge event", `{"detail-type":"AWS API Call via CloudTrail","source":"aws.iam","detail":{}}`, errCFN},
		{"schedule from another source", `{"detail-type":"Scheduled Event","source":"custom.app"}`, errCFN},
		{"malformed CloudFormation request still reaches its handler", `{"RequestType":"Create"}`, errCFN},
		{"wrong types still reach the CloudFormation handler, which answers what it can", `{"RequestType":7}`, errCFN},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := h(t.Context(), json.RawMessage(tc.payload))
			switch {
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Errorf("handled by %v, want %v", err, tc.want)
			case tc.want == nil && (err == nil || errors.Is(err, errCFN) || errors.Is(err, errAudit)):
				t.Errorf("err = %v, want a decode error", err)
			}
		})
	}
	if gotEvent.RequestType != cfn.RequestCreate {
		t.Errorf("the CloudFormation handler got %+v", gotEvent)
	}
}
