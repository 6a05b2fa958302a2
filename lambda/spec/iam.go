package spec

import (
	"fmt"
	"unicode/utf8"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// validDescription reports whether every character of d is one IAM allows in a role description: tab, newline,
// carriage return, printable ASCII (U+0020-U+007E) and Latin-1 U+00A1-U+00FF.
func validDescription(d string) bool {
	for _, r := range d {
		if !(r == '\t' || r == '\n' || r == '\r' || 0x20 <= r && r <= 0x7E || 0xA1 <= r && r <= 0xFF) {
			return false
		}
	}
	return true
}

// validTagText reports whether every character of s is one IAM allows in a tag key or value: Unicode letters,
// separators and numbers, and _.:/=+-@.
func validTagText(s string) bool { return contract.ValidTagText(s) }

func checkTagKey(k string) string {
	switch {
	case k == "" || utf8.RuneCountInString(k) > contract.MaxTagKeyLength:
		return fmt.Sprintf("is not a valid tag key: want 1-%d characters", contract.MaxTagKeyLength)
	case !validTagText(k):
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
	case !validTagText(v):
		return "is not a valid tag value: allowed are letters, digits, spaces and _.:/=+-@"
	}
	return ""
}
