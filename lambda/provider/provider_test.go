package provider

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/gtrole/groundtruth-execution-role/lambda/reconcile"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

var settings = spec.Settings{RolePathPrefix: "/groundtruth/"}

func lambdaContext() context.Context {
	return lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{
		InvokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:provider",
	})
}

// props are valid properties plus the given overrides.
func props(kv ...any) map[string]any {
	p := map[string]any{"InputBuckets": []any{"in-bucket"}, "OutputBuckets": []any{"out-bucket"}}
	for i := 0; i < len(kv); i += 2 {
		p[kv[i].(string)] = kv[i+1]
	}
	return p
}

func ours(path string) reconcile.Existing {
	return reconcile.Existing{Exists: true, Owned: true, Path: path}
}

// TestUpdateDecidesFromTheRolesIAMHolds: which role an Update ends on follows from the physical id's role, the
// generated name's role and the desired name and path, never from OldResourceProperties (in a rollback they hold
// properties that never took effect).
func TestUpdateDecidesFromTheRolesIAMHolds(t *testing.T) {
	genP := GeneratedName(stackID, "Role", "/groundtruth/")
	genA := GeneratedName(stackID, "Role", "/groundtruth/a/")
	const legacy = "labeling-stack-Role-OLDSCHEME12" // named by an earlier version's scheme (RequestId-based)
	tests := []struct {
		name      string
		physical  string
		props     map[string]any
		old       map[string]any // OldResourceProperties: must not matter
		roles     map[string]reconcile.Existing
		wantCalls []string
		wantErr   string
	}{
		{"generated name kept", genP, props(), props(), map[string]reconcile.Existing{genP: ours("/groundtruth/")},
			[]string{"Update " + genP}, ""},
		{"earlier naming scheme kept in place", legacy, props(), props(), map[string]reconcile.Existing{legacy: ours("/groundtruth/")},
			[]string{"Update " + legacy, "RemoveUnfinished " + genP}, ""},
		{"fixed name kept", "fixed", props("RoleName", "fixed"), props("RoleName", "fixed"), map[string]reconcile.Existing{"fixed": ours("/groundtruth/")},
			[]string{"Update fixed"}, ""},
		{"name changed", "fixed", props("RoleName", "renamed"), props("RoleName", "fixed"), map[string]reconcile.Existing{"fixed": ours("/groundtruth/")},
			[]string{"Create renamed"}, ""},
		{"name added", genP, props("RoleName", "chosen"), props(), map[string]reconcile.Existing{genP: ours("/groundtruth/")},
			[]string{"Create chosen"}, ""},
		{"name removed, same path: the role stays", "fixed", props(), props("RoleName", "fixed"), map[string]reconcile.Existing{"fixed": ours("/groundtruth/")},
			[]string{"Update fixed"}, ""},
		{"path changed, generated name", genP, props("Path", "/groundtruth/a/"), props(), map[string]reconcile.Existing{genP: ours("/groundtruth/")},
			[]string{"Create " + genA}, ""},
		{"path changed, fixed name: in place, where the reconciler refuses the move", "fixed", props("RoleName", "fixed", "Path", "/groundtruth/a/"), props("RoleName", "fixed"),
			map[string]reconcile.Existing{"fixed": ours("/groundtruth/")}, []string{"Update fixed"}, "a new path needs a new role"},
		{"physical id not a role name", "Role-0123abcd/bad", props(), props(), nil,
			[]string{"Create " + genP}, ""},
		{"physical id's role is someone else's", "theirs", props(), props(), map[string]reconcile.Existing{"theirs": {Exists: true, Path: "/groundtruth/"}},
			[]string{"Create " + genP}, ""},
		// Rollbacks: the physical id is the pre-update role, the properties are the original ones and
		// OldResourceProperties are the ones that failed.
		{"rollback of a failed RoleName addition", genP, props(), props("RoleName", "taken"), map[string]reconcile.Existing{genP: ours("/groundtruth/")},
			[]string{"Update " + genP, "RemoveUnfinished taken"}, ""},
		{"rollback of a failed RoleName addition, earlier scheme", legacy, props(), props("RoleName", "taken"), map[string]reconcile.Existing{legacy: ours("/groundtruth/")},
			[]string{"Update " + legacy, "RemoveUnfinished taken"}, ""},
		{"rollback of a failed path change", genP, props(), props("Path", "/groundtruth/a/"), map[string]reconcile.Existing{genP: ours("/groundtruth/")},
			[]string{"Update " + genP, "RemoveUnfinished " + genA}, ""},
		{"rollback of a refused fixed-name path change", "fixed", props("RoleName", "fixed"), props("RoleName", "fixed", "Path", "/groundtruth/a/"),
			map[string]reconcile.Existing{"fixed": ours("/groundtruth/")}, []string{"Update fixed"}, ""},
		{"rollback of a refused rename and move", "a", props("RoleName", "a"), props("RoleName", "taken", "Path", "/groundtruth/a/"),
			map[string]reconcile.Existing{"a": ours("/groundtruth/")}, []string{"Update a", "RemoveUnfinished taken"}, ""},
		// A successful replacement followed by a stack rollback: the request names the new role, the properties
		// are the old ones, whose role still exists.
		{"rollback after a replacement returns to the generated role", "chosen", props(), props("RoleName", "chosen"),
			map[string]reconcile.Existing{"chosen": ours("/groundtruth/"), genP: ours("/groundtruth/")}, []string{"Create " + genP}, ""},
		{"rollback after a replacement returns to the named role", "renamed", props("RoleName", "fixed"), props("RoleName", "renamed"),
			map[string]reconcile.Existing{"renamed": ours("/groundtruth/"), "fixed": ours("/groundtruth/")}, []string{"Create fixed"}, ""},
		{"an unfinished generated role is not returned to", "fixed", props(), props("RoleName", "fixed"),
			map[string]reconcile.Existing{"fixed": ours("/groundtruth/"), genP: {Exists: true, Owned: true, Path: "/groundtruth/", Unfinished: true}},
			[]string{"Update fixed"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			roles := &fakeRoles{roles: tt.roles}
			p := &Provider{Roles: roles, Stacks: &confirmAll{}, Settings: settings, Region: "us-east-1"}
			ev := cfn.Event{RequestType: cfn.RequestUpdate, StackID: stackID, LogicalResourceID: "Role", RequestID: "update-1",
				PhysicalResourceID: tt.physical, ResourceProperties: tt.props, OldResourceProperties: tt.old}
			id, _, err := p.Work(lambdaContext(), ev)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if id != tt.physical {
					t.Errorf("failed Update answered %q, want the physical id %q", id, tt.physical)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(roles.calls, tt.wantCalls) {
				t.Errorf("calls = %v, want %v", roles.calls, tt.wantCalls)
			}
		})
	}
}

// TestRoleNameOfAnyJSONType: the fallback physical id and the role Create makes have the same name whatever JSON
// type RoleName has, so a Create that times out answers the name of the role it made.
func TestRoleNameOfAnyJSONType(t *testing.T) {
	for _, v := range []any{"12345", json.Number("12345"), float64(12345), true} {
		roles := &fakeRoles{}
		p := &Provider{Roles: roles, Stacks: &confirmAll{}, Settings: settings, Region: "us-east-1"}
		ev := cfn.Event{RequestType: cfn.RequestCreate, StackID: stackID, LogicalResourceID: "Role", RequestID: "r",
			ResourceProperties: props("RoleName", v)}
		fallback := p.PhysicalID(ev)
		id, _, err := p.Work(lambdaContext(), ev)
		if err != nil {
			t.Fatalf("RoleName %#v: %v", v, err)
		}
		if len(roles.made) != 1 || roles.made[0].RoleName != fallback || id != fallback {
			t.Errorf("RoleName %#v (%T): fallback id %q, answered %q, role made %v", v, v, fallback, id, roles.calls)
		}
	}
}

// TestDeleteNeedsNoSettings: with invalid provider settings Create and Update fail with the settings' reason and
// touch nothing, while Delete still deletes (it needs no setting: it removes only this resource's roles).
func TestDeleteNeedsNoSettings(t *testing.T) {
	bad := errors.New("ROLE_PATH_PREFIX: \"/\" is not allowed")
	for _, rt := range []cfn.RequestType{cfn.RequestCreate, cfn.RequestUpdate, cfn.RequestDelete} {
		roles := &fakeRoles{roles: map[string]reconcile.Existing{"fixed": ours("/groundtruth/")}}
		p := &Provider{Roles: roles, Stacks: &confirmAll{}, SettingsErr: bad, Region: "us-east-1"}
		ev := cfn.Event{RequestType: rt, StackID: stackID, LogicalResourceID: "Role", RequestID: "r", PhysicalResourceID: "fixed",
			ResourceProperties: props("RoleName", "fixed")}
		if rt == cfn.RequestCreate {
			ev.PhysicalResourceID = ""
		}
		id, _, err := p.Work(lambdaContext(), ev)
		if id != "fixed" {
			t.Errorf("%s answered physical id %q, want fixed", rt, id)
		}
		if rt == cfn.RequestDelete {
			if err != nil || !slices.Equal(roles.calls, []string{"Delete fixed"}) {
				t.Errorf("Delete with bad settings: err %v, calls %v; want success and the role deleted", err, roles.calls)
			}
			continue
		}
		if !errors.Is(err, bad) || len(roles.calls) != 0 {
			t.Errorf("%s with bad settings: err %v, calls %v; want the settings' error and no call", rt, err, roles.calls)
		}
	}
}
