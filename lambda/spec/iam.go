package spec

import (
	"fmt"
	"regexp"
	"unicode/utf8"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

var (
	descriptionPattern = regexp.MustCompile(`^[\t\n\r\x{20}-\x{7E}\x{A1}-\x{FF}]*$`)
	tagPattern         = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
)

// MaxRoleNameLength is IAM's limit on a role name (contract.MaxRoleNameLength).
const MaxRoleNameLength = contract.MaxRoleNameLength

// ValidRoleName reports whether s is a legal IAM role name (contract.ValidRoleName).
func ValidRoleName(s string) bool { return contract.ValidRoleName(s) }

func checkTagKey(k string) string {
	switch {
	case k == "" || utf8.RuneCountInString(k) > contract.MaxTagKeyLength:
		return fmt.Sprintf("is not a valid tag key: want 1-%d characters", contract.MaxTagKeyLength)
	case !tagPattern.MatchString(k):
		return "is not a valid tag key: allowed are letters, digits, spaces and _.:/=+-@"
	case contract.AWSTagKey(k):
		return "uses the prefix " + contract.AWSTagPrefix + ", which AWS reserves for its own tags (in any letter case)"
	case contract.ReservedTagKey(k):
		return "uses the prefix " + contract.ReservedTagPrefix + ", which the provider reserves for its ownership tags (in any letter case)"
	}
	return ""
}

func checkTagValue(v string) string {
	switch {
	case utf8.RuneCountInString(v) > contract.MaxTagValueLength:
		return fmt.Sprintf("is not a valid tag value: want at most %d characters", contract.MaxTagValueLength)
	case !tagPattern.MatchString(v):
		return "is not a valid tag value: allowed are letters, digits, spaces and _.:/=+-@"
	}
	return ""
}
