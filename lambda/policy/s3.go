package policy

import (
	"slices"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

// s3Statements grants bucket-level reads on the declared buckets and object access on the declared prefixes,
// plus, for streaming jobs, reading objects tagged SageMaker=true as the reference requires.
//
// Every S3 statement holds only for buckets owned by the role's resource accounts (its own account, and those the
// provider's ALLOWED_RESOURCE_ACCOUNTS adds): an S3 ARN names no account, so without the condition a bucket of that
// name in any other account would be granted too. s3:ResourceAccount is a condition key of each S3 action granted
// here (Service Authorization Reference, Amazon S3:
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
func s3Statements(s spec.Spec, scope Scope) []iamdoc.Statement {
	locations := slices.Concat(s.InputBuckets, s.OutputBuckets)
	var buckets, objects []string
	for _, l := range locations {
		bucket := "arn:" + scope.Partition + ":s3:::" + l.Bucket
		buckets = append(buckets, bucket)
		objects = append(objects, bucket+"/"+l.Prefix+"*")
	}
	owners := resourceAccounts(s, scope)
	var out []iamdoc.Statement
	if len(locations) > 0 {
		out = append(out,
			iamdoc.Statement{Sid: "S3ViewBuckets", Effect: iamdoc.Allow, Action: iamdoc.NewStrings("s3:GetBucketLocation", "s3:ListBucket"), Resource: iamdoc.NewStrings(buckets...),
				Condition: iamdoc.Condition{"StringEquals": {"s3:ResourceAccount": owners}}},
			iamdoc.Statement{Sid: "S3GetPutObjects", Effect: iamdoc.Allow, Action: iamdoc.NewStrings("s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"), Resource: iamdoc.NewStrings(objects...),
				Condition: iamdoc.Condition{"StringEquals": {"s3:ResourceAccount": owners}}},
		)
	}
	if s.Streaming() {
		out = append(out, iamdoc.Statement{
			Sid:      "S3GetTaggedObjects",
			Effect:   iamdoc.Allow,
			Action:   iamdoc.NewStrings("s3:GetObject"),
			Resource: iamdoc.NewStrings("*"),
			Condition: iamdoc.Condition{
				"StringEqualsIgnoreCase": {"s3:ExistingObjectTag/SageMaker": iamdoc.NewStrings("true")},
				"StringEquals":           {"s3:ResourceAccount": owners},
			},
		})
	}
	return out
}

// resourceAccounts are the accounts the role's resources may belong to: the spec's, else the role's own.
func resourceAccounts(s spec.Spec, scope Scope) iamdoc.Strings {
	if len(s.ResourceAccounts) > 0 {
		return iamdoc.NewStrings(s.ResourceAccounts...)
	}
	return iamdoc.NewStrings(scope.Account)
}
