package policy

import (
	"slices"

	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

// lambdaStatements let a custom workflow invoke its declared pre- and post-annotation functions, and no others.
func lambdaStatements(s spec.Spec) []Statement {
	functions := NewStrings(slices.Concat(s.PreAnnotationLambdaArns, s.PostAnnotationLambdaArns)...)
	if len(functions) == 0 {
		return nil
	}
	return []Statement{{Sid: "LambdaFunctions", Effect: Allow, Action: NewStrings("lambda:InvokeFunction"), Resource: functions}}
}
