// Package provider is the custom resource's work: it takes a CloudFormation request's properties through
// spec and policy to the reconciler, and decides, from the roles IAM holds, which role an Update leaves in place,
// returns to or creates.
package provider

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/policy"
	"github.com/gtrole/groundtruth-execution-role/lambda/reconcile"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
	"github.com/gtrole/groundtruth-execution-role/lambda/stackcheck"
)

// Roles is the role lifecycle the provider drives; *reconcile.Reconciler implements it.
type Roles interface {
	Create(ctx context.Context, desired iamdoc.Role, owner reconcile.Owner) (reconcile.Result, error)
	Update(ctx context.Context, name string, desired iamdoc.Role, owner reconcile.Owner) (reconcile.Result, error)
	Delete(ctx context.Context, name string, owner reconcile.Owner) error
	Inspect(ctx context.Context, name string, owner reconcile.Owner) (reconcile.Existing, error)
	RemoveUnfinished(ctx context.Context, name string, owner reconcile.Owner) (bool, error)
}

// Stacks confirms with CloudFormation that it is making a request; *stackcheck.Checker implements it.
type Stacks interface {
	Verify(ctx context.Context, r stackcheck.Request) (stackcheck.Verified, error)
}

// Provider handles Custom::GroundTruthExecutionRole requests.
type Provider struct {
	Roles       Roles
	Stacks      Stacks // nil refuses every request: nothing is done that CloudFormation did not ask for
	Settings    spec.Settings
	SettingsErr error        // invalid provider settings: Create and Update fail with it; Delete needs no settings
	Region      string       // the Lambda's region; its partition stands in only without a Lambda context
	Logger      *slog.Logger // nil discards; logs through the request's context
}

// Work does one request; it has the signature of cfn.CustomResourceFunction.
// Every request is first verified with CloudFormation (see stackcheck); one it does not confirm is answered FAILED
// before any IAM call.
func (p *Provider) Work(ctx context.Context, ev cfn.Event) (string, map[string]any, error) {
	fallback := ev.PhysicalResourceID
	if ev.RequestType == cfn.RequestCreate {
		fallback = p.PhysicalID(ev)
	}
	v, err := p.verify(ctx, ev)
	if err != nil {
		return fallback, nil, err
	}
	owner := reconcile.Owner{StackID: ev.StackID, LogicalID: ev.LogicalResourceID, Named: v.Named}
	if ev.RequestType == cfn.RequestCreate {
		owner.Since = v.Since // a role to adopt must be one this Create made
	}
	switch ev.RequestType {
	case cfn.RequestCreate:
		name := fallback
		if p.SettingsErr != nil {
			return name, nil, p.SettingsErr
		}
		return p.create(ctx, ev, name, owner)
	case cfn.RequestUpdate:
		if p.SettingsErr != nil {
			return ev.PhysicalResourceID, nil, p.SettingsErr
		}
		return p.update(ctx, ev, owner)
	case cfn.RequestDelete:
		return p.delete(ctx, ev, owner)
	default:
		return ev.PhysicalResourceID, nil, fmt.Errorf("unsupported RequestType %q: expected Create, Update or Delete", ev.RequestType)
	}
}

// verify asks CloudFormation whether it is making ev, in the provider's own account, Region and partition.
func (p *Provider) verify(ctx context.Context, ev cfn.Event) (stackcheck.Verified, error) {
	if p.Stacks == nil {
		return stackcheck.Verified{}, &stackcheck.Refused{Reason: "the provider has no CloudFormation client to verify requests with", Unavailable: true}
	}
	v, err := p.Stacks.Verify(ctx, stackcheck.Request{
		Home: stackcheck.Home{Partition: p.partition(ctx), Region: p.Region, Account: account(ctx, "")},
		Type: ev.RequestType, StackID: ev.StackID, LogicalID: ev.LogicalResourceID,
		PhysicalID: ev.PhysicalResourceID, ResourceType: ev.ResourceType,
	})
	if err != nil {
		p.log().WarnContext(ctx, "request refused", slog.Any("error", err))
		return v, err
	}
	if v.Replaced {
		p.log().InfoContext(ctx, "cleanup Delete of an id the resource no longer holds", slog.String("Holds", v.Named),
			slog.String("StackStatus", string(v.StackStatus)))
	}
	return v, nil
}

// PhysicalID is the role name a Create request makes: the RoleName property (of whatever JSON type, read as spec
// reads it) when it is a valid name, else the generated one. It is the protocol's fallback id, so a Create that
// fails or times out still answers with the name a later Delete can find.
func (p *Provider) PhysicalID(ev cfn.Event) string {
	return p.nameFor(ev, ev.ResourceProperties)
}

// nameFor is the role name that properties props of ev's resource ask for.
func (p *Provider) nameFor(ev cfn.Event, props map[string]any) string {
	name, path := spec.Placement(props, p.Settings)
	if name != "" && contract.ValidRoleName(name) {
		return name
	}
	return GeneratedName(ev.StackID, ev.LogicalResourceID, path)
}

func (p *Provider) create(ctx context.Context, ev cfn.Event, name string, owner reconcile.Owner) (string, map[string]any, error) {
	s, err := p.parse(ctx, ev.ResourceProperties)
	if err != nil {
		return name, nil, err
	}
	desired, err := p.build(ctx, s, name)
	if err != nil {
		return name, nil, err
	}
	res, err := p.Roles.Create(ctx, desired, owner)
	if err != nil {
		return name, nil, err
	}
	return res.RoleName, data(res), nil
}

func (p *Provider) update(ctx context.Context, ev cfn.Event, owner reconcile.Owner) (string, map[string]any, error) {
	oldID := ev.PhysicalResourceID
	s, err := p.parse(ctx, ev.ResourceProperties)
	if err != nil {
		return oldID, nil, err
	}
	t, err := p.target(ctx, ev, s, owner)
	if err != nil {
		return oldID, nil, err
	}
	desired, err := p.build(ctx, s, t.name)
	if err != nil {
		return oldID, nil, err
	}
	var res reconcile.Result
	if t.inPlace {
		res, err = p.Roles.Update(ctx, t.name, desired, owner)
	} else {
		p.log().InfoContext(ctx, "update replaces the role", slog.String("OldRoleName", oldID), slog.String("NewRoleName", t.name),
			slog.String("Why", t.why))
		res, err = p.Roles.Create(ctx, desired, owner)
	}
	if err != nil {
		return oldID, nil, err
	}
	p.removeUnfinished(ctx, ev.OldResourceProperties, ev, owner, res.RoleName)
	return res.RoleName, data(res), nil
}

func (p *Provider) delete(ctx context.Context, ev cfn.Event, owner reconcile.Owner) (string, map[string]any, error) {
	if err := p.Roles.Delete(ctx, ev.PhysicalResourceID, owner); err != nil {
		return ev.PhysicalResourceID, nil, err
	}
	if p.SettingsErr == nil {
		p.removeUnfinished(ctx, ev.ResourceProperties, ev, owner, ev.PhysicalResourceID)
	}
	return ev.PhysicalResourceID, nil, nil
}

// target is the role an Update brings to the desired state.
type target struct {
	name    string
	inPlace bool   // the request's own role (its physical id), updated in place; else Create makes or adopts name
	why     string // why the role changes, for the log
}

// target decides which role an Update ends on, from the roles IAM holds and the desired name and path, never from
// OldResourceProperties: in a rollback those hold properties that never took effect.
//
//   - RoleName set: that role. It is the request's role (in place) when it is the physical id; the reconciler
//     refuses it when it lives at another path (IAM cannot move a role and names are unique). Any other name is
//     made, or adopted when it is already this resource's (a rollback returning to the role it replaced).
//   - No RoleName: the generated name for the desired path when IAM holds it as this resource's complete role at
//     that path (a rollback returning to it); else the physical id's role when it is this resource's and at that
//     path, whatever scheme named it; else a new role of the generated name.
func (p *Provider) target(ctx context.Context, ev cfn.Event, s spec.Spec, owner reconcile.Owner) (target, error) {
	oldID := ev.PhysicalResourceID
	if s.RoleName != "" {
		if s.RoleName != oldID {
			return target{name: s.RoleName, why: "RoleName differs from the physical id"}, nil
		}
		// In place; the reconciler refuses a role at another path than the one asked for (IAM cannot move it).
		return target{name: oldID, inPlace: true}, nil
	}
	generated := GeneratedName(ev.StackID, ev.LogicalResourceID, s.Path)
	if generated == oldID {
		return target{name: oldID, inPlace: true}, nil
	}
	gen, err := p.Roles.Inspect(ctx, generated, owner)
	if err != nil {
		return target{}, err
	}
	if gen.Exists && gen.Owned && !gen.Unfinished && gen.Path == s.Path {
		return target{name: generated, why: "this resource's role for these properties exists"}, nil
	}
	old, err := p.Roles.Inspect(ctx, oldID, owner)
	if err != nil {
		return target{}, err
	}
	if old.Exists && old.Owned && old.Path == s.Path {
		return target{name: oldID, inPlace: true}, nil
	}
	why := "the role named by the physical id does not exist or is not this resource's"
	if old.Exists && old.Owned {
		why = fmt.Sprintf("Path changes from %q to %q", old.Path, s.Path)
	}
	return target{name: generated, why: why}, nil
}

// removeUnfinished removes the role an earlier, failed request for props may have begun and left behind (say a
// CreateRole that landed after that request's deadline), unless it is the role kept. Only a role whose Create never
// completed is removed, so this cannot touch a role CloudFormation still references. Failures are logged only.
func (p *Provider) removeUnfinished(ctx context.Context, props map[string]any, ev cfn.Event, owner reconcile.Owner, kept string) {
	if props == nil {
		return
	}
	name := p.nameFor(ev, props)
	if name == kept || name == ev.PhysicalResourceID {
		return
	}
	if _, err := p.Roles.RemoveUnfinished(ctx, name, owner); err != nil {
		p.log().WarnContext(ctx, "could not check for a role an earlier request left unfinished", slog.String("RoleName", name), slog.Any("error", err))
	}
}

func (p *Provider) parse(ctx context.Context, props map[string]any) (spec.Spec, error) {
	return spec.Parse(props, spec.Target{Account: account(ctx, ""), Region: p.Region, Partition: p.partition(ctx), Settings: p.Settings})
}

func (p *Provider) build(ctx context.Context, s spec.Spec, name string) (iamdoc.Role, error) {
	return policy.Build(s, policy.Scope{Account: account(ctx, ""), Partition: p.partition(ctx), Region: p.Region}, name)
}

// invokedARN is the Lambda's own function ARN, from the invocation's context.
func invokedARN(ctx context.Context) (arn.ARN, bool) {
	lc, ok := lambdacontext.FromContext(ctx)
	if !ok {
		return arn.ARN{}, false
	}
	a, err := arn.Parse(lc.InvokedFunctionArn)
	return a, err == nil
}

// account is the account the Lambda runs in, where its IAM calls make the role: the invoked function ARN's.
func account(ctx context.Context, fallback string) string {
	if a, ok := invokedARN(ctx); ok && a.AccountID != "" {
		return a.AccountID
	}
	return fallback
}

// partition is the partition the Lambda runs in, a fact of its invoked function ARN; only without a Lambda
// context (a caller outside Lambda) does the region's partition stand in.
func (p *Provider) partition(ctx context.Context) string {
	if a, ok := invokedARN(ctx); ok && a.Partition != "" {
		return a.Partition
	}
	return spec.PartitionOf(p.Region)
}

func data(r reconcile.Result) map[string]any {
	return map[string]any{"Arn": r.Arn, "RoleName": r.RoleName, "RoleId": r.RoleID, "Path": r.Path}
}

func (p *Provider) log() *slog.Logger {
	if p.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return p.Logger
}
