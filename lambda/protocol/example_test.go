package protocol_test

import (
	"context"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/gtrole/groundtruth-execution-role/lambda/protocol"
)

// A provider's main wires its work into a Handler and hands Handle to the Lambda runtime.
func ExampleHandler() {
	h := &protocol.Handler{
		Work: func(ctx context.Context, ev cfn.Event) (string, map[string]any, error) {
			// Create, update or delete the resource here.
			return "my-role", map[string]any{"Arn": "arn:aws:iam::123456789012:role/my-role"}, nil
		},
		Fallback: func(ev cfn.Event) string { return "my-role" },
		Logger:   slog.New(slog.NewJSONHandler(os.Stderr, nil)),
	}
	lambda.Start(h.Handle)
}
