package provider

import (
	"context"
	"testing"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

func TestAccount(t *testing.T) {
	tests := []struct{ name, functionArn, want string }{
		{"function ARN", "arn:aws:lambda:us-east-1:123456789012:function:gtrole", "123456789012"},
		{"alias ARN", "arn:aws-us-gov:lambda:us-gov-west-1:210987654321:function:gtrole:live", "210987654321"},
		{"not an ARN", "x:aws:lambda:us-east-1:123456789012:function:gtrole", "fallback"},
		{"too few sections", "arn:aws:lambda:us-east-1:123456789012", "fallback"},
		{"no account", "arn:aws:lambda:us-east-1::function:gtrole", "fallback"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{InvokedFunctionArn: tt.functionArn})
			if got := account(ctx, "fallback"); got != tt.want {
				t.Errorf("account(%q) = %q, want %q", tt.functionArn, got, tt.want)
			}
		})
	}
	if got := account(context.Background(), "fallback"); got != "fallback" {
		t.Errorf("account without a Lambda context = %q, want the fallback", got)
	}
}
