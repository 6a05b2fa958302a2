package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/gtrole/groundtruth-execution-role/test/moto"
)

var motoSrv moto.Lazy

func TestMain(m *testing.M) { os.Exit(motoSrv.Main(m)) }

// regionalStores returns moto S3 clients, one per Region as the command builds them, and creates the buckets of
// the given Regions the way code-bucket.yaml names them.
func regionalStores(t *testing.T, prefix string, withBuckets ...string) func(string) objectStore {
	t.Helper()
	srv := motoSrv.Get(t)
	if err := srv.Reset(context.Background()); err != nil {
		t.Fatal(err)
	}
	client := func(region string) *s3.Client {
		return s3.NewFromConfig(moto.ConfigFor(srv.URL()), func(o *s3.Options) { o.Region = region; o.UsePathStyle = true })
	}
	for _, region := range withBuckets {
		in := &s3.CreateBucketInput{Bucket: aws.String(BucketName(prefix, region))}
		if region != "us-east-1" {
			in.CreateBucketConfiguration = &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraint(region)}
		}
		if _, err := client(region).CreateBucket(context.Background(), in); err != nil {
			t.Fatalf("create bucket in %s: %v", region, err)
		}
	}
	return func(region string) objectStore { return client(region) }
}

func TestPublishToEveryRegion(t *testing.T) {
	regions := []string{"us-east-1", "eu-west-1", "ap-southeast-2"}
	stores := regionalStores(t, "gt-code", regions...)
	zip := []byte("PK\x03\x04 release 0.1.0")
	r := release{zip: zip, key: "groundtruth/bootstrap-0.1.0.zip", bucketPrefix: "gt-code", regions: regions}
	var out bytes.Buffer
	if err := publish(context.Background(), stores, r, &out); err != nil {
		t.Fatalf("publish: %v", err)
	}
	sum := sha256.Sum256(zip)
	for _, region := range regions {
		got, err := stores(region).(*s3.Client).GetObject(context.Background(), &s3.GetObjectInput{
			Bucket: aws.String("gt-code-" + region), Key: aws.String(r.key),
		})
		if err != nil {
			t.Fatalf("%s: %v", region, err)
		}
		var body bytes.Buffer
		if _, err := body.ReadFrom(got.Body); err != nil {
			t.Fatal(err)
		}
		got.Body.Close()
		if !bytes.Equal(body.Bytes(), zip) || got.Metadata[sha256Metadata] != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: object %q with metadata %v", region, body.Bytes(), got.Metadata)
		}
	}
	if n := strings.Count(out.String(), "uploaded"); n != 3 {
		t.Errorf("output reports %d uploads, want 3:\n%s", n, out.String())
	}

	// Publishing the same release again changes nothing; other bytes under the same key are refused.
	out.Reset()
	if err := publish(context.Background(), stores, r, &out); err != nil || strings.Contains(out.String(), "uploaded") {
		t.Errorf("republish: err %v, output:\n%s", err, out.String())
	}
	r.zip = []byte("PK\x03\x04 other build")
	err := publish(context.Background(), stores, r, &out)
	if err == nil || !strings.Contains(err.Error(), "already holds a different release") || !strings.Contains(err.Error(), "new key") {
		t.Errorf("publish other bytes under the same key: err = %v", err)
	}
}

func TestPublishNamesMissingBucket(t *testing.T) {
	stores := regionalStores(t, "gt-code", "us-east-1")
	r := release{zip: []byte("zip"), key: "k.zip", bucketPrefix: "gt-code", regions: []string{"us-east-1", "eu-central-1"}}
	err := publish(context.Background(), stores, r, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "bucket gt-code-eu-central-1 does not exist") || !strings.Contains(err.Error(), "code-bucket.yaml") {
		t.Errorf("err = %v, want the missing bucket and the template that creates it", err)
	}
}

func TestSplitRegions(t *testing.T) {
	if got := splitRegions(" us-east-1, eu-west-1  cn-north-1,"); strings.Join(got, "|") != "us-east-1|eu-west-1|cn-north-1" {
		t.Errorf("splitRegions = %q", got)
	}
}
