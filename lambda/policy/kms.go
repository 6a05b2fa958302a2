package policy

import (
	"slices"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

var keyUse = []string{"kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"}

// kmsStatements grant use of the declared keys; volume keys may also be granted to the AWS services that
// attach the automated-labeling volumes, and only to them.
func kmsStatements(s spec.Spec) []iamdoc.Statement {
	var out []iamdoc.Statement
	if keys := iamdoc.NewStrings(slices.Concat(s.KmsKeyArns, s.VolumeKmsKeyArns)...); len(keys) > 0 {
		out = append(out, iamdoc.Statement{Sid: "KmsKeyUse", Effect: iamdoc.Allow, Action: iamdoc.NewStrings(keyUse...), Resource: keys})
	}
	if len(s.VolumeKmsKeyArns) > 0 {
		out = append(out, iamdoc.Statement{
			Sid:       "KmsVolumeGrants",
			Effect:    iamdoc.Allow,
			Action:    iamdoc.NewStrings("kms:CreateGrant"),
			Resource:  iamdoc.NewStrings(s.VolumeKmsKeyArns...),
			Condition: iamdoc.Condition{"Bool": {"kms:GrantIsForAWSResource": iamdoc.NewStrings("true")}},
		})
	}
	return out
}
