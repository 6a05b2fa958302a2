package cfntemplate

import (
	"errors"
	"fmt"
)

// ErrConditionFalse reports that a resource or output is not part of the stack because its Condition is false.
var ErrConditionFalse = errors.New("condition is false")

// ResolveError reports a problem found while resolving the value at Path (for example "Resources.Role.Properties.Tags[0]").
type ResolveError struct {
	Path string
	Err  error
}

// Error implements error.
func (e *ResolveError) Error() string { return fmt.Sprintf("%s: %v", e.Path, e.Err) }

// Unwrap returns the underlying error.
func (e *ResolveError) Unwrap() error { return e.Err }

// ParameterError reports a parameter value that is missing, undeclared or breaks one of the parameter's constraints.
type ParameterError struct {
	Name   string
	Reason string
}

// Error implements error.
func (e *ParameterError) Error() string { return fmt.Sprintf("parameter %s: %s", e.Name, e.Reason) }

// resolveErr wraps err with path unless it already carries one.
func resolveErr(path string, err error) error {
	var re *ResolveError
	if errors.As(err, &re) {
		return err
	}
	return &ResolveError{Path: path, Err: err}
}
