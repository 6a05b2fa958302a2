package policy

import (
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
	"github.com/gtrole/groundtruth-execution-role/lambda/trustpolicy"
)

// trust lets SageMaker assume the role, and the declared post-annotation Lambda roles (trustpolicy.For).
func trust(s spec.Spec, scope Scope) iamdoc.Document {
	return trustpolicy.For(scope.Account, s.ConfusedDeputyProtection, s.PostAnnotationLambdaRoleArns)
}
