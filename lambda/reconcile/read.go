package reconcile

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
)

// ReadIAM is the read-only part of IAM a Reader calls for one role; IAM includes it, and the SDK's client, paginators
// and waiters accept it.
type ReadIAM interface {
	GetRole(ctx context.Context, params *iam.GetRoleInput, optFns ...func(*iam.Options)) (*iam.GetRoleOutput, error)
	ListRoleTags(ctx context.Context, params *iam.ListRoleTagsInput, optFns ...func(*iam.Options)) (*iam.ListRoleTagsOutput, error)
	GetRolePolicy(ctx context.Context, params *iam.GetRolePolicyInput, optFns ...func(*iam.Options)) (*iam.GetRolePolicyOutput, error)
	ListRolePolicies(ctx context.Context, params *iam.ListRolePoliciesInput, optFns ...func(*iam.Options)) (*iam.ListRolePoliciesOutput, error)
	ListAttachedRolePolicies(ctx context.Context, params *iam.ListAttachedRolePoliciesInput, optFns ...func(*iam.Options)) (*iam.ListAttachedRolePoliciesOutput, error)
}

// BulkIAM is the account-wide read a Reader makes for many roles at once.
type BulkIAM interface {
	ListRoles(ctx context.Context, params *iam.ListRolesInput, optFns ...func(*iam.Options)) (*iam.ListRolesOutput, error)
	GetAccountAuthorizationDetails(ctx context.Context, params *iam.GetAccountAuthorizationDetailsInput, optFns ...func(*iam.Options)) (*iam.GetAccountAuthorizationDetailsOutput, error)
}

var (
	_ ReadIAM                                     = IAM(nil)
	_ BulkIAM                                     = (*iam.Client)(nil)
	_ iam.ListRolesAPIClient                      = BulkIAM(nil)
	_ iam.GetAccountAuthorizationDetailsAPIClient = BulkIAM(nil)
)

// bulkPage is the most items IAM returns in one page of ListRoles and GetAccountAuthorizationDetails (MaxItems):
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
const bulkPage = 1000

// Role is a role as IAM holds it, decoded into the policy model: what reconcile's diff and drift's audit compare.
type Role struct {
	Name, Path, Arn, ID string
	Description         string                      // "" when none
	MaxSession          int32                       // IAM's value
	Boundary            string                      // ARN; "" when none
	Tags                map[string]string           // every tag, reserved ones included
	Trust               *iamdoc.Document            // nil when IAM's document does not parse strictly
	Inline              map[string]*iamdoc.Document // every inline policy by name; nil values do not parse strictly
	Sizes               map[string]int              // each inline document's size as IAM counts it for the aggregate quota
	Managed             []string                    // attached managed policy ARNs, sorted
}

// Reader is the one reader of roles: reconcile reads the role it changes with it, one call per part, and the drift
// audit reads a named role the same way, or every role under a path in bulk (Under). Every error it returns is an
// *Error, classified once (classify).
type Reader struct {
	IAM  ReadIAM // per-role reads
	Bulk BulkIAM // account-wide reads; only Under uses it
}

// decodeDocument turns a policy document as IAM returns it (URL-encoded) into a Document, or nil if it is not one
// the policy package can represent exactly; nil compares as different from every desired document. A document that
// starts with "{" is read as plain JSON: an encoded one cannot (RFC 3986 encodes "{" as %7B), and moto 5.2.1 leaves
// the trust policy in GetAccountAuthorizationDetails unencoded, where IAM encodes it.
func decodeDocument(encoded string) *iamdoc.Document {
	var doc iamdoc.Document
	var err error
	if strings.HasPrefix(strings.TrimSpace(encoded), "{") {
		doc, err = iamdoc.Parse(encoded)
	} else {
		doc, err = iamdoc.ParseEncoded(encoded)
	}
	if err != nil {
		return nil
	}
	return &doc
}

// encodedSize is the size of a URL-encoded document as IAM counts it; the encoded length when it does not decode.
func encodedSize(encoded string) int {
	if strings.HasPrefix(strings.TrimSpace(encoded), "{") {
		return iamdoc.TextSize(encoded)
	}
	if text, err := url.QueryUnescape(encoded); err == nil {
		return iamdoc.TextSize(text)
	}
	return iamdoc.TextSize(encoded)
}

// Get reads the role.
func (rd Reader) Get(ctx context.Context, name string) (*types.Role, error) {
	out, err := rd.IAM.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
	if err != nil {
		return nil, iamError("GetRole", fmt.Sprintf("read role %q", name), name, "", err)
	}
	return out.Role, nil
}

// Tags reads every tag of the role.
func (rd Reader) Tags(ctx context.Context, name string) (map[string]string, error) {
	tags := map[string]string{}
	p := iam.NewListRoleTagsPaginator(rd.IAM, &iam.ListRoleTagsInput{RoleName: aws.String(name)})
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

// InlineNames reads the names of the role's inline policies, sorted.
func (rd Reader) InlineNames(ctx context.Context, name string) ([]string, error) {
	var names []string
	p := iam.NewListRolePoliciesPaginator(rd.IAM, &iam.ListRolePoliciesInput{RoleName: aws.String(name)})
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

// Inline reads every inline policy document of the role and its size as IAM counts it. A policy deleted between
// the list and its read is left out.
func (rd Reader) Inline(ctx context.Context, name string) (map[string]*iamdoc.Document, map[string]int, error) {
	names, err := rd.InlineNames(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	docs := make(map[string]*iamdoc.Document, len(names))
	sizes := make(map[string]int, len(names))
	for _, n := range names {
		out, err := rd.IAM.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String(n)})
		if isKind(err, KindNotFound) {
			continue
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

// Managed reads the ARNs of the managed policies attached to the role, sorted.
func (rd Reader) Managed(ctx context.Context, name string) ([]string, error) {
	var arns []string
	p := iam.NewListAttachedRolePoliciesPaginator(rd.IAM, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(name)})
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

// Details reads the role's inline and managed policies, given the role and its tags already read.
func (rd Reader) Details(ctx context.Context, role *types.Role, tags map[string]string) (Role, error) {
	out := roleOf(role, tags)
	inline, sizes, err := rd.Inline(ctx, out.Name)
	if err != nil {
		return Role{}, err
	}
	managed, err := rd.Managed(ctx, out.Name)
	if err != nil {
		return Role{}, err
	}
	out.Inline, out.Sizes, out.Managed = inline, sizes, managed
	return out, nil
}

// Read reads everything about one role, with the tags GetRole returns: 3 calls plus one per inline policy.
func (rd Reader) Read(ctx context.Context, name string) (Role, error) {
	role, err := rd.Get(ctx, name)
	if err != nil {
		return Role{}, err
	}
	tags := make(map[string]string, len(role.Tags))
	for _, t := range role.Tags {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return rd.Details(ctx, role, tags)
}

// roleOf is the part of Role a GetRole or ListRoles answer holds.
func roleOf(role *types.Role, tags map[string]string) Role {
	r := Role{
		Name: aws.ToString(role.RoleName), Path: aws.ToString(role.Path), Arn: aws.ToString(role.Arn), ID: aws.ToString(role.RoleId),
		Description: aws.ToString(role.Description),
		MaxSession:  aws.ToInt32(role.MaxSessionDuration),
		Tags:        tags,
		Trust:       decodeDocument(aws.ToString(role.AssumeRolePolicyDocument)),
	}
	if role.MaxSessionDuration == nil {
		r.MaxSession = contract.DefaultSessionSeconds
	}
	if role.PermissionsBoundary != nil {
		r.Boundary = aws.ToString(role.PermissionsBoundary.PermissionsBoundaryArn)
	}
	return r
}

// Under reads every role whose path starts with prefix, sorted by name, in pages of up to 1,000 roles: ListRoles
// under the prefix gives each role's description and maximum session duration, which the bulk read leaves out, and
// GetAccountAuthorizationDetails (Filter=Role) gives the rest: trust, inline documents, attached policies, boundary
// and tags. That read has no path filter, so it pages through every role of the account. A role created between the
// two reads is read on its own; one deleted between them is left out.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRoles.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
func (rd Reader) Under(ctx context.Context, prefix string) ([]Role, error) {
	listed := map[string]types.Role{}
	lp := iam.NewListRolesPaginator(rd.Bulk, &iam.ListRolesInput{PathPrefix: aws.String(prefix), MaxItems: aws.Int32(bulkPage)})
	for lp.HasMorePages() {
		page, err := lp.NextPage(ctx)
		if err != nil {
			return nil, iamError("ListRoles", fmt.Sprintf("list roles under path %s", prefix), "", "", err)
		}
		for _, r := range page.Roles {
			listed[aws.ToString(r.RoleName)] = r
		}
	}
	var out []Role
	dp := iam.NewGetAccountAuthorizationDetailsPaginator(rd.Bulk, &iam.GetAccountAuthorizationDetailsInput{
		Filter: []types.EntityType{types.EntityTypeRole}, MaxItems: aws.Int32(bulkPage),
	})
	for dp.HasMorePages() {
		page, err := dp.NextPage(ctx)
		if err != nil {
			return nil, iamError("GetAccountAuthorizationDetails", "read the account's roles in bulk", "", "", err)
		}
		for _, d := range page.RoleDetailList {
			if !strings.HasPrefix(aws.ToString(d.Path), prefix) {
				continue
			}
			r, err := rd.fromDetail(ctx, d, listed)
			if isKind(err, KindNotFound) {
				continue // deleted since the bulk read
			}
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b Role) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// fromDetail decodes one role of GetAccountAuthorizationDetails, with the description and session duration of its
// ListRoles entry, or of GetRole when ListRoles did not show it.
func (rd Reader) fromDetail(ctx context.Context, d types.RoleDetail, listed map[string]types.Role) (Role, error) {
	name := aws.ToString(d.RoleName)
	base, ok := listed[name]
	if !ok {
		got, err := rd.Get(ctx, name)
		if err != nil {
			return Role{}, err
		}
		base = *got
	}
	tags := make(map[string]string, len(d.Tags))
	for _, t := range d.Tags {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	base.RoleName, base.Path, base.Arn, base.RoleId = d.RoleName, d.Path, d.Arn, d.RoleId
	base.AssumeRolePolicyDocument, base.PermissionsBoundary = d.AssumeRolePolicyDocument, d.PermissionsBoundary
	r := roleOf(&base, tags)
	r.Inline = make(map[string]*iamdoc.Document, len(d.RolePolicyList))
	r.Sizes = make(map[string]int, len(d.RolePolicyList))
	for _, p := range d.RolePolicyList {
		encoded := aws.ToString(p.PolicyDocument)
		r.Inline[aws.ToString(p.PolicyName)] = decodeDocument(encoded)
		r.Sizes[aws.ToString(p.PolicyName)] = encodedSize(encoded)
	}
	for _, a := range d.AttachedManagedPolicies {
		r.Managed = append(r.Managed, aws.ToString(a.PolicyArn))
	}
	slices.Sort(r.Managed)
	r.Managed = slices.Compact(r.Managed)
	return r, nil
}

// InlinePolicyNames returns the names of the role's inline policies, sorted.
func (r Role) InlinePolicyNames() []string { return slices.Sorted(maps.Keys(r.Inline)) }

// reader is the Reconciler's reader of roles.
func (r *Reconciler) reader() Reader { return Reader{IAM: r.IAM} }

// getRole reads the role.
func (r *Reconciler) getRole(ctx context.Context, name string) (*types.Role, error) {
	return r.reader().Get(ctx, name)
}

// listTags reads every tag of the role.
func (r *Reconciler) listTags(ctx context.Context, name string) (map[string]string, error) {
	return r.reader().Tags(ctx, name)
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
	got, err := r.reader().Details(ctx, role, tags)
	if err != nil {
		return actual{}, err
	}
	return actual{role: role, tags: tags, trust: got.Trust, inline: got.Inline, sizes: got.Sizes, managed: got.Managed}, nil
}

// listInlineNames reads the names of the role's inline policies, sorted.
func (r *Reconciler) listInlineNames(ctx context.Context, name string) ([]string, error) {
	return r.reader().InlineNames(ctx, name)
}

// listManaged reads the ARNs of the managed policies attached to the role, sorted.
func (r *Reconciler) listManaged(ctx context.Context, name string) ([]string, error) {
	return r.reader().Managed(ctx, name)
}

// actual is the role as IAM holds it, in the terms the diff compares.
type actual struct {
	role    *types.Role
	tags    map[string]string
	trust   *iamdoc.Document            // nil when IAM's document does not parse strictly
	inline  map[string]*iamdoc.Document // nil values for documents that do not parse strictly
	sizes   map[string]int              // each inline document's size as IAM counts it for the aggregate quota
	managed []string                    // sorted
}
