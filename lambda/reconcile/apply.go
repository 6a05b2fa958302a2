package reconcile

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
)

// encodedPolicy is an inline policy ready to send.
type encodedPolicy struct {
	name string
	doc  string
}

// encodeDocument encodes a document for the step op, as the reconciler's own error if it cannot be.
func encodeDocument(op, role, name string, d iamdoc.Document) (string, error) {
	b, err := d.Encode()
	if err != nil {
		return "", &Error{Kind: KindInvalidRequest, Op: op, Role: role, Policy: name, Err: err}
	}
	return string(b), nil
}

// encodeInline encodes inline policies, keeping their order.
func encodeInline(role string, ps []iamdoc.InlinePolicy) ([]encodedPolicy, error) {
	out := make([]encodedPolicy, 0, len(ps))
	for _, p := range ps {
		doc, err := encodeDocument(fmt.Sprintf("encode inline policy %q of role %q", p.PolicyName, role), role, p.PolicyName, p.PolicyDocument)
		if err != nil {
			return nil, err
		}
		out = append(out, encodedPolicy{name: p.PolicyName, doc: doc})
	}
	return out, nil
}

// sdkTags converts tags to the SDK's type, in key order.
func sdkTags(tags []iamdoc.Tag) []types.Tag {
	out := make([]types.Tag, 0, len(tags))
	for _, t := range tags {
		out = append(out, types.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)})
	}
	slices.SortFunc(out, func(a, b types.Tag) int { return strings.Compare(*a.Key, *b.Key) })
	return out
}

// putInline writes one inline policy.
func (r *Reconciler) putInline(ctx context.Context, role string, p encodedPolicy, optFns ...func(*iam.Options)) error {
	r.write(ctx, "PutRolePolicy", role, "policy", p.name)
	_, err := r.IAM.PutRolePolicy(ctx, &iam.PutRolePolicyInput{
		RoleName: aws.String(role), PolicyName: aws.String(p.name), PolicyDocument: aws.String(p.doc),
	}, optFns...)
	if err != nil {
		return iamError("PutRolePolicy", fmt.Sprintf("put inline policy %q on role %q", p.name, role), role, p.name, err)
	}
	return nil
}

// attach attaches one managed policy.
func (r *Reconciler) attach(ctx context.Context, role, arn string, optFns ...func(*iam.Options)) error {
	r.write(ctx, "AttachRolePolicy", role, "policy_arn", arn)
	_, err := r.IAM.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(role), PolicyArn: aws.String(arn)}, optFns...)
	if err != nil {
		return iamError("AttachRolePolicy", fmt.Sprintf("attach managed policy %s to role %q", arn, role), role, arn, err)
	}
	return nil
}

// detach detaches one managed policy; one already detached is fine.
func (r *Reconciler) detach(ctx context.Context, role, arn string) error {
	r.write(ctx, "DetachRolePolicy", role, "policy_arn", arn)
	_, err := r.IAM.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String(role), PolicyArn: aws.String(arn)})
	if failedUnlessGone(err) {
		return iamError("DetachRolePolicy", fmt.Sprintf("detach managed policy %s from role %q", arn, role), role, arn, err)
	}
	return nil
}

// deleteInline deletes one inline policy; one already gone is fine.
func (r *Reconciler) deleteInline(ctx context.Context, role, name string) error {
	r.write(ctx, "DeleteRolePolicy", role, "policy", name)
	_, err := r.IAM.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String(name)})
	if failedUnlessGone(err) {
		return iamError("DeleteRolePolicy", fmt.Sprintf("delete inline policy %q from role %q", name, role), role, name, err)
	}
	return nil
}

// apply makes the writes of c on the role, removals before additions so that per-role quotas (inline size,
// attached policies, tags) have room.
func (r *Reconciler) apply(ctx context.Context, role string, c changes) error {
	name := aws.String(role)
	// Encode everything first so a document that cannot be encoded stops the update before any write.
	var trust string
	if c.trust != nil {
		doc, err := encodeDocument(fmt.Sprintf("encode trust policy of role %q", role), role, "", *c.trust)
		if err != nil {
			return err
		}
		trust = doc
	}
	puts, err := encodeInline(role, c.putInline)
	if err != nil {
		return err
	}

	if c.trust != nil {
		r.write(ctx, "UpdateAssumeRolePolicy", role)
		if _, err := r.IAM.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: name, PolicyDocument: aws.String(trust)}); err != nil {
			return iamError("UpdateAssumeRolePolicy", fmt.Sprintf("update trust policy of role %q", role), role, "", err)
		}
	}
	if c.updateRole {
		// Both fields are always sent: IAM leaves an omitted one alone, but moto clears it.
		r.write(ctx, "UpdateRole", role, "max_session_duration", c.maxSession)
		if _, err := r.IAM.UpdateRole(ctx, &iam.UpdateRoleInput{
			RoleName: name, Description: aws.String(c.description), MaxSessionDuration: aws.Int32(c.maxSession),
		}); err != nil {
			return iamError("UpdateRole", fmt.Sprintf("update description and maximum session duration of role %q", role), role, "", err)
		}
	}
	if c.deleteBoundary {
		r.write(ctx, "DeleteRolePermissionsBoundary", role)
		if _, err := r.IAM.DeleteRolePermissionsBoundary(ctx, &iam.DeleteRolePermissionsBoundaryInput{RoleName: name}); failedUnlessGone(err) {
			return iamError("DeleteRolePermissionsBoundary", fmt.Sprintf("remove permissions boundary of role %q", role), role, "", err)
		}
	}
	if c.putBoundary != "" {
		r.write(ctx, "PutRolePermissionsBoundary", role, "boundary", c.putBoundary)
		if _, err := r.IAM.PutRolePermissionsBoundary(ctx, &iam.PutRolePermissionsBoundaryInput{RoleName: name, PermissionsBoundary: aws.String(c.putBoundary)}); err != nil {
			return iamError("PutRolePermissionsBoundary", fmt.Sprintf("set permissions boundary %s on role %q", c.putBoundary, role), role, c.putBoundary, err)
		}
	}
	if len(c.untag) > 0 {
		r.write(ctx, "UntagRole", role, "keys", c.untag)
		if _, err := r.IAM.UntagRole(ctx, &iam.UntagRoleInput{RoleName: name, TagKeys: c.untag}); err != nil {
			return iamError("UntagRole", fmt.Sprintf("remove tags %s from role %q", strings.Join(c.untag, ", "), role), role, "", err)
		}
	}
	if len(c.tag) > 0 {
		tags := sdkTags(c.tag)
		keys := make([]string, 0, len(tags))
		for _, t := range tags {
			keys = append(keys, *t.Key)
		}
		r.write(ctx, "TagRole", role, "keys", keys)
		if _, err := r.IAM.TagRole(ctx, &iam.TagRoleInput{RoleName: name, Tags: tags}); err != nil {
			return iamError("TagRole", fmt.Sprintf("tag role %q with %s", role, strings.Join(keys, ", ")), role, "", err)
		}
	}
	for _, n := range c.deleteInline {
		if err := r.deleteInline(ctx, role, n); err != nil {
			return err
		}
	}
	for _, p := range puts {
		if err := r.putInline(ctx, role, p); err != nil {
			return err
		}
	}
	for _, arn := range c.detach {
		if err := r.detach(ctx, role, arn); err != nil {
			return err
		}
	}
	for _, arn := range c.attach {
		if err := r.attach(ctx, role, arn); err != nil {
			return err
		}
	}
	return nil
}
