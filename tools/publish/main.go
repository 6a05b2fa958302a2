// Command publish uploads a release of the provider (the code zip of `make package`) to the code bucket of each
// Region, named <prefix>-<region> (templates/code-bucket.yaml), where templates/provider.yaml, deployed as a
// StackSet with CodeBucketPrefix, reads it. A release is immutable: a key that already holds the same bytes is left
// as it is, a key that holds other bytes is an error (CloudFormation updates the function only when CodeKey
// changes, so new code needs a new key). `make publish` runs it.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// sha256Metadata is the user metadata key holding the hex SHA-256 of the zip, as dist/SHA256SUMS lists it.
const sha256Metadata = "sha256"

// objectStore is the part of the S3 API publish uses; *s3.Client satisfies it.
type objectStore interface {
	HeadObject(ctx context.Context, in *s3.HeadObjectInput, optFns ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	PutObject(ctx context.Context, in *s3.PutObjectInput, optFns ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

// release is what is uploaded, and where.
type release struct {
	zip          []byte
	key          string
	bucketPrefix string
	regions      []string
}

// BucketName is the code bucket of a Region: the name provider.yaml derives from CodeBucketPrefix.
func BucketName(prefix, region string) string { return prefix + "-" + region }

// publish uploads r to every Region's bucket, through the store storeFor returns for that Region, and reports
// each Region on out. It stops at the first Region that fails, naming the bucket and the remedy.
func publish(ctx context.Context, storeFor func(region string) objectStore, r release, out io.Writer) error {
	sum := sha256.Sum256(r.zip)
	digest := hex.EncodeToString(sum[:])
	for _, region := range r.regions {
		bucket := BucketName(r.bucketPrefix, region)
		store := storeFor(region)
		head, err := store.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(r.key)})
		var notFound *types.NotFound
		switch {
		case err == nil:
			if got := head.Metadata[sha256Metadata]; got != digest {
				return fmt.Errorf("s3://%s/%s already holds a different release (sha256 %q, this zip %s): publish new code under a new key, so that CloudFormation updates the function", bucket, r.key, got, digest)
			}
			fmt.Fprintf(out, "%s: s3://%s/%s already holds this release (sha256 %s)\n", region, bucket, r.key, digest)
			continue
		case errors.As(err, &notFound):
		default:
			return describe(err, bucket, r.key)
		}
		// The SDK sends the SHA-256 of the body and S3 refuses the object if it does not match.
		_, err = store.PutObject(ctx, &s3.PutObjectInput{
			Bucket:            aws.String(bucket),
			Key:               aws.String(r.key),
			Body:              bytes.NewReader(r.zip),
			ContentType:       aws.String("application/zip"),
			ChecksumAlgorithm: types.ChecksumAlgorithmSha256,
			Metadata:          map[string]string{sha256Metadata: digest},
		})
		if err != nil {
			return describe(err, bucket, r.key)
		}
		fmt.Fprintf(out, "%s: uploaded s3://%s/%s (sha256 %s)\n", region, bucket, r.key, digest)
	}
	return nil
}

// describe explains an S3 failure on bucket/key; a missing bucket gets the template that creates it.
func describe(err error, bucket, key string) error {
	var noBucket *types.NoSuchBucket
	var api smithy.APIError
	if errors.As(err, &noBucket) || (errors.As(err, &api) && api.ErrorCode() == "NoSuchBucket") {
		return fmt.Errorf("bucket %s does not exist: deploy templates/code-bucket.yaml in that Region with the same BucketPrefix: %w", bucket, err)
	}
	return fmt.Errorf("s3://%s/%s: %w", bucket, key, err)
}

// splitRegions reads a list of Regions separated by commas or spaces.
func splitRegions(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

func main() {
	zipPath := flag.String("zip", "", "the release zip (dist/bootstrap-VERSION.zip)")
	key := flag.String("key", "", "object key; default groundtruth/<zip file name>, provider.yaml's CodeKey")
	prefix := flag.String("bucket-prefix", "", "the buckets are <prefix>-<region> (provider.yaml's CodeBucketPrefix)")
	regions := flag.String("regions", "", "Regions to publish to, separated by commas or spaces")
	pathStyle := flag.Bool("path-style", false, "path-style S3 addressing (for local emulators)")
	flag.Parse()
	r := release{key: *key, bucketPrefix: *prefix, regions: splitRegions(*regions)}
	if *zipPath == "" || r.bucketPrefix == "" || len(r.regions) == 0 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: publish -zip FILE -bucket-prefix PREFIX -regions 'us-east-1 eu-west-1' [-key KEY]")
		os.Exit(2)
	}
	if r.key == "" {
		r.key = path.Join("groundtruth", filepath.Base(*zipPath))
	}
	var err error
	if r.zip, err = os.ReadFile(*zipPath); err != nil {
		fmt.Fprintf(os.Stderr, "publish: %v (run `make package` first)\n", err)
		os.Exit(1)
	}
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		fmt.Fprintf(os.Stderr, "publish: AWS configuration: %v\n", err)
		os.Exit(1)
	}
	storeFor := func(region string) objectStore {
		return s3.NewFromConfig(cfg, func(o *s3.Options) { o.Region = region; o.UsePathStyle = *pathStyle })
	}
	if err := publish(ctx, storeFor, r, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "publish: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("deploy templates/provider.yaml with CodeBucketPrefix=%s CodeKey=%s\n", r.bucketPrefix, r.key)
}
