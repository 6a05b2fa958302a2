package reconcile

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gtrole/groundtruth-execution-role/lambda/budget"
	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
)

// A CreateRole whose answer is lost to the deadline may still land in IAM afterwards; the cleanup, running on the
// budget that outlives the work context, watches for it and removes it before Create returns.
func TestCreateRoleLandingAfterTheDeadlineIsRemoved(t *testing.T) {
	e := newEnv(t)
	const lands = 600 * time.Millisecond
	e.proxy.Add(faultproxy.Rule{Action: "CreateRole", Nth: 1, Kind: faultproxy.Late, Delay: lands})
	start := time.Now()
	ctx := budget.WithCleanupUntil(withTimeout(t, 200*time.Millisecond), start.Add(5*time.Second))

	_, err := e.rec.Create(ctx, fullRole("gt-late"), owner)
	if k := kindOf(t, err); k != KindTimeout {
		t.Fatalf("kind = %v, want Timeout; error: %v", k, err)
	}
	if el := time.Since(start); el < lands {
		t.Errorf("Create returned after %s, before the late CreateRole landed (%s): it would escape", el, lands)
	}
	time.Sleep(time.Until(start.Add(2 * lands))) // long after the landing
	if names := e.roleNames(t); len(names) != 0 {
		t.Errorf("roles left after a CreateRole that landed late: %v", names)
	}
	if got := e.proxy.Count("DeleteRole"); got != 1 {
		t.Errorf("DeleteRole calls = %d, want 1", got)
	}
}

// What escapes anyway carries its creating token, so the next request of the resource can remove it; a complete role
// or another owner's is never touched.
func TestRemoveUnfinished(t *testing.T) {
	other := owner
	other.LogicalID = "OtherRole"
	tests := []struct {
		name        string
		tags        map[string]string
		wantRemoved bool
	}{
		{"unfinished, ours", withCreating(owner.tags()), true},
		{"complete, ours", owner.tags(), false},
		{"unfinished, other resource's", withCreating(other.tags()), false},
		{"untagged", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			in := &iam.CreateRoleInput{RoleName: aws.String("gt-left"), Path: aws.String("/groundtruth/"), AssumeRolePolicyDocument: aws.String(sagemakerTrust().String())}
			for k, v := range tc.tags {
				in.Tags = append(in.Tags, types.Tag{Key: aws.String(k), Value: aws.String(v)})
			}
			if _, err := e.direct.CreateRole(t.Context(), in); err != nil {
				t.Fatal(err)
			}
			if _, err := e.direct.PutRolePolicy(t.Context(), &iam.PutRolePolicyInput{RoleName: aws.String("gt-left"),
				PolicyName: aws.String("P"), PolicyDocument: aws.String(doc(allow([]string{"s3:GetObject"}, []string{"arn:aws:s3:::b/*"})).String())}); err != nil {
				t.Fatal(err)
			}
			ex, err := e.rec.Inspect(t.Context(), "gt-left", owner)
			if err != nil {
				t.Fatal(err)
			}
			_, unfinished := tc.tags[contract.CreatingTagKey]
			if want := (Existing{Exists: true, Owned: owner.owns(tc.tags), Path: "/groundtruth/", Unfinished: unfinished}); ex != want {
				t.Errorf("Inspect = %+v, want %+v", ex, want)
			}
			removed, err := e.rec.RemoveUnfinished(t.Context(), "gt-left", owner)
			if err != nil || removed != tc.wantRemoved {
				t.Fatalf("RemoveUnfinished = %v, %v; want %v", removed, err, tc.wantRemoved)
			}
			want := []string{"gt-left"}
			if tc.wantRemoved {
				want = nil
			}
			if names := e.roleNames(t); !slices.Equal(names, want) {
				t.Errorf("roles = %v, want %v", names, want)
			}
		})
	}
	e := newEnv(t)
	for _, name := range []string{"gt-missing", "not/a/name"} {
		if ex, err := e.rec.Inspect(t.Context(), name, owner); err != nil || ex.Exists {
			t.Errorf("Inspect(%q) = %+v, %v; want not existing", name, ex, err)
		}
	}
}

func withCreating(tags map[string]string) map[string]string {
	tags[contract.CreatingTagKey] = "token"
	return tags
}
