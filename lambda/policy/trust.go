package policy

import "github.com/gtrole/groundtruth-execution-role/lambda/spec"

// trust lets SageMaker assume the role; with confused-deputy protection only on behalf of the role's own account.
// A post-annotation Lambda that acts with the job's permissions assumes the execution role from its own execution
// role (https://docs.aws.amazon.com/sagemaker/latest/dg/sms-custom-templates-step3-lambda-permissions.html): the
// roles declared in PostAnnotationLambdaRoleArns, all in the role's own account, may call sts:AssumeRole on it.
func trust(s spec.Spec, scope Scope) Document {
	return Trust(scope.Account, s.ConfusedDeputyProtection, s.PostAnnotationLambdaRoleArns)
}

// Trust is the trust policy of a role the provider makes in account: SageMaker may assume it, with confusedDeputy
// only on behalf of that account, and so may the post-annotation Lambda roles postAnnotationRoles, when any.
func Trust(account string, confusedDeputy bool, postAnnotationRoles []string) Document {
	st := Statement{
		Sid:       "SageMakerAssumeRole",
		Effect:    Allow,
		Principal: &Principal{Service: NewStrings(ServicePrincipal)},
		Action:    NewStrings("sts:AssumeRole"),
	}
	if confusedDeputy {
		st.Condition = Condition{"StringEquals": {"aws:SourceAccount": NewStrings(account)}}
	}
	statements := []Statement{st}
	if len(postAnnotationRoles) > 0 {
		statements = append(statements, Statement{
			Sid:       "PostAnnotationLambdaAssumeRole",
			Effect:    Allow,
			Principal: &Principal{AWS: NewStrings(postAnnotationRoles...)},
			Action:    NewStrings("sts:AssumeRole"),
		})
	}
	return Document{Version: Version, Statement: statements}
}
