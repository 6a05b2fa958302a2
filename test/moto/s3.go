package moto

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// presignExpiry is the lifetime of URLs from PresignPut, like CloudFormation's.
const presignExpiry = 2 * time.Hour

// S3 returns a path-style S3 client for endpoint (this server when empty).
func (s *Server) S3(endpoint string) *s3.Client {
	if endpoint == "" {
		endpoint = s.url
	}
	return s3.NewFromConfig(ConfigFor(endpoint), func(o *s3.Options) { o.UsePathStyle = true })
}

// PresignPut creates bucket if needed and returns a pre-signed PUT URL for
// key whose host is endpoint (this server when empty), the way CloudFormation
// hands a custom resource its ResponseURL.
func (s *Server) PresignPut(ctx context.Context, endpoint, bucket, key string) (string, error) {
	if err := s.ensureBucket(ctx, bucket); err != nil {
		return "", err
	}
	ps := s3.NewPresignClient(s.S3(endpoint))
	req, err := ps.PresignPutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(bucket),
		Key:    aws.String(key),
	}, s3.WithPresignExpires(presignExpiry))
	if err != nil {
		return "", fmt.Errorf("presign put s3://%s/%s: %w", bucket, key, err)
	}
	return req.URL, nil
}

func (s *Server) ensureBucket(ctx context.Context, bucket string) error {
	_, err := s.S3("").CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)})
	var owned *types.BucketAlreadyOwnedByYou
	if err != nil && !errors.As(err, &owned) {
		return fmt.Errorf("create bucket %q: %w", bucket, err)
	}
	return nil
}

// GetObject returns the body stored at s3://bucket/key.
func (s *Server) GetObject(ctx context.Context, bucket, key string) ([]byte, error) {
	out, err := s.S3("").GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return nil, fmt.Errorf("get s3://%s/%s: %w", bucket, key, err)
	}
	defer out.Body.Close()
	body, err := io.ReadAll(out.Body)
	if err != nil {
		return nil, fmt.Errorf("read s3://%s/%s: %w", bucket, key, err)
	}
	return body, nil
}
