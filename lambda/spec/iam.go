package spec

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

var (
	roleNamePattern    = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	pathPattern        = regexp.MustCompile(`^/([A-Za-z0-9+=,.@_-]+/)*$`)
	descriptionPattern = regexp.MustCompile(`^[\t\n\r\x{20}-\x{7E}\x{A1}-\x{FF}]*$`)
	tagPattern         = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
)

// IAM's limits on roles, and the provider's own tag prefix.
const (
	MaxRoleNameLength    = 64
	maxPathLength        = 512
	maxDescriptionLength = 1000
	MinSessionDuration   = 3600
	MaxSessionDuration   = 43200
	maxTagKeyLength      = 128
	maxTagValueLength    = 256
	// MaxUserTags leaves room for the provider's two ownership tags within IAM's 50 tags per role.
	MaxUserTags = 48
	// ReservedTagPrefix marks the provider's ownership tags; user tags may not use it.
	ReservedTagPrefix = "gtrole:"
)

// ValidRoleName reports whether s is a legal IAM role name.
func ValidRoleName(s string) bool { return roleNamePattern.MatchString(s) }

// validPath accepts / or /seg/…/ with the conservative character set the provider allows: no wildcards or
// policy variables can reach the role's ARN through its path.
func validPath(s string) bool { return len(s) <= maxPathLength && pathPattern.MatchString(s) }

func checkTagKey(k string) string {
	switch {
	case k == "" || utf8.RuneCountInString(k) > maxTagKeyLength:
		return "is not a valid tag key: want 1-128 characters"
	case !tagPattern.MatchString(k):
		return "is not a valid tag key: allowed are letters, digits, spaces and _.:/=+-@"
	case strings.HasPrefix(strings.ToLower(k), "aws:"):
		return "uses the prefix aws:, which AWS reserves for its own tags"
	case strings.HasPrefix(strings.ToLower(k), ReservedTagPrefix):
		return "uses the prefix " + ReservedTagPrefix + ", which the provider reserves for its ownership tags"
	}
	return ""
}

func checkTagValue(v string) string {
	switch {
	case utf8.RuneCountInString(v) > maxTagValueLength:
		return "is not a valid tag value: want at most 256 characters"
	case !tagPattern.MatchString(v):
		return "is not a valid tag value: allowed are letters, digits, spaces and _.:/=+-@"
	}
	return ""
}
