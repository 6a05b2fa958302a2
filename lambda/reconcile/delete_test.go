package reconcile

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
)

func TestDeleteRemovesRoleAndEverythingOnIt(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	if _, err := e.rec.Create(ctx, fullRole("gt-delete"), owner); err != nil {
		t.Fatal(err)
	}
	for _, ip := range []string{"gt-profile-b", "gt-profile-a"} {
		if _, err := e.direct.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{
			InstanceProfileName: aws.String(ip), Path: aws.String("/groundtruth/"),
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.direct.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{
			InstanceProfileName: aws.String(ip), RoleName: aws.String("gt-delete"),
		}); err != nil {
			t.Fatal(err)
		}
	}
	e.proxy.Reset()

	if err := e.rec.Delete(ctx, "gt-delete", owner); err != nil {
		t.Fatal(err)
	}
	want := []string{"RemoveRoleFromInstanceProfile", "RemoveRoleFromInstanceProfile",
		"DetachRolePolicy", "DetachRolePolicy", "DeleteRolePolicy", "DeleteRolePolicy", "DeleteRole"}
	if got := e.writes(); !slices.Equal(got, want) {
		t.Errorf("writes = %v, want %v", got, want)
	}
	var missing *types.NoSuchEntityException
	if _, err := e.direct.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("gt-delete")}); !errors.As(err, &missing) {
		t.Errorf("GetRole after Delete: err = %v, want NoSuchEntity", err)
	}
	out, err := e.direct.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("gt-profile-a")})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(out.InstanceProfile.Roles); n != 0 {
		t.Errorf("instance profile still holds %d roles", n)
	}

	// Deleting again finds nothing and succeeds.
	e.proxy.Reset()
	if err := e.rec.Delete(ctx, "gt-delete", owner); err != nil {
		t.Errorf("second Delete: %v", err)
	}
	if got := e.writes(); len(got) != 0 {
		t.Errorf("second Delete wrote %v", got)
	}
}

func TestDeleteLeavesAlone(t *testing.T) {
	other := owner
	other.LogicalID = "SomeoneElse"
	tests := []struct {
		name    string
		role    string
		fault   *faultproxy.Rule
		wantLog string
	}{
		{name: "missing role", role: "gt-missing", wantLog: "role does not exist"},
		{name: "not a role name", role: "arn:aws:iam::123456789012:role/x", wantLog: "not a role name"},
		{name: "empty name", role: "", wantLog: "not a role name"},
		{name: "not owned", role: "gt-theirs", wantLog: "role is not owned by this resource"},
		// moto does not evaluate IAM permissions, so the fence's AccessDenied is injected by the proxy.
		{name: "outside the provider's path", role: "gt-theirs", wantLog: "outside its path prefix",
			fault: &faultproxy.Rule{Action: "GetRole", Kind: faultproxy.Fail, Status: http.StatusForbidden, Code: "AccessDenied",
				Message: "User is not authorized to perform: iam:GetRole"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			// A role of another resource of the same stack, with a policy on it.
			if _, err := e.rec.Create(t.Context(), fullRole("gt-theirs"), other); err != nil {
				t.Fatal(err)
			}
			before := e.readBack(t, "gt-theirs")
			e.proxy.Reset()
			if tc.fault != nil {
				e.proxy.Add(*tc.fault)
			}
			if err := e.rec.Delete(t.Context(), tc.role, owner); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			if got := e.writes(); len(got) != 0 {
				t.Errorf("Delete wrote %v", got)
			}
			if after := e.readBack(t, "gt-theirs"); after.Description != before.Description || len(after.Inline) != len(before.Inline) {
				t.Errorf("the other role changed: %+v", after)
			}
			if !strings.Contains(e.logs.String(), tc.wantLog) {
				t.Errorf("logs do not say %q:\n%s", tc.wantLog, e.logs)
			}
		})
	}
}

func TestDeleteFailures(t *testing.T) {
	tests := []struct {
		name     string
		fault    faultproxy.Rule
		wantKind Kind
		want     []string
	}{
		{
			name:     "role still in use",
			fault:    faultproxy.FailNth("DeleteRole", 1, http.StatusConflict, "DeleteConflict"),
			wantKind: KindDeleteConflict,
			want:     []string{`delete role "gt-in-use"`, "IAM DeleteConflict: injected DeleteConflict", "remove that use and retry"},
		},
		{
			// As above: the fence's AccessDenied is injected, moto would allow the call.
			name:     "instance profile outside the fence",
			fault:    faultproxy.FailNth("RemoveRoleFromInstanceProfile", 1, http.StatusForbidden, "AccessDenied"),
			wantKind: KindAccessDenied,
			want:     []string{`remove role "gt-in-use" from instance profile "gt-profile"`, "remove the role from that instance profile by hand"},
		},
		{
			name:     "concurrent change",
			fault:    faultproxy.FailNth("DetachRolePolicy", 1, http.StatusConflict, "ConcurrentModification"),
			wantKind: KindConcurrentModification,
			want:     []string{"detach managed policy", "retry the stack operation"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			ctx := t.Context()
			if _, err := e.rec.Create(ctx, fullRole("gt-in-use"), owner); err != nil {
				t.Fatal(err)
			}
			if _, err := e.direct.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("gt-profile")}); err != nil {
				t.Fatal(err)
			}
			if _, err := e.direct.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{
				InstanceProfileName: aws.String("gt-profile"), RoleName: aws.String("gt-in-use"),
			}); err != nil {
				t.Fatal(err)
			}
			e.proxy.Add(tc.fault)
			err := e.rec.Delete(ctx, "gt-in-use", owner)
			if k := kindOf(t, err); k != tc.wantKind {
				t.Errorf("kind = %v, want %v; error: %v", k, tc.wantKind, err)
			}
			for _, s := range tc.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
			if names := e.roleNames(t); !slices.Equal(names, []string{"gt-in-use"}) {
				t.Errorf("roles = %v, want the role still there", names)
			}
		})
	}
}
