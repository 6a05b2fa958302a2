package spec

import (
	"regexp"
	"sync"
)

// pattern returns a regular expression compiled on first use rather than at package init, which every cold start
// of the Lambda would pay for whether or not a request needs it.
func pattern(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
