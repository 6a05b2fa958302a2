package contract

import (
	"strings"
	"unicode"
)

// IAM's limits on a role, from the IAM API reference (CreateRole, TagRole, PutRolePolicy) and the IAM quotas
// page: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html and
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
const (
	MaxRoleNameLength     = 64    // RoleName: 1-64 characters
	MaxPathLength         = 512   // Path: 1-512 characters
	MaxDescriptionLength  = 1000  // Description: 0-1000 characters
	MinSessionSeconds     = 3600  // MaxSessionDuration: at least one hour
	DefaultSessionSeconds = 3600  // MaxSessionDuration of a role created without one
	MaxSessionSeconds     = 43200 // MaxSessionDuration: at most 12 hours
	MaxTagKeyLength       = 128   // tag key: 1-128 characters
	MaxTagValueLength     = 256   // tag value: 0-256 characters
	MaxTagsPerRole        = 50    // tags on one role
	MaxInlinePolicySize   = 10240 // all inline policies of a role together, white space not counted
	MaxTrustPolicySize    = 2048  // the trust policy, white space not counted
	// AWSTagPrefix is the tag key prefix AWS reserves for its own tags (compared case-insensitively).
	AWSTagPrefix = "aws:"
)

// The provider's own reservations within IAM's limits.
const (
	// ReservedTagPrefix starts the provider's ownership tag keys; user tags may not use it in any letter case.
	ReservedTagPrefix = "gtrole:"
	// StackIDTagKey holds the CloudFormation StackId of the stack that owns a role.
	StackIDTagKey = ReservedTagPrefix + "cloudformation:stack-id"
	// LogicalIDTagKey holds the LogicalResourceId of the custom resource that owns a role.
	LogicalIDTagKey = ReservedTagPrefix + "cloudformation:logical-id"
	// CreatingTagKey marks a role whose Create has not completed; its value is a token unique to the call.
	CreatingTagKey = ReservedTagPrefix + "creating"
	// OwnershipTags is how many tags the provider puts on every role to mark it as its own.
	OwnershipTags = 2
	// CreatingTags is how many tags the provider adds while it creates a role: the creating token its cleanup reads.
	CreatingTags = 1
	// RecordTagKey holds the provider's record of what it wrote (package record, for drift): the version, and the
	// digests of the trust policy, description, boundary and user tags and the maximum session duration.
	RecordTagKey = ReservedTagPrefix + "record"
	// RecordInlineTagKey holds the record's NAME=DIGEST for each inline policy, sorted by name.
	RecordInlineTagKey = RecordTagKey + ":inline"
	// RecordManagedTagKey holds the record's digest of each attached managed policy ARN, sorted.
	RecordManagedTagKey = RecordTagKey + ":managed"
	// RecordTags is how many tags the record takes: RecordTagKey, RecordInlineTagKey and RecordManagedTagKey.
	RecordTags = 3
	// MaxReconcileTokenLength bounds the ReconcileToken property, which only exists to make CloudFormation send an Update.
	MaxReconcileTokenLength = 256
	// MaxUserTags is what IAM's tags per role leave for the user after the provider's reserved tags.
	MaxUserTags = MaxTagsPerRole - OwnershipTags - CreatingTags - RecordTags
)

// RoleNameSymbols are the characters besides ASCII letters and digits IAM allows in a role name.
const RoleNameSymbols = "+=,.@_-"

// PathSymbols are the characters besides ASCII letters and digits the provider allows in a path segment. IAM
// itself allows any printable ASCII; the provider keeps to the role-name set so that no wildcard (*, ?) or policy
// variable (${…}) can reach a role ARN, and the provider's own IAM permissions, through a path.
const PathSymbols = RoleNameSymbols

func alnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// NameRune reports whether r may appear in a role name, a path segment or a managed policy name (letters, digits and +=,.@_-).
func NameRune(r rune) bool { return alnum(r) || strings.ContainsRune(RoleNameSymbols, r) }

// ValidRoleName reports whether s is a legal IAM role name: 1-64 letters, digits and +=,.@_-.
func ValidRoleName(s string) bool {
	if s == "" || len(s) > MaxRoleNameLength {
		return false
	}
	for _, r := range s {
		if !NameRune(r) {
			return false
		}
	}
	return true
}

// ValidPath reports whether s is a role path the provider accepts: "/" or "/seg/…/" of at most 512
// characters, each segment non-empty letters, digits and +=,.@_-.
func ValidPath(s string) bool {
	if len(s) > MaxPathLength || !strings.HasPrefix(s, "/") || !strings.HasSuffix(s, "/") {
		return false
	}
	if s == "/" {
		return true
	}
	for _, seg := range strings.Split(s[1:len(s)-1], "/") {
		if seg == "" {
			return false
		}
		for _, r := range seg {
			if !NameRune(r) {
				return false
			}
		}
	}
	return true
}

// ValidPathPrefix reports whether s can be the provider's role path prefix: a valid path with at least one
// segment, since "/" would open every role in the account to the provider.
func ValidPathPrefix(s string) bool { return s != "/" && ValidPath(s) }

// ValidTagText reports whether every character of s is one IAM allows in a tag key or value: Unicode letters,
// separators and numbers, and _.:/=+-@ (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html).
func ValidTagText(s string) bool {
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.In(r, unicode.Z) || unicode.IsNumber(r) || strings.ContainsRune("_.:/=+-@", r)) {
			return false
		}
	}
	return true
}

// ReservedTagKey reports whether a tag key uses the provider's reserved prefix, in any letter case.
func ReservedTagKey(key string) bool { return hasPrefixFold(key, ReservedTagPrefix) }

// AWSTagKey reports whether a tag key uses the prefix AWS reserves, in any letter case.
func AWSTagKey(key string) bool { return hasPrefixFold(key, AWSTagPrefix) }

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// PolicyRune reports whether IAM accepts r in a policy document: tab, line feed, carriage return and
// U+0020-U+00FF, as the PolicyDocument parameter of PutRolePolicy and CreateRole states
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html).
func PolicyRune(r rune) bool { return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xFF }

// BadPolicyRune returns the first character of s that IAM refuses in a policy document, if any.
func BadPolicyRune(s string) (rune, bool) {
	for _, r := range s {
		if !PolicyRune(r) {
			return r, true
		}
	}
	return 0, false
}
