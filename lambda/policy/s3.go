package policy

import (
	"slices"

	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

// s3Statements grants bucket-level reads on the declared buckets and object access on the declared prefixes,
// plus, for streaming jobs, reading objects tagged SageMaker=true as the reference requires.
func s3Statements(s spec.Spec, scope Scope) []Statement {
	locations := slices.Concat(s.InputBuckets, s.OutputBuckets)
	var buckets, objects []string
	for _, l := range locations {
		bucket := "arn:" + scope.Partition + ":s3:::" + l.Bucket
		buckets = append(buckets, bucket)
		objects = append(objects, bucket+"/"+l.Prefix+"*")
	}
	var out []Statement
	if len(locations) > 0 {
		out = append(out,
			Statement{Sid: "S3ViewBuckets", Effect: Allow, Action: NewStrings("s3:GetBucketLocation", "s3:ListBucket"), Resource: NewStrings(buckets...)},
			Statement{Sid: "S3GetPutObjects", Effect: Allow, Action: NewStrings("s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"), Resource: NewStrings(objects...)},
		)
	}
	if s.Streaming() {
		out = append(out, Statement{
			Sid:       "S3GetTaggedObjects",
			Effect:    Allow,
			Action:    NewStrings("s3:GetObject"),
			Resource:  NewStrings("*"),
			Condition: Condition{"StringEqualsIgnoreCase": {"s3:ExistingObjectTag/SageMaker": NewStrings("true")}},
		})
	}
	return out
}
