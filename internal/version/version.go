// Package version holds the project's version, read from the VERSION file beside it: the one place it is set.
// The Makefile names artifacts after the same file, and a test holds package.json files to it.
package version

import (
	_ "embed"
	"strings"
)

//go:embed VERSION
var file string

// Version is the project's semantic version, such as "0.1.0".
var Version = strings.TrimSpace(file)
