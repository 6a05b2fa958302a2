package cfnengine

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/gtrole/groundtruth-execution-role/test/harness"
)

// Check verifies the invariants after an operation and returns every violation since the last Check (nil when
// there is none): those recorded during the operation, then the stack's role against its declared properties
// (not after a failed Delete, which leaves it half removed),
// stray roles, and calls the test IAM denied. allowDenied lists IAM actions (e.g. "iam:CreateRole") a scenario
// expects to be denied.
func (e *Engine) Check(ctx context.Context, allowDenied ...string) ([]string, error) {
	out := e.violations
	e.violations = nil
	want := slices.Clone(e.foreign)
	if e.PhysicalID != "" && e.deleteFailed {
		want = append(want, e.PhysicalID) // DELETE_FAILED: the role may be half removed; it is still the stack's
	} else if e.PhysicalID != "" {
		want = append(want, e.PhysicalID)
		diffs, roleID, err := e.checkRole(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, diffs...)
		e.roleID = roleID
	} else {
		e.roleID, e.lastID = "", ""
	}
	slices.Sort(want)
	want = slices.Compact(want)
	got, err := e.h.RoleNames(ctx)
	if err != nil {
		return nil, err
	}
	for _, name := range got {
		if !slices.Contains(want, name) {
			out = append(out, fmt.Sprintf("role %q exists but the stack does not hold it (orphaned)", name))
		}
	}
	for _, d := range e.h.Authz.Denied() {
		if !slices.Contains(allowDenied, d.Request.Action) {
			out = append(out, fmt.Sprintf("the test IAM refused %s on %s with %s", d.Request.Action, d.Request.Resource, d.Code))
		}
	}
	e.h.Authz.Reset()
	return out, nil
}

// checkRole compares the role the stack's physical id names with the declared properties and, when the id is the
// one the last Check saw, with that role's RoleId (a role recreated under the same name has lost its identity).
func (e *Engine) checkRole(ctx context.Context) (diffs []string, roleID string, err error) {
	diffs, got, err := e.roleDiff(ctx, e.PhysicalID, e.Props)
	if err != nil || got == nil {
		return diffs, "", err
	}
	if e.roleID != "" && e.lastID == e.PhysicalID && got.RoleID != e.roleID {
		diffs = append(diffs, fmt.Sprintf("role %q was replaced under the same name: RoleId %s → %s (its ARN's grants and trusts are lost)", e.PhysicalID, e.roleID, got.RoleID))
	}
	e.lastID = e.PhysicalID
	return diffs, got.RoleID, nil
}

// roleDiff compares the role IAM holds under name with props as the provider, under the stack's settings, makes
// them (policies compared by meaning); got is nil when there is no such role.
func (e *Engine) roleDiff(ctx context.Context, name string, props map[string]any) (diffs []string, got *harness.Role, err error) {
	got, err = e.h.Describe(ctx, name)
	if errors.Is(err, harness.ErrNoRole) {
		return []string{fmt.Sprintf("the physical id %q names no role", name)}, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	want, err := harness.Desired(props, name, e.cfg.Env...)
	if err != nil {
		return nil, nil, fmt.Errorf("render the declared properties: %w", err)
	}
	for _, d := range harness.RoleDiff(got, want) {
		diffs = append(diffs, "the role differs from its declared properties: "+d)
	}
	return diffs, got, nil
}

// RoleDeletedOutOfBand tells the engine that the stack's role was deleted outside CloudFormation, so the next
// Check accepts a role recreated under the same name with a new RoleId.
func (e *Engine) RoleDeletedOutOfBand() { e.roleID = "" }
