package reconcile

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
)

func TestUpdateChangesEachField(t *testing.T) {
	snsInput := iamdoc.InlinePolicy{PolicyName: "SnsInput", PolicyDocument: doc(
		allow([]string{"sns:Subscribe"}, []string{"arn:aws:sns:us-east-1:" + account + ":labels-in"}),
	)}
	tests := []struct {
		name string
		from func(*iamdoc.Role) // changes fullRole before Create; nil keeps it
		to   func(*iamdoc.Role) // changes fullRole for the Update
		want []string           // write actions, in order; TagRole records the new state on every change
	}{
		{name: "trust", to: func(r *iamdoc.Role) {
			r.AssumeRolePolicyDocument.Statement[0].Condition["StringEquals"]["aws:SourceAccount"] = iamdoc.Strings{"210987654321"}
		}, want: []string{"UpdateAssumeRolePolicy", "TagRole"}},
		{name: "add inline", to: func(r *iamdoc.Role) { r.Policies = append(r.Policies, snsInput) },
			want: []string{"TagRole", "PutRolePolicy"}},
		{name: "change inline", to: func(r *iamdoc.Role) {
			r.Policies[0].PolicyDocument.Statement[0].Resource = iamdoc.Strings{"arn:aws:s3:::out-bucket/other/*"}
		}, want: []string{"TagRole", "PutRolePolicy"}},
		{name: "remove inline", to: func(r *iamdoc.Role) { r.Policies = r.Policies[:1] },
			want: []string{"TagRole", "DeleteRolePolicy"}},
		{name: "attach", to: func(r *iamdoc.Role) { r.ManagedPolicyArns = append(r.ManagedPolicyArns, managedC) },
			want: []string{"TagRole", "AttachRolePolicy"}},
		{name: "detach", to: func(r *iamdoc.Role) { r.ManagedPolicyArns = []string{managedA} },
			want: []string{"TagRole", "DetachRolePolicy"}},
		{name: "add tag", to: func(r *iamdoc.Role) { r.Tags = append(r.Tags, iamdoc.Tag{Key: "env", Value: "prod"}) },
			want: []string{"TagRole"}},
		{name: "change tag", to: func(r *iamdoc.Role) { r.Tags[0].Value = "audio" },
			want: []string{"TagRole"}},
		{name: "remove tag", to: func(r *iamdoc.Role) { r.Tags = r.Tags[1:] },
			want: []string{"UntagRole", "TagRole"}},
		{name: "remove every user tag", to: func(r *iamdoc.Role) { r.Tags = nil },
			want: []string{"UntagRole", "TagRole"}},
		{name: "description", to: func(r *iamdoc.Role) { r.Description = "new words" },
			want: []string{"UpdateRole", "TagRole"}},
		{name: "clear description", to: func(r *iamdoc.Role) { r.Description = "" },
			want: []string{"UpdateRole", "TagRole"}},
		{name: "max session", to: func(r *iamdoc.Role) { r.MaxSessionDuration = 43200 },
			want: []string{"UpdateRole", "TagRole"}},
		{name: "default max session", to: func(r *iamdoc.Role) { r.MaxSessionDuration = 0 },
			want: []string{"UpdateRole", "TagRole"}},
		{name: "add boundary", from: func(r *iamdoc.Role) { r.PermissionsBoundary = "" },
			to: func(*iamdoc.Role) {}, want: []string{"PutRolePermissionsBoundary", "TagRole"}},
		{name: "change boundary", to: func(r *iamdoc.Role) { r.PermissionsBoundary = boundary2 },
			want: []string{"PutRolePermissionsBoundary", "TagRole"}},
		{name: "remove boundary", to: func(r *iamdoc.Role) { r.PermissionsBoundary = "" },
			want: []string{"DeleteRolePermissionsBoundary", "TagRole"}},
		{name: "everything", to: func(r *iamdoc.Role) {
			r.AssumeRolePolicyDocument.Statement[0].Principal.Service = iamdoc.Strings{"sagemaker.amazonaws.com", "lambda.amazonaws.com"}
			r.Description = "all new"
			r.PermissionsBoundary = boundary2
			r.Tags = []iamdoc.Tag{{Key: "team", Value: "audio"}}
			r.Policies = []iamdoc.InlinePolicy{snsInput}
			r.ManagedPolicyArns = []string{managedC}
		}, want: []string{"UpdateAssumeRolePolicy", "UpdateRole", "PutRolePermissionsBoundary", "UntagRole", "TagRole",
			"DeleteRolePolicy", "DeleteRolePolicy", "PutRolePolicy", "DetachRolePolicy", "DetachRolePolicy", "AttachRolePolicy"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			from := fullRole("gt-update")
			if tc.from != nil {
				tc.from(&from)
			}
			if _, err := e.rec.Create(t.Context(), from, owner); err != nil {
				t.Fatal(err)
			}
			to := fullRole("gt-update")
			tc.to(&to)

			e.proxy.Reset()
			named := owner // the stack names the role it updates in place, whatever its trust has become
			named.Named = "gt-update"
			res, err := e.rec.Update(t.Context(), "gt-update", to, named)
			if err != nil {
				t.Fatal(err)
			}
			if res.RoleName != "gt-update" || res.Arn == "" || res.RoleID == "" || res.Path != "/groundtruth/" {
				t.Errorf("result = %+v", res)
			}
			if got := e.writes(); !slices.Equal(got, tc.want) {
				t.Errorf("writes = %v, want %v", got, tc.want)
			}
			e.assertHolds(t, to, owner)

			// What the Update wrote reads back as equal: the same Update again writes nothing.
			e.proxy.Reset()
			if _, err := e.rec.Update(t.Context(), "gt-update", to, named); err != nil {
				t.Fatal(err)
			}
			if got := e.writes(); len(got) != 0 {
				t.Errorf("repeated Update wrote %v, want nothing", got)
			}
		})
	}
}

func TestUpdateNoOpWritesNothing(t *testing.T) {
	e := newEnv(t)
	if _, err := e.rec.Create(t.Context(), fullRole("gt-noop"), owner); err != nil {
		t.Fatal(err)
	}

	// The same role written differently: statements, lists, tags and ARNs reordered, duplicates added.
	same := fullRole("gt-noop")
	slices.Reverse(same.Tags)
	slices.Reverse(same.Policies)
	in := &same.Policies[0].PolicyDocument // S3Input, after the reverse
	slices.Reverse(in.Statement)
	in.Statement[1].Action = iamdoc.Strings{"s3:GetBucketLocation", "s3:GetObject", "s3:GetObject"}
	same.ManagedPolicyArns = []string{managedA, managedB, managedA}

	e.proxy.Reset()
	if _, err := e.rec.Update(t.Context(), "gt-noop", same, owner); err != nil {
		t.Fatal(err)
	}
	if got := e.writes(); len(got) != 0 {
		t.Errorf("no-op Update wrote %v, want nothing", got)
	}
	if reads := len(e.proxy.Requests()); reads == 0 {
		t.Error("no-op Update made no calls at all; it must read the role")
	}
}

func TestUpdateRollbackIsAnUpdate(t *testing.T) {
	e := newEnv(t)
	old := fullRole("gt-rollback")
	if _, err := e.rec.Create(t.Context(), old, owner); err != nil {
		t.Fatal(err)
	}
	changed := fullRole("gt-rollback")
	changed.Policies = changed.Policies[:1]
	changed.ManagedPolicyArns = []string{managedC}
	changed.PermissionsBoundary = ""
	changed.Tags = nil

	// The Update fails half-way; CloudFormation then sends the old properties back.
	e.proxy.Add(faultproxy.FailNth("AttachRolePolicy", 1, http.StatusConflict, "LimitExceeded"))
	if _, err := e.rec.Update(t.Context(), "gt-rollback", changed, owner); err == nil {
		t.Fatal("Update succeeded despite the fault")
	}
	if _, err := e.rec.Update(t.Context(), "gt-rollback", old, owner); err != nil {
		t.Fatalf("rollback Update: %v", err)
	}
	e.assertHolds(t, old, owner)
}

func TestUpdateRewritesPolicyItCannotRead(t *testing.T) {
	e := newEnv(t)
	desired := fullRole("gt-unreadable")
	if _, err := e.rec.Create(t.Context(), desired, owner); err != nil {
		t.Fatal(err)
	}
	// NotAction is valid IAM but not part of iamdoc.Document, so the strict parse fails and it counts as different.
	if _, err := e.direct.PutRolePolicy(t.Context(), &iam.PutRolePolicyInput{
		RoleName: aws.String("gt-unreadable"), PolicyName: aws.String("S3Input"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"s3:DeleteObject","Resource":"*"}]}`),
	}); err != nil {
		t.Fatal(err)
	}
	e.proxy.Reset()
	if _, err := e.rec.Update(t.Context(), "gt-unreadable", desired, owner); err != nil {
		t.Fatal(err)
	}
	if got := e.writes(); !slices.Equal(got, []string{"PutRolePolicy"}) {
		t.Errorf("writes = %v, want one PutRolePolicy", got)
	}
	e.assertHolds(t, desired, owner)
}

// TestUpdateRecreatesAMissingRole: a role deleted outside CloudFormation is created again by the next Update, so
// neither that Update nor the rollback Update after a failure is stuck on a role that no longer exists.
func TestUpdateRecreatesAMissingRole(t *testing.T) {
	e := newEnv(t)
	desired := fullRole("gt-gone")
	res, err := e.rec.Update(t.Context(), "gt-gone", desired, owner)
	if err != nil {
		t.Fatal(err)
	}
	if res.RoleName != "gt-gone" || res.RoleID == "" {
		t.Errorf("result = %+v, want the recreated role gt-gone with a RoleId", res)
	}
	if got := e.writes(); !slices.Contains(got, "CreateRole") {
		t.Errorf("writes = %v, want a CreateRole", got)
	}
	e.assertHolds(t, desired, owner)
}

func TestUpdateRefuses(t *testing.T) {
	moved := fullRole("gt-refuse")
	moved.Path = "/elsewhere/"
	tests := []struct {
		name     string
		arrange  func(t *testing.T, e *env)
		role     string
		desired  iamdoc.Role
		wantKind Kind
		want     []string
	}{
		{
			name: "not owned",
			arrange: func(t *testing.T, e *env) {
				if _, err := e.direct.CreateRole(t.Context(), &iam.CreateRoleInput{
					RoleName: aws.String("gt-refuse"), Path: aws.String("/groundtruth/"),
					AssumeRolePolicyDocument: aws.String(sagemakerTrust().String()),
					Tags:                     []types.Tag{{Key: aws.String(contract.StackIDTagKey), Value: aws.String("arn:other")}},
				}); err != nil {
					t.Fatal(err)
				}
			},
			role: "gt-refuse", desired: fullRole("gt-refuse"), wantKind: KindNotOwned,
			want: []string{`role "gt-refuse" is not owned by this stack`, "arn:other", "choose another RoleName"},
		},
		{
			name: "rename", role: "gt-refuse", desired: fullRole("gt-other-name"), wantKind: KindInvalidRequest,
			want: []string{`the desired role is named "gt-other-name"`},
		},
		{
			name: "path change",
			arrange: func(t *testing.T, e *env) {
				if _, err := e.rec.Create(t.Context(), fullRole("gt-refuse"), owner); err != nil {
					t.Fatal(err)
				}
			},
			role: "gt-refuse", desired: moved, wantKind: KindInvalidRequest,
			want: []string{`path is "/groundtruth/" but the desired path is "/elsewhere/"`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			if tc.arrange != nil {
				tc.arrange(t, e)
			}
			e.proxy.Reset()
			_, err := e.rec.Update(t.Context(), tc.role, tc.desired, owner)
			if k := kindOf(t, err); k != tc.wantKind {
				t.Errorf("kind = %v, want %v; error: %v", k, tc.wantKind, err)
			}
			for _, s := range tc.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
			if got := e.writes(); len(got) != 0 {
				t.Errorf("refused Update wrote %v", got)
			}
		})
	}
}
