package provider

import (
	"context"
	"errors"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/reconcile"
	"github.com/gtrole/groundtruth-execution-role/lambda/stackcheck"
)

// fakeRoles holds roles by name and records the lifecycle calls made.
type fakeRoles struct {
	roles map[string]reconcile.Existing
	calls []string // "Create NAME", "Update NAME", "Delete NAME", "RemoveUnfinished NAME"
	made  []iamdoc.Role
}

func (f *fakeRoles) Create(_ context.Context, desired iamdoc.Role, _ reconcile.Owner) (reconcile.Result, error) {
	f.calls = append(f.calls, "Create "+desired.RoleName)
	f.made = append(f.made, desired)
	return reconcile.Result{RoleName: desired.RoleName, Path: desired.Path}, nil
}

func (f *fakeRoles) Update(_ context.Context, name string, desired iamdoc.Role, _ reconcile.Owner) (reconcile.Result, error) {
	f.calls = append(f.calls, "Update "+name)
	f.made = append(f.made, desired)
	if !f.roles[name].Exists {
		return reconcile.Result{}, errors.New("no such role")
	}
	if have := f.roles[name].Path; have != desired.Path {
		return reconcile.Result{}, errors.New("the role's path is " + have + "; a new path needs a new role") // as the reconciler refuses it
	}
	return reconcile.Result{RoleName: name, Path: desired.Path}, nil
}

func (f *fakeRoles) Delete(_ context.Context, name string, _ reconcile.Owner) error {
	f.calls = append(f.calls, "Delete "+name)
	return nil
}

func (f *fakeRoles) Inspect(_ context.Context, name string, _ reconcile.Owner) (reconcile.Existing, error) {
	return f.roles[name], nil
}

func (f *fakeRoles) RemoveUnfinished(_ context.Context, name string, _ reconcile.Owner) (bool, error) {
	f.calls = append(f.calls, "RemoveUnfinished "+name)
	return false, nil
}

// confirmAll is a Stacks that confirms every request, as CloudFormation would for its own, and records what it saw.
type confirmAll struct{ seen []stackcheck.Request }

func (c *confirmAll) Verify(_ context.Context, r stackcheck.Request) (stackcheck.Verified, error) {
	c.seen = append(c.seen, r)
	if r.Type == cfn.RequestCreate {
		return stackcheck.Verified{}, nil
	}
	return stackcheck.Verified{Named: r.PhysicalID}, nil
}

// refuseAll is a Stacks that confirms nothing.
type refuseAll struct{ unavailable bool }

func (r refuseAll) Verify(context.Context, stackcheck.Request) (stackcheck.Verified, error) {
	return stackcheck.Verified{}, &stackcheck.Refused{Reason: "test refusal", Unavailable: r.unavailable}
}
