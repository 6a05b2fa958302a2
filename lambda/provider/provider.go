// Package provider is the custom resource's work: it takes a CloudFormation request's properties through
// spec and policy to the reconciler, and decides when an Update replaces the role.
package provider

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/gtrole/groundtruth-execution-role/lambda/policy"
	"github.com/gtrole/groundtruth-execution-role/lambda/reconcile"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

// Roles is the role lifecycle the provider drives; *reconcile.Reconciler implements it.
type Roles interface {
	Create(ctx context.Context, desired policy.Role, owner reconcile.Owner) (reconcile.Result, error)
	Update(ctx context.Context, name string, desired policy.Role, owner reconcile.Owner) (reconcile.Result, error)
	Delete(ctx context.Context, name string, owner reconcile.Owner) error
}

// Provider handles Custom::GroundTruthExecutionRole requests.
type Provider struct {
	Roles    Roles
	Settings spec.Settings
	Region   string       // the Lambda's region; its partition stands in only without a Lambda context
	Logger   *slog.Logger // nil discards
}

// Work does one request; it has the signature of cfn.CustomResourceFunction.
func (p *Provider) Work(ctx context.Context, ev cfn.Event) (string, map[string]any, error) {
	owner := reconcile.Owner{StackID: ev.StackID, LogicalID: ev.LogicalResourceID}
	switch ev.RequestType {
	case cfn.RequestCreate:
		name := p.PhysicalID(ev)
		return p.create(ctx, ev, name, owner)
	case cfn.RequestUpdate:
		return p.update(ctx, ev, owner)
	case cfn.RequestDelete:
		return ev.PhysicalResourceID, nil, p.Roles.Delete(ctx, ev.PhysicalResourceID, owner)
	default:
		return ev.PhysicalResourceID, nil, fmt.Errorf("unsupported RequestType %q: expected Create, Update or Delete", ev.RequestType)
	}
}

// PhysicalID is the role name a Create request makes: the RoleName property when it is a valid name, else the
// generated one. It is the protocol's fallback id, so a Create that fails or times out still answers with the
// name a later Delete can find.
func (p *Provider) PhysicalID(ev cfn.Event) string {
	if name, ok := ev.ResourceProperties["RoleName"].(string); ok && spec.ValidRoleName(name) {
		return name
	}
	return GeneratedName(ev)
}

func (p *Provider) create(ctx context.Context, ev cfn.Event, name string, owner reconcile.Owner) (string, map[string]any, error) {
	desired, err := p.desired(ctx, ev, name)
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
	name, replace, err := p.updatedName(ev, s)
	if err != nil {
		return oldID, nil, err
	}
	desired, err := p.build(ctx, s, name)
	if err != nil {
		return oldID, nil, err
	}
	var res reconcile.Result
	if replace {
		p.log().Info("update replaces the role", slog.String("OldRoleName", oldID), slog.String("NewRoleName", name))
		res, err = p.Roles.Create(ctx, desired, owner)
	} else {
		res, err = p.Roles.Update(ctx, name, desired, owner)
	}
	if err != nil {
		return oldID, nil, err
	}
	return res.RoleName, data(res), nil
}

// updatedName decides the role's name after an Update and whether that needs a new role: a changed RoleName
// or Path replaces the role, as it does for AWS::IAM::Role.
func (p *Provider) updatedName(ev cfn.Event, s spec.Spec) (string, bool, error) {
	oldID := ev.PhysicalResourceID
	oldName, _ := ev.OldResourceProperties["RoleName"].(string)
	oldPath, _ := ev.OldResourceProperties["Path"].(string)
	if strings.TrimSpace(oldPath) == "" {
		oldPath = p.Settings.DefaultPath()
	}
	pathChanged := oldPath != s.Path
	switch {
	case s.RoleName != "":
		if s.RoleName == oldID && pathChanged {
			return "", false, fmt.Errorf("Path: changing it from %q to %q needs a new role, but RoleName %q is fixed and IAM role names are unique: change RoleName as well, or remove it to get a generated name", oldPath, s.Path, s.RoleName)
		}
		return s.RoleName, s.RoleName != oldID || pathChanged, nil
	case strings.TrimSpace(oldName) != "" || pathChanged || !spec.ValidRoleName(oldID):
		return GeneratedName(ev), true, nil
	default:
		return oldID, false, nil
	}
}

func (p *Provider) desired(ctx context.Context, ev cfn.Event, name string) (policy.Role, error) {
	s, err := p.parse(ctx, ev.ResourceProperties)
	if err != nil {
		return policy.Role{}, err
	}
	if s.RoleName != "" {
		name = s.RoleName
	}
	return p.build(ctx, s, name)
}

func (p *Provider) parse(ctx context.Context, props map[string]any) (spec.Spec, error) {
	return spec.Parse(props, spec.Target{Account: account(ctx, ""), Region: p.Region, Partition: p.partition(ctx), Settings: p.Settings})
}

func (p *Provider) build(ctx context.Context, s spec.Spec, name string) (policy.Role, error) {
	return policy.Build(s, policy.Scope{Account: account(ctx, ""), Partition: p.partition(ctx)}, name)
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
