// Package cfntemplate is the old import path of internal/cfntemplate, the CloudFormation template evaluator, which
// moved so the gtrole CLI can resolve templates too (a command must not import test/). Its names are aliases of
// the new package's: import github.com/gtrole/groundtruth-execution-role/internal/cfntemplate instead; this file
// goes once no test imports it.
package cfntemplate

import "github.com/gtrole/groundtruth-execution-role/internal/cfntemplate"

type (
	Template       = cfntemplate.Template
	Stack          = cfntemplate.Stack
	Context        = cfntemplate.Context
	Output         = cfntemplate.Output
	ResolveError   = cfntemplate.ResolveError
	ParameterError = cfntemplate.ParameterError
	RuleError      = cfntemplate.RuleError
)

// ErrConditionFalse is cfntemplate.ErrConditionFalse.
var ErrConditionFalse = cfntemplate.ErrConditionFalse

// LoadFile is cfntemplate.LoadFile.
func LoadFile(path string) (*Template, error) { return cfntemplate.LoadFile(path) }

// Parse is cfntemplate.Parse.
func Parse(data []byte) (*Template, error) { return cfntemplate.Parse(data) }
