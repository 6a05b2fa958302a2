package policy

import (
	"slices"

	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

var keyUse = []string{"kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"}

// kmsStatements grant use of the declared keys; volume keys may also be granted to the AWS services that
// attach the automated-labeling volumes, and only to them.
func kmsStatements(s spec.Spec) []Statement {
	var out []Statement
	if keys := NewStrings(slices.Concat(s.KmsKeyArns, s.VolumeKmsKeyArns)...); len(keys) > 0 {
		out = append(out, Statement{Sid: "KmsKeyUse", Effect: Allow, Action: NewStrings(keyUse...), Resource: keys})
	}
	if len(s.VolumeKmsKeyArns) > 0 {
		out = append(out, Statement{
			Sid:       "KmsVolumeGrants",
			Effect:    Allow,
			Action:    NewStrings("kms:CreateGrant"),
			Resource:  NewStrings(s.VolumeKmsKeyArns...),
			Condition: Condition{"Bool": {"kms:GrantIsForAWSResource": NewStrings("true")}},
		})
	}
	return out
}
