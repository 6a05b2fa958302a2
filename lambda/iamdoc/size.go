package iamdoc

import "unicode"

// Size counts a document's characters as IAM does for its quotas: white space is not counted.
func Size(d Document) int { return TextSize(d.String()) }

// TextSize counts the characters of a policy document's text as IAM does for its quotas: white space is not counted.
func TextSize(text string) int {
	n := 0
	for _, r := range text {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// InlineSize is the aggregate size of the role's inline policies as IAM counts it (contract.MaxInlinePolicySize
// is IAM's quota on it).
func (r Role) InlineSize() int {
	n := 0
	for _, p := range r.Policies {
		n += Size(p.PolicyDocument)
	}
	return n
}
