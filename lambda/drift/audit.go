package drift

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
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
// skipped. The roles are read in bulk (reconcile.Reader.Under): one ListRoles and one GetAccountAuthorizationDetails
// call per 1,000 roles, whatever their policies.
func (a *Auditor) Audit(ctx context.Context, pathPrefix string) (Report, error) {
	c := &counter{IAM: a.IAM}
	roles, err := reconcile.Reader{IAM: c, Bulk: c}.Under(ctx, pathPrefix)
	if err != nil {
		return Report{}, err
	}
	var rep Report
	for _, r := range roles {
		f, owned := a.check(r)
		if !owned {
			rep.Skipped++
			continue
		}
		rep.Findings = append(rep.Findings, f)
	}
	rep.Calls = c.calls
	return rep, nil
}

// AuditRoles checks the named roles, each read on its own (reconcile.Reader.Read: 3 calls plus one per inline
// policy); a name that is missing or not owned by the provider is an error.
func (a *Auditor) AuditRoles(ctx context.Context, names []string) (Report, error) {
	c := &counter{IAM: a.IAM}
	rd := reconcile.Reader{IAM: c}
	var rep Report
	for _, name := range names {
		r, err := rd.Read(ctx, name)
		if reconcile.KindOf(err) == reconcile.KindNotFound {
			return Report{}, fmt.Errorf("role %s does not exist", name)
		}
		if err != nil {
			return Report{}, err
		}
		f, owned := a.check(r)
		if !owned {
			return Report{}, fmt.Errorf("role %s is not owned by the provider: it lacks the tags %s and %s", name,
				contract.StackIDTagKey, contract.LogicalIDTagKey)
		}
		rep.Findings = append(rep.Findings, f)
	}
	rep.Calls = c.calls
	return rep, nil
}

// check compares a role with its record; owned is false for a role without the ownership tags.
func (a *Auditor) check(r reconcile.Role) (Finding, bool) {
	f := Finding{
		RoleName: r.Name, Path: r.Path,
		StackID: r.Tags[contract.StackIDTagKey], LogicalID: r.Tags[contract.LogicalIDTagKey],
	}
	if f.StackID == "" || f.LogicalID == "" {
		return Finding{}, false
	}
	rec, ok, err := record.Decode(r.Tags)
	if err != nil {
		f.Status, f.Differences = Modified, []string{"record tags altered: " + err.Error()}
		return f, true
	}
	if !ok {
		f.Status = NotRecorded
		return f, true
	}
	o := observed{
		trust:       r.Trust,
		description: r.Description,
		maxSession:  r.MaxSession,
		boundary:    r.Boundary,
		inlineNames: r.InlinePolicyNames(),
		inline:      r.Inline,
		managed:     r.Managed,
	}
	for _, k := range slices.Sorted(maps.Keys(r.Tags)) {
		o.tags = append(o.tags, iamdoc.Tag{Key: k, Value: r.Tags[k]})
	}
	known := make(map[string]string, len(a.KnownManagedArns))
	for _, arn := range a.KnownManagedArns {
		known[record.Text(arn)] = arn
	}
	f.Differences = compare(rec, o, known)
	f.Status = InSync
	if len(f.Differences) > 0 {
		f.Status = Modified
	}
	return f, true
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

func (c *counter) GetAccountAuthorizationDetails(ctx context.Context, in *iam.GetAccountAuthorizationDetailsInput, o ...func(*iam.Options)) (*iam.GetAccountAuthorizationDetailsOutput, error) {
	c.calls++
	return c.IAM.GetAccountAuthorizationDetails(ctx, in, o...)
}

func (c *counter) GetRole(ctx context.Context, in *iam.GetRoleInput, o ...func(*iam.Options)) (*iam.GetRoleOutput, error) {
	c.calls++
	return c.IAM.GetRole(ctx, in, o...)
}

func (c *counter) ListRoleTags(ctx context.Context, in *iam.ListRoleTagsInput, o ...func(*iam.Options)) (*iam.ListRoleTagsOutput, error) {
	c.calls++
	return c.IAM.ListRoleTags(ctx, in, o...)
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
