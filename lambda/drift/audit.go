package drift

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gtrole/groundtruth-execution-role/lambda/policy"
	"github.com/gtrole/groundtruth-execution-role/lambda/reconcile"
	"github.com/gtrole/groundtruth-execution-role/lambda/record"
)

// Auditor compares owned roles with their records. It only reads.
type Auditor struct {
	IAM IAM // read-only IAM client
	// KnownManagedArns names managed policies a detached one may be (the provider's allow-list); a detached policy
	// not among them is shown by the digest its record holds.
	KnownManagedArns []string
}

// Audit checks every owned role whose path starts with pathPrefix; roles without the ownership tags are counted as
// skipped. ListRoles does not return tags or the boundary, so each role is read with GetRole:
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRoles.html
func (a *Auditor) Audit(ctx context.Context, pathPrefix string) (Report, error) {
	c := &counter{IAM: a.IAM}
	var rep Report
	p := iam.NewListRolesPaginator(c, &iam.ListRolesInput{PathPrefix: aws.String(pathPrefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return Report{}, fmt.Errorf("list roles under path %s: %w", pathPrefix, err)
		}
		for _, r := range page.Roles {
			f, owned, err := a.check(ctx, c, aws.ToString(r.RoleName))
			if errors.As(err, new(*types.NoSuchEntityException)) {
				continue // deleted since the list
			}
			if err != nil {
				return Report{}, err
			}
			if !owned {
				rep.Skipped++
				continue
			}
			rep.Findings = append(rep.Findings, f)
		}
	}
	rep.Calls = c.calls
	return rep, nil
}

// AuditRoles checks the named roles; a name that is missing or not owned by the provider is an error.
func (a *Auditor) AuditRoles(ctx context.Context, names []string) (Report, error) {
	c := &counter{IAM: a.IAM}
	var rep Report
	for _, name := range names {
		f, owned, err := a.check(ctx, c, name)
		if errors.As(err, new(*types.NoSuchEntityException)) {
			return Report{}, fmt.Errorf("role %s does not exist", name)
		}
		if err != nil {
			return Report{}, err
		}
		if !owned {
			return Report{}, fmt.Errorf("role %s is not owned by the provider: it lacks the tags %s and %s", name,
				reconcile.StackIDTagKey, reconcile.LogicalIDTagKey)
		}
		rep.Findings = append(rep.Findings, f)
	}
	rep.Calls = c.calls
	return rep, nil
}

// check reads one role and compares it with its record; owned is false for a role without the ownership tags.
// A role without a record costs one call; a recorded one 3 plus one per recorded inline policy it still has.
func (a *Auditor) check(ctx context.Context, c IAM, name string) (Finding, bool, error) {
	out, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
	if err != nil {
		return Finding{}, false, fmt.Errorf("read role %s: %w", name, err)
	}
	role := out.Role
	tags := make(map[string]string, len(role.Tags))
	o := observed{
		description: aws.ToString(role.Description),
		maxSession:  aws.ToInt32(role.MaxSessionDuration),
		inline:      map[string]*policy.Document{},
	}
	for _, t := range role.Tags {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
		o.tags = append(o.tags, policy.Tag{Key: aws.ToString(t.Key), Value: aws.ToString(t.Value)})
	}
	f := Finding{
		RoleName: name, Path: aws.ToString(role.Path),
		StackID: tags[reconcile.StackIDTagKey], LogicalID: tags[reconcile.LogicalIDTagKey],
	}
	if f.StackID == "" || f.LogicalID == "" {
		return Finding{}, false, nil
	}
	rec, ok, err := record.Decode(tags)
	if err != nil {
		f.Status, f.Differences = Modified, []string{"record tags altered: " + err.Error()}
		return f, true, nil
	}
	if !ok {
		f.Status = NotRecorded
		return f, true, nil
	}

	if doc, err := policy.ParseEncoded(aws.ToString(role.AssumeRolePolicyDocument)); err == nil {
		o.trust = &doc
	}
	if role.PermissionsBoundary != nil {
		o.boundary = aws.ToString(role.PermissionsBoundary.PermissionsBoundaryArn)
	}
	pp := iam.NewListRolePoliciesPaginator(c, &iam.ListRolePoliciesInput{RoleName: aws.String(name)})
	for pp.HasMorePages() {
		page, err := pp.NextPage(ctx)
		if err != nil {
			return Finding{}, false, fmt.Errorf("list inline policies of role %s: %w", name, err)
		}
		o.inlineNames = append(o.inlineNames, page.PolicyNames...)
	}
	slices.Sort(o.inlineNames)
	for _, n := range o.inlineNames {
		if _, recorded := rec.Inline[n]; !recorded {
			continue // an added policy is reported by name; its document does not matter
		}
		got, err := c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String(n)})
		if errors.As(err, new(*types.NoSuchEntityException)) {
			o.inlineNames = slices.DeleteFunc(o.inlineNames, func(s string) bool { return s == n })
			continue
		}
		if err != nil {
			return Finding{}, false, fmt.Errorf("read inline policy %s of role %s: %w", n, name, err)
		}
		if doc, err := policy.ParseEncoded(aws.ToString(got.PolicyDocument)); err == nil {
			o.inline[n] = &doc
		} else {
			o.inline[n] = nil
		}
	}
	mp := iam.NewListAttachedRolePoliciesPaginator(c, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(name)})
	for mp.HasMorePages() {
		page, err := mp.NextPage(ctx)
		if err != nil {
			return Finding{}, false, fmt.Errorf("list managed policies of role %s: %w", name, err)
		}
		for _, p := range page.AttachedPolicies {
			o.managed = append(o.managed, aws.ToString(p.PolicyArn))
		}
	}
	o.managed = policy.NewStrings(o.managed...)

	known := make(map[string]string, len(a.KnownManagedArns))
	for _, arn := range a.KnownManagedArns {
		known[record.Text(arn)] = arn
	}
	f.Differences = compare(rec, o, known)
	f.Status = InSync
	if len(f.Differences) > 0 {
		f.Status = Modified
	}
	return f, true, nil
}

// counter counts the IAM calls an audit makes.
type counter struct {
	IAM
	calls int
}

func (c *counter) ListRoles(ctx context.Context, in *iam.ListRolesInput, o ...func(*iam.Options)) (*iam.ListRolesOutput, error) {
	c.calls++
	return c.IAM.ListRoles(ctx, in, o...)
}

func (c *counter) GetRole(ctx context.Context, in *iam.GetRoleInput, o ...func(*iam.Options)) (*iam.GetRoleOutput, error) {
	c.calls++
	return c.IAM.GetRole(ctx, in, o...)
}

func (c *counter) ListRolePolicies(ctx context.Context, in *iam.ListRolePoliciesInput, o ...func(*iam.Options)) (*iam.ListRolePoliciesOutput, error) {
	c.calls++
	return c.IAM.ListRolePolicies(ctx, in, o...)
}

func (c *counter) GetRolePolicy(ctx context.Context, in *iam.GetRolePolicyInput, o ...func(*iam.Options)) (*iam.GetRolePolicyOutput, error) {
	c.calls++
	return c.IAM.GetRolePolicy(ctx, in, o...)
}

func (c *counter) ListAttachedRolePolicies(ctx context.Context, in *iam.ListAttachedRolePoliciesInput, o ...func(*iam.Options)) (*iam.ListAttachedRolePoliciesOutput, error) {
	c.calls++
	return c.IAM.ListAttachedRolePolicies(ctx, in, o...)
}
