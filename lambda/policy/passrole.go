package policy

import (
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
	"github.com/gtrole/groundtruth-execution-role/lambda/trustpolicy"
)

// passRoleStatements let automated data labeling pass this role, and only this role, to SageMaker for its
// training and inference jobs: the self-reference a plain template cannot express.
func passRoleStatements(s spec.Spec, scope Scope, name string) []iamdoc.Statement {
	if !s.AutomatedLabeling {
		return nil
	}
	return []iamdoc.Statement{{
		Sid:       "PassRoleToSageMaker",
		Effect:    iamdoc.Allow,
		Action:    iamdoc.NewStrings("iam:PassRole"),
		Resource:  iamdoc.NewStrings(ARN(scope, s.Path, name)),
		Condition: iamdoc.Condition{"StringEquals": {"iam:PassedToService": iamdoc.NewStrings(trustpolicy.ServicePrincipal)}},
	}}
}
