// Package trustpolicy is the trust policy the provider gives every role it makes, and the test that tells a role
// holding it from one that does not. It knows the IAM document model only: reconcile recognises the provider's
// roles by it without linking the Ground Truth policy builders.
package trustpolicy

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
)

// ServicePrincipal is SageMaker's service principal, the same in every partition.
const ServicePrincipal = "sagemaker.amazonaws.com"

// For is the trust policy of a role the provider makes in account: SageMaker may assume it, with confusedDeputy
// only on behalf of that account, and so may the post-annotation Lambda roles postAnnotationRoles, when any. A
// post-annotation Lambda that acts with the job's permissions assumes the execution role from its own execution role
// (https://docs.aws.amazon.com/sagemaker/latest/dg/sms-custom-templates-step3-lambda-permissions.html).
func For(account string, confusedDeputy bool, postAnnotationRoles []string) iamdoc.Document {
	st := iamdoc.Statement{
		Sid:       "SageMakerAssumeRole",
		Effect:    iamdoc.Allow,
		Principal: &iamdoc.Principal{Service: iamdoc.NewStrings(ServicePrincipal)},
		Action:    iamdoc.NewStrings("sts:AssumeRole"),
	}
	if confusedDeputy {
		st.Condition = iamdoc.Condition{"StringEquals": {"aws:SourceAccount": iamdoc.NewStrings(account)}}
	}
	statements := []iamdoc.Statement{st}
	if len(postAnnotationRoles) > 0 {
		statements = append(statements, iamdoc.Statement{
			Sid:       "PostAnnotationLambdaAssumeRole",
			Effect:    iamdoc.Allow,
			Principal: &iamdoc.Principal{AWS: iamdoc.NewStrings(postAnnotationRoles...)},
			Action:    iamdoc.NewStrings("sts:AssumeRole"),
		})
	}
	return iamdoc.Document{Version: iamdoc.Version, Statement: statements}
}

// IsProviders reports whether doc is, by meaning, a trust policy For makes in account: with or without
// confused-deputy protection, with or without post-annotation Lambda roles, which must all be roles of account.
func IsProviders(account string, doc iamdoc.Document) bool {
	var roles []string
	for _, st := range doc.Statement {
		if st.Principal == nil {
			continue
		}
		for _, p := range st.Principal.AWS {
			pa, err := arn.Parse(p)
			if err != nil || pa.Service != "iam" || pa.AccountID != account || !strings.HasPrefix(pa.Resource, "role/") {
				return false
			}
			roles = append(roles, p)
		}
	}
	return iamdoc.Equivalent(doc, For(account, false, roles)) || iamdoc.Equivalent(doc, For(account, true, roles))
}
