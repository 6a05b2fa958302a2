// Package spec turns the custom resource's properties, as CloudFormation delivers them (every scalar a string),
// into a validated, typed Spec. Every problem is reported at once, each naming the property, the bad value and
// what is allowed. It makes no AWS calls.
package spec
