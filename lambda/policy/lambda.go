package policy

import (
	"slices"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

// lambdaStatements let a custom workflow invoke its declared pre- and post-annotation functions, and no others.
func lambdaStatements(s spec.Spec) []iamdoc.Statement {
	functions := iamdoc.NewStrings(slices.Concat(s.PreAnnotationLambdaArns, s.PostAnnotationLambdaArns)...)
	if len(functions) == 0 {
		return nil
	}
	return []iamdoc.Statement{{Sid: "LambdaFunctions", Effect: iamdoc.Allow, Action: iamdoc.NewStrings("lambda:InvokeFunction"), Resource: functions}}
}
