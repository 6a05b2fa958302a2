package moto

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Fixed identity moto accepts; moto does not check signatures.
const (
	Region          = "us-east-1"
	AccessKeyID     = "testing"
	SecretAccessKey = "testing"
	// AccountID is the account moto reports for the credentials above.
	AccountID = "123456789012"
)

// Config returns an aws.Config whose clients talk to this server.
// S3 clients built from it also need o.UsePathStyle = true.
func (s *Server) Config(_ context.Context) aws.Config { return ConfigFor(s.url) }

// ConfigFor returns an aws.Config with moto's region and credentials whose
// base endpoint is endpoint (for example a fault proxy in front of moto).
func ConfigFor(endpoint string) aws.Config {
	return aws.Config{
		Region:       Region,
		Credentials:  credentials.NewStaticCredentialsProvider(AccessKeyID, SecretAccessKey, ""),
		BaseEndpoint: aws.String(endpoint),
	}
}

// Env returns the environment a child process (the Lambda binary) needs to
// reach this server with the SDK's default configuration chain.
func (s *Server) Env() []string { return EnvFor(s.url) }

// EnvFor is Env with every AWS endpoint set to endpoint.
func EnvFor(endpoint string) []string {
	return []string{
		"AWS_ENDPOINT_URL=" + endpoint,
		"AWS_ENDPOINT_URL_IAM=" + endpoint,
		"AWS_ENDPOINT_URL_S3=" + endpoint,
		"AWS_ACCESS_KEY_ID=" + AccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + SecretAccessKey,
		"AWS_REGION=" + Region,
		"AWS_DEFAULT_REGION=" + Region,
		"AWS_EC2_METADATA_DISABLED=true",
	}
}
