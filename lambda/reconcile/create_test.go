package reconcile

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
)

func TestCreateEveryField(t *testing.T) {
	e := newEnv(t)
	desired := fullRole("gt-every-field")

	res, err := e.rec.Create(t.Context(), desired, owner)
	if err != nil {
		t.Fatal(err)
	}
	wantArn := "arn:aws:iam::" + account + ":role/groundtruth/gt-every-field"
	if res.Arn != wantArn || res.RoleName != desired.RoleName || res.Path != "/groundtruth/" || res.RoleID == "" {
		t.Errorf("result = %+v, want Arn %s, RoleName %s, Path /groundtruth/ and a RoleID", res, wantArn, desired.RoleName)
	}
	e.assertHolds(t, desired, owner)

	// One CreateRole carrying every tag, then the policies in name order, then the creating token removed.
	want := []string{"CreateRole", "PutRolePolicy", "PutRolePolicy", "AttachRolePolicy", "AttachRolePolicy", "UntagRole"}
	if got := e.writes(); !slices.Equal(got, want) {
		t.Errorf("writes = %v, want %v", got, want)
	}
	if got := e.proxy.Count("TagRole"); got != 0 {
		t.Errorf("TagRole calls = %d, want 0 (tags go in CreateRole)", got)
	}
	var order []string
	for _, r := range e.proxy.Writes() {
		body := string(r.Body)
		for _, s := range []string{"S3Input", "S3Output", "gt-managed-a", "gt-managed-b"} {
			if r.Action != "CreateRole" && strings.Contains(body, s) {
				order = append(order, s)
			}
		}
	}
	if want := []string{"S3Input", "S3Output", "gt-managed-a", "gt-managed-b"}; !slices.Equal(order, want) {
		t.Errorf("policy call order = %v, want %v", order, want)
	}
}

func TestCreateMinimalUsesIAMDefaults(t *testing.T) {
	e := newEnv(t)
	desired := iamdoc.Role{RoleName: "gt-minimal", AssumeRolePolicyDocument: sagemakerTrust()}
	res, err := e.rec.Create(t.Context(), desired, owner)
	if err != nil {
		t.Fatal(err)
	}
	if res.Path != "/" {
		t.Errorf("path = %q, want /", res.Path)
	}
	e.assertHolds(t, desired, owner)
	if got := e.writes(); !slices.Equal(got, []string{"CreateRole", "UntagRole"}) {
		t.Errorf("writes = %v, want only CreateRole and the creating token's removal", got)
	}
}

func TestCreateRedeliveredReconcilesInPlace(t *testing.T) {
	e := newEnv(t)
	first := fullRole("gt-redelivered")
	res1, err := e.rec.Create(t.Context(), first, owner)
	if err != nil {
		t.Fatal(err)
	}

	// CloudFormation may deliver the same Create again; a changed property shows the role is reconciled, not kept.
	again := fullRole("gt-redelivered")
	again.Description = "second delivery"
	again.Policies = again.Policies[:1]
	e.proxy.Reset()
	res2, err := e.rec.Create(t.Context(), again, owner)
	if err != nil {
		t.Fatalf("re-delivered Create: %v", err)
	}
	if res2 != res1 {
		t.Errorf("second result = %+v, want the first %+v", res2, res1)
	}
	if names := e.roleNames(t); !slices.Equal(names, []string{"gt-redelivered"}) {
		t.Errorf("roles = %v, want exactly one", names)
	}
	e.assertHolds(t, again, owner)
	want := []string{"CreateRole", "UpdateRole", "TagRole", "DeleteRolePolicy"} // TagRole records the new state
	if got := e.writes(); !slices.Equal(got, want) {
		t.Errorf("writes = %v, want %v", got, want)
	}
}

func TestCreateRefusesForeignRole(t *testing.T) {
	otherStack := owner
	otherStack.StackID = strings.Replace(owner.StackID, "stack/gt/", "stack/other/", 1)
	otherResource := owner
	otherResource.LogicalID = "OtherRole"
	tests := []struct {
		name string
		tags map[string]string
		want string
	}{
		{"untagged", nil, "it carries no gtrole ownership tags"},
		{"other stack", otherStack.tags(), "its tags name stack " + otherStack.StackID},
		{"same stack, other resource", otherResource.tags(), "resource OtherRole"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			in := &iam.CreateRoleInput{
				RoleName:                 aws.String("gt-foreign"),
				Path:                     aws.String("/groundtruth/"),
				AssumeRolePolicyDocument: aws.String(sagemakerTrust().String()),
				Description:              aws.String("someone else's"),
			}
			for k, v := range tc.tags {
				in.Tags = append(in.Tags, types.Tag{Key: aws.String(k), Value: aws.String(v)})
			}
			if _, err := e.direct.CreateRole(t.Context(), in); err != nil {
				t.Fatal(err)
			}
			if _, err := e.direct.PutRolePolicy(t.Context(), &iam.PutRolePolicyInput{
				RoleName: aws.String("gt-foreign"), PolicyName: aws.String("Theirs"),
				PolicyDocument: aws.String(doc(allow([]string{"s3:GetObject"}, []string{"arn:aws:s3:::theirs/*"})).String()),
			}); err != nil {
				t.Fatal(err)
			}
			before := e.readBack(t, "gt-foreign")

			_, err := e.rec.Create(t.Context(), fullRole("gt-foreign"), owner)
			if err == nil {
				t.Fatal("Create over a foreign role succeeded")
			}
			if k := kindOf(t, err); k != KindNotOwned {
				t.Errorf("kind = %v, want NotOwned", k)
			}
			for _, s := range []string{`role "gt-foreign" already exists and is not owned by this stack`, tc.want,
				"choose another RoleName or remove RoleName to get a generated one"} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
			if got := e.writes(); !slices.Equal(got, []string{"CreateRole"}) {
				t.Errorf("writes = %v, want only the refused CreateRole", got)
			}
			if after := e.readBack(t, "gt-foreign"); !reflect.DeepEqual(after, before) {
				t.Errorf("foreign role changed:\nbefore %+v\nafter  %+v", before, after)
			}
		})
	}
}

func TestCreateFaultOnEachWriteLeavesNoRole(t *testing.T) {
	desired := fullRole("gt-faulty")

	// Learn the write calls of a clean Create, then fail each one in turn.
	e := newEnv(t)
	if _, err := e.rec.Create(t.Context(), desired, owner); err != nil {
		t.Fatal(err)
	}
	calls := e.writes()
	if len(calls) != 6 {
		t.Fatalf("clean Create made writes %v, want 6", calls)
	}
	seen := map[string]int{}
	for _, action := range calls {
		seen[action]++
		nth := seen[action]
		t.Run(fmt.Sprintf("%s#%d", action, nth), func(t *testing.T) {
			e := newEnv(t)
			e.proxy.Add(faultproxy.FailNth(action, nth, http.StatusConflict, "LimitExceeded"))

			_, err := e.rec.Create(t.Context(), desired, owner)
			if err == nil {
				t.Fatal("Create succeeded despite the fault")
			}
			if k := kindOf(t, err); k != KindLimitExceeded {
				t.Errorf("kind = %v, want LimitExceeded; error: %v", k, err)
			}
			if !strings.Contains(err.Error(), "injected LimitExceeded") || !strings.Contains(err.Error(), "quota") {
				t.Errorf("error %q lacks IAM's message or the advice", err)
			}
			if names := e.roleNames(t); len(names) != 0 {
				t.Errorf("roles left after failed Create: %v", names)
			}
		})
	}
}

func TestCreateCleanupRunsAfterCancellation(t *testing.T) {
	e := newEnv(t)
	e.proxy.Add(faultproxy.Rule{Action: "AttachRolePolicy", Nth: 1, Kind: faultproxy.Hang})

	ctx := withTimeout(t, 500*time.Millisecond)
	_, err := e.rec.Create(ctx, fullRole("gt-cancelled"), owner)
	if err == nil {
		t.Fatal("Create succeeded although its context ended")
	}
	if k := kindOf(t, err); k != KindTimeout {
		t.Errorf("kind = %v, want Timeout; error: %v", k, err)
	}
	if names := e.roleNames(t); len(names) != 0 {
		t.Errorf("roles left after cancelled Create: %v", names)
	}
	if got := e.proxy.Count("DeleteRole"); got != 1 {
		t.Errorf("DeleteRole calls = %d, want 1", got)
	}
}

func TestCreateReportsFailedCleanup(t *testing.T) {
	e := newEnv(t)
	e.proxy.Add(faultproxy.FailNth("AttachRolePolicy", 1, http.StatusConflict, "LimitExceeded"))
	e.proxy.Add(faultproxy.FailNth("DeleteRole", 1, http.StatusConflict, "DeleteConflict"))

	_, err := e.rec.Create(t.Context(), fullRole("gt-stuck"), owner)
	if err == nil {
		t.Fatal("Create succeeded despite the fault")
	}
	if k := kindOf(t, err); k != KindLimitExceeded {
		t.Errorf("kind = %v, want the original LimitExceeded", k)
	}
	for _, s := range []string{"injected LimitExceeded", "cleanup also failed", `delete role "gt-stuck" by hand`, "injected DeleteConflict"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not contain %q", err, s)
		}
	}
	if names := e.roleNames(t); !slices.Equal(names, []string{"gt-stuck"}) {
		t.Errorf("roles = %v, want the one whose deletion failed", names)
	}
}

func TestCreateRetriesWhileNewRoleIsNotVisible(t *testing.T) {
	e := newEnv(t)
	// Right after CreateRole, IAM may still answer NoSuchEntity for the new role.
	e.proxy.Add(faultproxy.FailNth("PutRolePolicy", 1, http.StatusNotFound, "NoSuchEntity"))
	e.proxy.Add(faultproxy.FailNth("AttachRolePolicy", 1, http.StatusNotFound, "NoSuchEntity"))
	desired := fullRole("gt-eventual")
	if _, err := e.rec.Create(t.Context(), desired, owner); err != nil {
		t.Fatal(err)
	}
	e.assertHolds(t, desired, owner)
	if got := e.proxy.Count("PutRolePolicy"); got != 3 {
		t.Errorf("PutRolePolicy calls = %d, want 3 (one retried)", got)
	}
	if got := e.proxy.Count("AttachRolePolicy"); got != 3 {
		t.Errorf("AttachRolePolicy calls = %d, want 3 (one retried)", got)
	}
}

// TestCreateWaitsOutASlowReadOfTheNewRole: under throttling the read that shows the new role can take longer than
// RoleWait, which bounds only how long IAM may take to show the role; the Create still succeeds on its budget.
func TestCreateWaitsOutASlowReadOfTheNewRole(t *testing.T) {
	e := newEnv(t)
	e.rec.RoleWait = 200 * time.Millisecond
	e.proxy.Add(faultproxy.Rule{Action: "GetRole", Nth: 1, Kind: faultproxy.Delay, Delay: 500 * time.Millisecond})
	desired := fullRole("gt-slow-read")
	if _, err := e.rec.Create(t.Context(), desired, owner); err != nil {
		t.Fatal(err)
	}
	e.assertHolds(t, desired, owner)
	if got := e.proxy.Count("GetRole"); got != 1 {
		t.Errorf("GetRole calls = %d, want 1", got)
	}
}

func TestCreateGivesUpOnPersistentNoSuchEntity(t *testing.T) {
	e := newEnv(t)
	desired := fullRole("gt-missing-policy")
	desired.ManagedPolicyArns = []string{"arn:aws:iam::" + account + ":policy/does-not-exist"}
	_, err := e.rec.Create(t.Context(), desired, owner)
	if k := kindOf(t, err); k != KindNotFound {
		t.Errorf("kind = %v, want NotFound; error: %v", k, err)
	}
	if got := e.proxy.Count("AttachRolePolicy"); got != clientAttempts {
		t.Errorf("AttachRolePolicy calls = %d, want %d (bounded by the client's retryer)", got, clientAttempts)
	}
	if names := e.roleNames(t); len(names) != 0 {
		t.Errorf("roles left: %v", names)
	}
}

func TestCreateRefusesBadRequestWithoutCalls(t *testing.T) {
	reserved := fullRole("gt-bad")
	reserved.Tags = append(reserved.Tags, iamdoc.Tag{Key: contract.StackIDTagKey, Value: "spoofed"})
	tests := []struct {
		name    string
		desired iamdoc.Role
		owner   Owner
		want    string
	}{
		{"invalid name", fullRole("bad/name"), owner, "not a valid IAM role name"},
		{"reserved tag", reserved, owner, "reserved prefix"},
		{"no owner", fullRole("gt-bad"), Owner{}, "owner needs both"},
	}
	e := newEnv(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.proxy.Reset()
			_, err := e.rec.Create(t.Context(), tc.desired, tc.owner)
			if k := kindOf(t, err); k != KindInvalidRequest {
				t.Errorf("kind = %v, want InvalidRequest", k)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
			if n := len(e.proxy.Requests()); n != 0 {
				t.Errorf("%d requests reached IAM, want 0", n)
			}
		})
	}
}

// TestNoSuchEntityRetriedOnlyOnANewRole checks that retrying NoSuchEntity is scoped to the calls on a role just
// created: on an existing role, a missing managed policy fails at once.
func TestNoSuchEntityRetriedOnlyOnANewRole(t *testing.T) {
	e := newEnv(t)
	desired := fullRole("gt-existing")
	if _, err := e.rec.Create(t.Context(), desired, owner); err != nil {
		t.Fatal(err)
	}
	e.proxy.Reset()
	desired.ManagedPolicyArns = append(desired.ManagedPolicyArns, "arn:aws:iam::"+account+":policy/does-not-exist")
	_, err := e.rec.Update(t.Context(), desired.RoleName, desired, owner)
	if k := kindOf(t, err); k != KindNotFound {
		t.Errorf("kind = %v, want NotFound; error: %v", k, err)
	}
	if got := e.proxy.Count("AttachRolePolicy"); got != 1 {
		t.Errorf("AttachRolePolicy calls = %d, want 1 (no retry on a role that already existed)", got)
	}
}
