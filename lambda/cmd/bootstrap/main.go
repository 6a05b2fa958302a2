// Command bootstrap is the Custom::GroundTruthExecutionRole provider for the provided.al2023 Lambda runtime.
// It only wires configuration, the IAM and CloudFormation clients and the handler together; see lambda/provider and lambda/protocol.
// An EventBridge scheduled event instead of a CloudFormation request runs the drift audit (lambda/drift).
package main

import (
	"context"
	"errors"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gtrole/groundtruth-execution-role/internal/version"
	"github.com/gtrole/groundtruth-execution-role/lambda/drift"
	"github.com/gtrole/groundtruth-execution-role/lambda/protocol"
	"github.com/gtrole/groundtruth-execution-role/lambda/provider"
	"github.com/gtrole/groundtruth-execution-role/lambda/reconcile"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
	"github.com/gtrole/groundtruth-execution-role/lambda/stackcheck"
)

// newRetryer is the retryer of every AWS client (IAM, CloudFormation): the SDK's standard one (exponential backoff with full jitter, up to 20 s,
// on throttling, HTTP 5xx and connection errors), with no bound on attempts and no retry quota, so that contention
// is never a failure while the request has time: each call is bounded by its context, which ends with the request's
// work budget (lambda/budget, lambda/protocol). The standard retry quota (a token bucket of 500, 5 per retry) would
// refuse retries after about 100 in a burst, across all calls of the process; ratelimit.None removes it.
// https://docs.aws.amazon.com/sdk-for-go/v2/developer-guide/configure-retries-timeouts.html
func newRetryer(opts ...func(*retry.StandardOptions)) aws.Retryer {
	return retry.AddWithMaxAttempts(retry.NewStandard(append([]func(*retry.StandardOptions){
		func(o *retry.StandardOptions) { o.RateLimiter = ratelimit.None },
	}, opts...)...), 0)
}

func main() {
	// Every line logged through a request's context carries the request's ids (protocol.LogHandler).
	logger := slog.New(protocol.LogHandler(slog.NewJSONHandler(os.Stdout, nil)))
	region := os.Getenv("AWS_REGION")
	logger.Info("provider starting", slog.String("version", version.Version), slog.String("region", region))
	// Answers go only to CloudFormation's response bucket in the function's own Region and partition.
	partition := spec.PartitionOf(region)
	h := &protocol.Handler{Logger: logger, ResponseBucket: protocol.CloudFormationBucket(region, partition, spec.DNSSuffix(partition))}
	audit := func(context.Context) error {
		return errors.New("drift audit unavailable: see the configuration error logged at start")
	}

	settings, err := spec.SettingsFromEnv(os.Getenv, partition)
	// IAM throttles bursts of calls account-wide; the retryer waits them out while the request has time.
	awsCfg, cfgErr := config.LoadDefaultConfig(context.Background(), config.WithRetryer(func() aws.Retryer { return newRetryer() }))
	if err != nil {
		// Create and Update fail with the reason; Delete needs no setting, so stacks can still be rolled back and deleted.
		logger.Error("invalid provider settings", slog.Any("error", err))
	}
	if cfgErr != nil {
		logger.Error("cannot load AWS configuration", slog.Any("error", cfgErr))
		h.Work = failing(cfgErr)
	} else {
		client := iam.NewFromConfig(awsCfg)
		p := &provider.Provider{
			Roles:       &reconcile.Reconciler{IAM: client, Logger: logger},
			Stacks:      &stackcheck.Checker{CFN: cloudformation.NewFromConfig(awsCfg)},
			Settings:    settings,
			SettingsErr: err,
			Region:      region,
			Logger:      logger,
		}
		h.Work, h.Fallback = p.Work, p.PhysicalID
		if err == nil { // the audit reads the roles under the path prefix, a setting
			a := &drift.Auditor{IAM: client, KnownManagedArns: settings.AllowedManagedPolicyArns}
			audit = auditor(a, settings.DefaultPath(), os.Getenv("AWS_LAMBDA_FUNCTION_NAME"), logger, os.Stdout)
		}
	}
	// The raw payload, so a malformed event whose ResponseURL is readable is still answered.
	lambda.Start(route(h.HandleJSON, audit))
}

// failing answers every request with a configuration error instead of exiting, which would leave the stack
// waiting for an answer that never comes.
func failing(err error) cfn.CustomResourceFunction {
	return func(_ context.Context, ev cfn.Event) (string, map[string]any, error) {
		return ev.PhysicalResourceID, nil, err
	}
}
