package spec

import "github.com/gtrole/groundtruth-execution-role/lambda/contract"

// policyText reports whether IAM accepts value inside a policy document; otherwise it records a problem naming
// the property, the value and the offending character, so the request fails before CreateRole rather than at
// PutRolePolicy with a role half made.
func (p parser) policyText(name, value string) bool {
	r, bad := contract.BadPolicyRune(value)
	if !bad {
		return true
	}
	p.add(name, value, "has the character %q (%U), which IAM does not accept in a policy document: IAM takes only tab, line feed, carriage return and U+0020 to U+00FF, so name this resource (or its parent folder) with those characters only", string(r), r)
	return false
}
