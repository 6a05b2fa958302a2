package policy

import "github.com/gtrole/groundtruth-execution-role/lambda/spec"

// passRoleStatements let automated data labeling pass this role, and only this role, to SageMaker for its
// training and inference jobs: the self-reference a plain template cannot express.
func passRoleStatements(s spec.Spec, scope Scope, name string) []Statement {
	if !s.AutomatedLabeling {
		return nil
	}
	return []Statement{{
		Sid:       "PassRoleToSageMaker",
		Effect:    Allow,
		Action:    NewStrings("iam:PassRole"),
		Resource:  NewStrings(ARN(scope, s.Path, name)),
		Condition: Condition{"StringEquals": {"iam:PassedToService": NewStrings(ServicePrincipal)}},
	}}
}
