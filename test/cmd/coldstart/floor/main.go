// Command floor is the cold-start floor the provider is measured against: it does only what any Go Lambda calling
// IAM must do before its first Runtime API poll — load the SDK configuration, make an IAM client, start the runtime.
package main

import (
	"context"
	"log"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

func main() {
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	client := iam.NewFromConfig(cfg)
	lambda.Start(func(ctx context.Context) error {
		_, err := client.GetAccountSummary(ctx, nil)
		return err
	})
}
