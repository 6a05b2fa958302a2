package policy

import "github.com/gtrole/groundtruth-execution-role/lambda/spec"

// trust lets SageMaker assume the role; with confused-deputy protection only on behalf of the role's own account.
func trust(s spec.Spec, scope Scope) Document {
	st := Statement{
		Sid:       "SageMakerAssumeRole",
		Effect:    Allow,
		Principal: &Principal{Service: NewStrings(ServicePrincipal)},
		Action:    NewStrings("sts:AssumeRole"),
	}
	if s.ConfusedDeputyProtection {
		st.Condition = Condition{"StringEquals": {"aws:SourceAccount": NewStrings(scope.Account)}}
	}
	return Document{Version: Version, Statement: []Statement{st}}
}
