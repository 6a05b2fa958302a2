package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gtrole/groundtruth-execution-role/lambda/drift"
)

// scheduled reports whether the event is EventBridge's scheduled event, which starts a drift audit; everything
// else goes to the CloudFormation handler, which answers even a malformed request.
func scheduled(raw json.RawMessage) bool {
	var ev events.EventBridgeEvent
	if json.Unmarshal(raw, &ev) != nil {
		return false
	}
	return ev.Source == "aws.events" && ev.DetailType == "Scheduled Event"
}

// route sends a scheduled event to audit and any other payload to cfnHandle, which decodes it (and answers a
// malformed request whose ResponseURL it can read).
func route(cfnHandle func(context.Context, json.RawMessage) error, audit func(context.Context) error) func(context.Context, json.RawMessage) error {
	return func(ctx context.Context, raw json.RawMessage) error {
		if scheduled(raw) {
			return audit(ctx)
		}
		return cfnHandle(ctx, raw)
	}
}

// auditor runs the scheduled drift audit of every role under prefix: one log line per role not in sync, then the
// counts as embedded-metric-format metrics on out. It never writes to IAM and never repairs.
func auditor(a *drift.Auditor, prefix, function string, logger *slog.Logger, out io.Writer) func(context.Context) error {
	return func(ctx context.Context) error {
		rep, err := a.Audit(ctx, prefix)
		if err != nil {
			logger.ErrorContext(ctx, "drift audit failed", slog.String("path_prefix", prefix), slog.Any("error", err))
			return err
		}
		for _, f := range rep.Findings {
			attrs := []any{slog.String("role", f.RoleName), slog.String("stack_id", f.StackID),
				slog.String("logical_id", f.LogicalID), slog.String("status", string(f.Status))}
			switch f.Status {
			case drift.Modified:
				logger.WarnContext(ctx, "role drifted", append(attrs, slog.Any("differences", f.Differences))...)
			case drift.NotRecorded:
				logger.InfoContext(ctx, "role not recorded; one Update of its resource records it", attrs...)
			}
		}
		logger.InfoContext(ctx, "drift audit finished", slog.String("path_prefix", prefix), slog.Int("roles", len(rep.Findings)),
			slog.Int("modified", rep.Count(drift.Modified)), slog.Int("not_recorded", rep.Count(drift.NotRecorded)),
			slog.Int("skipped_unowned", rep.Skipped), slog.Int("iam_calls", rep.Calls))
		return drift.WriteMetrics(out, time.Now(), function, rep)
	}
}
