package reconcile

import (
	"context"
	"fmt"
	"net/url"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gtrole/groundtruth-execution-role/lambda/policy"
)

// actual is the role as IAM holds it, in the terms the diff compares.
type actual struct {
	role    *types.Role
	tags    map[string]string
	trust   *policy.Document            // nil when IAM's document does not parse strictly
	inline  map[string]*policy.Document // nil values for documents that do not parse strictly
	sizes   map[string]int              // each inline document's size as IAM counts it for the aggregate quota
	managed []string                    // sorted
}

// decodeDocument turns a URL-encoded policy document as IAM returns it into a Document, or nil if it is not one
// the policy package can represent exactly; nil compares as different from every desired document.
func decodeDocument(encoded string) *policy.Document {
	doc, err := policy.ParseEncoded(encoded)
	if err != nil {
		return nil
	}
	return &doc
}

// getRole reads the role.
func (r *Reconciler) getRole(ctx context.Context, name string) (*types.Role, error) {
	out, err := r.IAM.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
	if err != nil {
		return nil, iamError("GetRole", fmt.Sprintf("read role %q", name), name, "", err)
	}
	return out.Role, nil
}

// listTags reads every tag of the role.
func (r *Reconciler) listTags(ctx context.Context, name string) (map[string]string, error) {
	tags := map[string]string{}
	p := iam.NewListRoleTagsPaginator(r.IAM, &iam.ListRoleTagsInput{RoleName: aws.String(name)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, iamError("ListRoleTags", fmt.Sprintf("list tags of role %q", name), name, "", err)
		}
		for _, t := range page.Tags {
			tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
		}
	}
	return tags, nil
}

// listInlineNames reads the names of the role's inline policies, sorted.
func (r *Reconciler) listInlineNames(ctx context.Context, name string) ([]string, error) {
	var names []string
	p := iam.NewListRolePoliciesPaginator(r.IAM, &iam.ListRolePoliciesInput{RoleName: aws.String(name)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, iamError("ListRolePolicies", fmt.Sprintf("list inline policies of role %q", name), name, "", err)
		}
		names = append(names, page.PolicyNames...)
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// readInline reads every inline policy document of the role and its size as IAM counts it.
func (r *Reconciler) readInline(ctx context.Context, name string) (map[string]*policy.Document, map[string]int, error) {
	names, err := r.listInlineNames(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	docs := make(map[string]*policy.Document, len(names))
	sizes := make(map[string]int, len(names))
	for _, n := range names {
		out, err := r.IAM.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String(n)})
		if isKind(err, KindNotFound) {
			continue // deleted between the list and the read
		}
		if err != nil {
			return nil, nil, iamError("GetRolePolicy", fmt.Sprintf("read inline policy %q of role %q", n, name), name, n, err)
		}
		encoded := aws.ToString(out.PolicyDocument)
		docs[n] = decodeDocument(encoded)
		sizes[n] = encodedSize(encoded)
	}
	return docs, sizes, nil
}

// encodedSize is the size of a URL-encoded document as IAM counts it; the encoded length when it does not decode.
func encodedSize(encoded string) int {
	if text, err := url.QueryUnescape(encoded); err == nil {
		return policy.TextSize(text)
	}
	return policy.TextSize(encoded)
}

// listManaged reads the ARNs of the managed policies attached to the role, sorted.
func (r *Reconciler) listManaged(ctx context.Context, name string) ([]string, error) {
	var arns []string
	p := iam.NewListAttachedRolePoliciesPaginator(r.IAM, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(name)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, iamError("ListAttachedRolePolicies", fmt.Sprintf("list managed policies of role %q", name), name, "", err)
		}
		for _, a := range page.AttachedPolicies {
			arns = append(arns, aws.ToString(a.PolicyArn))
		}
	}
	slices.Sort(arns)
	return slices.Compact(arns), nil
}

// listInstanceProfiles reads the names of the instance profiles holding the role, sorted.
func (r *Reconciler) listInstanceProfiles(ctx context.Context, name string) ([]string, error) {
	var names []string
	p := iam.NewListInstanceProfilesForRolePaginator(r.IAM, &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String(name)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, iamError("ListInstanceProfilesForRole", fmt.Sprintf("list instance profiles of role %q", name), name, "", err)
		}
		for _, ip := range page.InstanceProfiles {
			names = append(names, aws.ToString(ip.InstanceProfileName))
		}
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// loadOwned reads the role and its tags and refuses a role that is missing or not this owner's.
func (r *Reconciler) loadOwned(ctx context.Context, op, name string, owner Owner) (*types.Role, map[string]string, error) {
	role, err := r.getRole(ctx, name)
	if isKind(err, KindNotFound) {
		return nil, nil, &Error{
			Kind: KindNotFound, Op: op, Role: name,
			Err: fmt.Errorf("role %q does not exist", name),
		}
	}
	if err != nil {
		return nil, nil, err
	}
	tags, err := r.listTags(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	if why := owner.disowns(role, tags); why != "" {
		return nil, nil, notOwned(op, name, "is", why)
	}
	return role, tags, nil
}

// notOwned is the refusal to touch a role another stack or person created; verb is "is" or "already exists and is",
// why what disowns found.
func notOwned(op, name, verb, why string) error {
	return &Error{
		Kind: KindNotOwned, Op: op, Role: name,
		Err:  fmt.Errorf("role %q %s not owned by this stack (%s)", name, verb, why),
		Hint: "choose another RoleName or remove RoleName to get a generated one",
	}
}

// readActual reads everything the diff compares, given the role and tags already read.
func (r *Reconciler) readActual(ctx context.Context, role *types.Role, tags map[string]string) (actual, error) {
	name := aws.ToString(role.RoleName)
	inline, sizes, err := r.readInline(ctx, name)
	if err != nil {
		return actual{}, err
	}
	managed, err := r.listManaged(ctx, name)
	if err != nil {
		return actual{}, err
	}
	return actual{
		role:    role,
		tags:    tags,
		trust:   decodeDocument(aws.ToString(role.AssumeRolePolicyDocument)),
		inline:  inline,
		sizes:   sizes,
		managed: managed,
	}, nil
}
