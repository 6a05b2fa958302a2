package reconcile

import (
	"cmp"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/record"
)

// changes are the writes that bring an existing role to the desired state; every list is sorted.
type changes struct {
	trust          *iamdoc.Document // new trust policy; nil when unchanged
	updateRole     bool             // description or maximum session duration differ
	description    string
	maxSession     int32
	putBoundary    string // boundary ARN to set; empty when unchanged or to be removed
	deleteBoundary bool
	untag          []string
	tag            []iamdoc.Tag
	deleteInline   []string
	putInline      []iamdoc.InlinePolicy // in write order: by growth of the aggregate, shrinking first

	detach []string
	attach []string
}

// count returns the number of write calls the changes take.
func (c changes) count() int {
	n := len(c.deleteInline) + len(c.putInline) + len(c.detach) + len(c.attach)
	for _, b := range []bool{c.trust != nil, c.updateRole, c.putBoundary != "", c.deleteBoundary, len(c.untag) > 0, len(c.tag) > 0} {
		if b {
			n++
		}
	}
	return n
}

// desiredTags returns the user's tags plus the ownership tags and the record of what the role should hold, so
// writing the role and recording it are one write sequence. checkDesired has made sure the record encodes.
func desiredTags(desired iamdoc.Role, owner Owner) map[string]string {
	tags := owner.tags()
	rec, _ := record.Of(desired).Encode()
	maps.Copy(tags, rec)
	for _, t := range desired.Tags {
		if !contract.ReservedTagKey(t.Key) {
			tags[t.Key] = t.Value
		}
	}
	return tags
}

// maxSessionOf returns the desired maximum session duration, IAM's default when unset.
func maxSessionOf(desired iamdoc.Role) int32 {
	if desired.MaxSessionDuration == 0 {
		return contract.DefaultSessionSeconds
	}
	return desired.MaxSessionDuration
}

// diff compares the role IAM holds with the desired role by meaning and returns only what differs. Ownership tags
// are part of the desired tags, so they are never removed.
func diff(a actual, desired iamdoc.Role, owner Owner) changes {
	var c changes

	if a.trust == nil || !iamdoc.Equivalent(*a.trust, desired.AssumeRolePolicyDocument) {
		trust := desired.AssumeRolePolicyDocument
		c.trust = &trust
	}

	actualSession := int32(contract.DefaultSessionSeconds)
	if a.role.MaxSessionDuration != nil {
		actualSession = *a.role.MaxSessionDuration
	}
	if aws.ToString(a.role.Description) != desired.Description || actualSession != maxSessionOf(desired) {
		c.updateRole = true
		c.description = desired.Description
		c.maxSession = maxSessionOf(desired)
	}

	actualBoundary := ""
	if a.role.PermissionsBoundary != nil {
		actualBoundary = aws.ToString(a.role.PermissionsBoundary.PermissionsBoundaryArn)
	}
	switch {
	case desired.PermissionsBoundary == actualBoundary:
	case desired.PermissionsBoundary == "":
		c.deleteBoundary = true
	default:
		c.putBoundary = desired.PermissionsBoundary
	}

	want := desiredTags(desired, owner)
	for _, k := range slices.Sorted(maps.Keys(a.tags)) {
		if _, keep := want[k]; !keep && k != contract.CreatingTagKey {
			c.untag = append(c.untag, k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if v, ok := a.tags[k]; !ok || v != want[k] {
			c.tag = append(c.tag, iamdoc.Tag{Key: k, Value: want[k]})
		}
	}

	wantInline := make(map[string]iamdoc.Document, len(desired.Policies))
	for _, p := range desired.Policies {
		wantInline[p.PolicyName] = p.PolicyDocument
	}
	for _, n := range slices.Sorted(maps.Keys(a.inline)) {
		if _, keep := wantInline[n]; !keep {
			c.deleteInline = append(c.deleteInline, n)
		}
	}
	for _, n := range slices.Sorted(maps.Keys(wantInline)) {
		have, ok := a.inline[n]
		if !ok || have == nil || !iamdoc.Equivalent(*have, wantInline[n]) {
			c.putInline = append(c.putInline, iamdoc.InlinePolicy{PolicyName: n, PolicyDocument: wantInline[n]})
		}
	}
	// Shrinking puts before growing ones (deletes already go first): when the role's inline policies fit IAM's
	// aggregate quota before and after, every state in between fits too.
	growth := func(p iamdoc.InlinePolicy) int { return iamdoc.Size(p.PolicyDocument) - a.sizes[p.PolicyName] }
	slices.SortStableFunc(c.putInline, func(x, y iamdoc.InlinePolicy) int { return cmp.Compare(growth(x), growth(y)) })

	wantManaged := iamdoc.NewStrings(desired.ManagedPolicyArns...)
	for _, arn := range a.managed {
		if !slices.Contains(wantManaged, arn) {
			c.detach = append(c.detach, arn)
		}
	}
	for _, arn := range wantManaged {
		if !slices.Contains(a.managed, arn) {
			c.attach = append(c.attach, arn)
		}
	}
	return c
}
