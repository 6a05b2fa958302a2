package iamdoc

import (
	"fmt"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// CharsetError reports a document holding a character IAM does not accept in policy documents.
type CharsetError struct {
	Policy string // the document's name
	Char   rune
}

func (e *CharsetError) Error() string {
	return fmt.Sprintf("%s would hold the character %q (%U), which IAM does not accept in a policy document (only tab, line feed, carriage return and U+0020 to U+00FF)", e.Policy, string(e.Char), e.Char)
}

// CheckCharset returns a *CharsetError for the first of the role's documents IAM would reject for a character.
func (r Role) CheckCharset() error {
	if c, bad := contract.BadPolicyRune(r.AssumeRolePolicyDocument.String()); bad {
		return &CharsetError{Policy: "the trust policy", Char: c}
	}
	for _, p := range r.Policies {
		if c, bad := contract.BadPolicyRune(p.PolicyDocument.String()); bad {
			return &CharsetError{Policy: "inline policy " + p.PolicyName, Char: c}
		}
	}
	return nil
}
