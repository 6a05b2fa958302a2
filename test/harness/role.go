package harness

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
)

// Role is a role as IAM holds it, with the shape of iamdoc.Role plus what IAM assigns.
type Role struct {
	Arn    string `json:"Arn"`
	RoleID string `json:"RoleId"`
	iamdoc.Role
}

// ErrNoRole reports that IAM has no role of the name asked for.
var ErrNoRole = errors.New("no such role")

// Describe reads a role, its inline policies (URL-decoded), attachments and tags straight from moto.
func (h *Harness) Describe(ctx context.Context, name string) (*Role, error) {
	out, err := h.IAM.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
	var missing *types.NoSuchEntityException
	if errors.As(err, &missing) {
		return nil, fmt.Errorf("role %s: %w", name, ErrNoRole)
	}
	if err != nil {
		return nil, fmt.Errorf("get role %s: %w", name, err)
	}
	r := &Role{Arn: aws.ToString(out.Role.Arn), RoleID: aws.ToString(out.Role.RoleId)}
	r.RoleName = aws.ToString(out.Role.RoleName)
	r.Path = aws.ToString(out.Role.Path)
	r.Description = aws.ToString(out.Role.Description)
	r.MaxSessionDuration = aws.ToInt32(out.Role.MaxSessionDuration)
	if b := out.Role.PermissionsBoundary; b != nil {
		r.PermissionsBoundary = aws.ToString(b.PermissionsBoundaryArn)
	}
	if r.AssumeRolePolicyDocument, err = iamdoc.ParseEncoded(aws.ToString(out.Role.AssumeRolePolicyDocument)); err != nil {
		return nil, fmt.Errorf("role %s trust policy: %w", name, err)
	}
	tags, err := h.IAM.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String(name)})
	if err != nil {
		return nil, fmt.Errorf("list tags of %s: %w", name, err)
	}
	for _, t := range tags.Tags {
		r.Tags = append(r.Tags, iamdoc.Tag{Key: aws.ToString(t.Key), Value: aws.ToString(t.Value)})
	}
	slices.SortFunc(r.Tags, func(a, b iamdoc.Tag) int { return strings.Compare(a.Key, b.Key) })
	inline, err := h.IAM.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String(name)})
	if err != nil {
		return nil, fmt.Errorf("list inline policies of %s: %w", name, err)
	}
	for _, pn := range inline.PolicyNames {
		got, err := h.IAM.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String(pn)})
		if err != nil {
			return nil, fmt.Errorf("get inline policy %s of %s: %w", pn, name, err)
		}
		doc, err := iamdoc.ParseEncoded(aws.ToString(got.PolicyDocument))
		if err != nil {
			return nil, fmt.Errorf("inline policy %s of %s: %w", pn, name, err)
		}
		r.Policies = append(r.Policies, iamdoc.InlinePolicy{PolicyName: pn, PolicyDocument: doc})
	}
	slices.SortFunc(r.Policies, func(a, b iamdoc.InlinePolicy) int { return strings.Compare(a.PolicyName, b.PolicyName) })
	attached, err := h.IAM.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(name)})
	if err != nil {
		return nil, fmt.Errorf("list managed policies of %s: %w", name, err)
	}
	for _, a := range attached.AttachedPolicies {
		r.ManagedPolicyArns = append(r.ManagedPolicyArns, aws.ToString(a.PolicyArn))
	}
	slices.Sort(r.ManagedPolicyArns)
	return r, nil
}

// RoleNames lists every role in moto, sorted.
func (h *Harness) RoleNames(ctx context.Context) ([]string, error) {
	var names []string
	pages := iam.NewListRolesPaginator(h.IAM, &iam.ListRolesInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list roles: %w", err)
		}
		for _, r := range page.Roles {
			names = append(names, aws.ToString(r.RoleName))
		}
	}
	slices.Sort(names)
	return names, nil
}
