package protocol

import (
	"fmt"
	"net/url"
	"strings"
)

// ResponseBucket is CloudFormation's response bucket for one Region: the only place the Handler sends an answer.
// Its zero value trusts no ResponseURL.
//
// The facts it rests on:
//   - A custom resource's ServiceToken is a Lambda function or SNS topic in the stack's Region, so the provider's own
//     Region is the stack's (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref.html).
//   - CloudFormation takes the answers to custom resources in its bucket cloudformation-custom-resource-response-
//     followed by the Region's name without dashes, such as uswest2
//     (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/vpc-interface-endpoints.html), through a
//     pre-signed https URL (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requesttypes-create.html).
//   - The URL names the bucket in its host, virtual-hosted style, on one of S3's endpoints
//     (https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html): the Regional endpoint
//     s3.REGION.DNSSUFFIX, the legacy s3-REGION.DNSSUFFIX, and in the aws partition the legacy global
//     s3.amazonaws.com. CloudFormation has been seen to send each of them, for instance
//     cloudformation-custom-resource-response-useast1.s3.us-east-1.amazonaws.com,
//     cloudformation-custom-resource-response-euwest1.s3-eu-west-1.amazonaws.com,
//     cloudformation-custom-resource-response-useast1.s3.amazonaws.com and
//     cloudformation-custom-resource-response-cnnorth1.s3.cn-north-1.amazonaws.com.cn.
//
// Bucket names are unique only within a partition, so a host is trusted only on its own partition's endpoints: the
// global endpoint is the aws partition's, and a bucket of the same name there may belong to anyone.
type ResponseBucket struct {
	region string
	hosts  []string
}

// responseBucketPrefix starts the name of CloudFormation's response bucket in every Region.
const responseBucketPrefix = "cloudformation-custom-resource-response-"

// CloudFormationBucket returns the response bucket of region (the provider's own, from AWS_REGION) in partition,
// whose endpoints end in dnsSuffix. An empty argument gives a bucket that trusts no ResponseURL.
func CloudFormationBucket(region, partition, dnsSuffix string) ResponseBucket {
	b := ResponseBucket{region: region}
	if region == "" || partition == "" || dnsSuffix == "" {
		return b
	}
	bucket := responseBucketPrefix + strings.ReplaceAll(region, "-", "")
	b.hosts = []string{bucket + ".s3." + region + "." + dnsSuffix, bucket + ".s3-" + region + "." + dnsSuffix}
	if partition == "aws" {
		b.hosts = append(b.hosts, bucket+".s3."+dnsSuffix)
	}
	return b
}

// Hosts lists the hosts a ResponseURL may name.
func (b ResponseBucket) Hosts() []string { return append([]string(nil), b.hosts...) }

// ResponseURLError reports a ResponseURL the Handler does not answer to: a request carrying it did not come from
// CloudFormation in the provider's Region, and nobody is safe to answer. Host is the URL's host, the only part of
// the URL that may be logged (the URL itself is a bearer credential).
type ResponseURLError struct {
	Host   string
	Reason string
}

func (e *ResponseURLError) Error() string { return "request not answered: " + e.Reason }

// check classifies rawURL: nil when it is an https URL of the bucket, else a *ResponseURLError saying why not.
func (b ResponseBucket) check(rawURL string) error {
	if rawURL == "" {
		return &ResponseURLError{Reason: "the event has no ResponseURL; it is not a CloudFormation custom-resource request"}
	}
	u, err := url.Parse(rawURL)
	if err != nil { // the parse error quotes the URL: never shown
		return &ResponseURLError{Host: hostOf(rawURL), Reason: "the ResponseURL is not a URL"}
	}
	bad := func(format string, args ...any) error {
		return &ResponseURLError{Host: u.Host, Reason: fmt.Sprintf(format, args...)}
	}
	switch {
	case u.Scheme != "https":
		return bad("the ResponseURL's scheme is %q, not https; CloudFormation's response URLs are https", u.Scheme)
	case u.Opaque != "" || u.Host == "":
		return bad("the ResponseURL has no host")
	case u.User != nil:
		return bad("the ResponseURL has user information before its host %s; CloudFormation's response URLs have none", u.Hostname())
	case u.Port() != "" || strings.HasSuffix(u.Host, ":"):
		return bad("the ResponseURL names port %q; CloudFormation's response URLs use https's default port", u.Port())
	case len(b.hosts) == 0:
		return bad("the provider does not know its Region (AWS_REGION %q is not a Region of a known partition), so it trusts no ResponseURL", b.region)
	}
	for _, h := range b.hosts {
		if strings.EqualFold(u.Host, h) {
			return nil
		}
	}
	return bad("the ResponseURL's host %s is not CloudFormation's response bucket for %s, which is reached at %s",
		u.Host, b.region, strings.Join(b.hosts, ", "))
}
