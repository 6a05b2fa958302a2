package drift

import (
	"context"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/reconcile"
	"github.com/gtrole/groundtruth-execution-role/test/moto"
)

const account = moto.AccountID

// desiredRole is a role as the provider makes one. Its documents hold characters that URL encoding changes
// ("+", " ", "%", "/"), in an inline policy and in the trust policy, so a bulk answer decoded wrongly shows as drift.
func desiredRole(name string) iamdoc.Role {
	return iamdoc.Role{
		RoleName: name, Path: "/groundtruth/", Description: "labeling + review", MaxSessionDuration: 7200,
		Tags: []iamdoc.Tag{{Key: "team", Value: "vision"}},
		AssumeRolePolicyDocument: iamdoc.Document{Version: iamdoc.Version, Statement: []iamdoc.Statement{{
			Effect: iamdoc.Allow, Principal: &iamdoc.Principal{Service: iamdoc.Strings{"sagemaker.amazonaws.com"}},
			Action:    iamdoc.Strings{"sts:AssumeRole"},
			Condition: iamdoc.Condition{"ArnLike": {"aws:SourceArn": {"arn:aws:sagemaker:us-east-1:" + account + ":labeling-job/a+b*"}}},
		}}},
		Policies: []iamdoc.InlinePolicy{
			{PolicyName: "GroundTruthS3", PolicyDocument: iamdoc.Document{Version: iamdoc.Version, Statement: []iamdoc.Statement{{
				Effect: iamdoc.Allow, Action: iamdoc.Strings{"s3:GetObject"}, Resource: iamdoc.Strings{"arn:aws:s3:::in/a+b c%20d/*"},
			}}}},
			{PolicyName: "GroundTruthLogs", PolicyDocument: iamdoc.Document{Version: iamdoc.Version, Statement: []iamdoc.Statement{{
				Effect: iamdoc.Allow, Action: iamdoc.Strings{"logs:PutLogEvents"}, Resource: iamdoc.Strings{"*"},
			}}}},
		},
	}
}

// account holds roles of every kind an audit meets; names lists the owned ones under /groundtruth/.
func arrange(t *testing.T, direct *iam.Client) (owned []string) {
	t.Helper()
	ctx := t.Context()
	rec := &reconcile.Reconciler{IAM: direct, Settle: 5 * time.Millisecond}
	owner := reconcile.Owner{StackID: "arn:aws:cloudformation:us-east-1:" + account + ":stack/s/1", LogicalID: "Role"}
	for i := range 5 {
		name := "gt-" + strconv.Itoa(i)
		if _, err := rec.Create(ctx, desiredRole(name), reconcile.Owner{StackID: owner.StackID, LogicalID: owner.LogicalID + strconv.Itoa(i)}); err != nil {
			t.Fatal(err)
		}
		owned = append(owned, name)
	}
	// gt-1: an inline policy widened by hand; gt-2: a policy added and a managed one attached.
	if _, err := direct.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("gt-1"), PolicyName: aws.String("GroundTruthS3"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := direct.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("gt-2"), PolicyName: aws.String("Extra"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)}); err != nil {
		t.Fatal(err)
	}
	trust := aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)
	for _, in := range []*iam.CreateRoleInput{
		{RoleName: aws.String("unowned"), Path: aws.String("/groundtruth/"), AssumeRolePolicyDocument: trust},
		{RoleName: aws.String("unrecorded"), Path: aws.String("/groundtruth/"), AssumeRolePolicyDocument: trust, Tags: []types.Tag{
			{Key: aws.String(contract.StackIDTagKey), Value: aws.String(owner.StackID)}, {Key: aws.String(contract.LogicalIDTagKey), Value: aws.String("Old")}}},
		{RoleName: aws.String("elsewhere"), Path: aws.String("/other/"), AssumeRolePolicyDocument: trust, Tags: []types.Tag{
			{Key: aws.String(contract.StackIDTagKey), Value: aws.String(owner.StackID)}, {Key: aws.String(contract.LogicalIDTagKey), Value: aws.String("X")}}},
	} {
		if _, err := direct.CreateRole(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	return append(owned, "unrecorded")
}

// TestBulkAuditReadsAsPerRole audits one account in bulk, through IAM's pages of any size, and role by role: the
// findings are the same, and the bulk audit makes one ListRoles and one GetAccountAuthorizationDetails call per page
// and nothing per role.
func TestBulkAuditReadsAsPerRole(t *testing.T) {
	srv := moto.StartT(t)
	direct := iam.NewFromConfig(srv.Config(t.Context()))
	owned := arrange(t, direct)

	named, err := (&Auditor{IAM: direct}).AuditRoles(t.Context(), owned)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Status{"gt-0": InSync, "gt-1": Modified, "gt-2": Modified, "gt-3": InSync, "gt-4": InSync, "unrecorded": NotRecorded}
	if got := statuses(named); !reflect.DeepEqual(got, want) {
		t.Fatalf("per-role audit: %v, want %v", got, want)
	}
	for _, page := range []int{0, 1, 3} { // 0: moto's own answer, one page
		t.Run("page "+strconv.Itoa(page), func(t *testing.T) {
			client := &countingIAM{IAM: direct, page: page}
			bulk, err := (&Auditor{IAM: client}).Audit(t.Context(), "/groundtruth/")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(bulk.Findings, named.Findings) {
				t.Errorf("bulk findings\n%+v\nwant (per role)\n%+v", bulk.Findings, named.Findings)
			}
			if bulk.Skipped != 1 {
				t.Errorf("skipped %d, want 1 (unowned)", bulk.Skipped)
			}
			listPages, detailPages := 1, 1
			if page > 0 {
				listPages = (len(owned) + 1 + page - 1) / page // the roles under /groundtruth/
				detailPages = (len(owned) + 2 + page - 1) / page
			}
			wantCalls := map[string]int{"ListRoles": listPages, "GetAccountAuthorizationDetails": detailPages}
			if !reflect.DeepEqual(client.calls, wantCalls) || bulk.Calls != listPages+detailPages {
				t.Errorf("calls %v (report %d), want %v", client.calls, bulk.Calls, wantCalls)
			}
		})
	}
}

func statuses(r Report) map[string]Status {
	m := map[string]Status{}
	for _, f := range r.Findings {
		m[f.RoleName] = f.Status
	}
	return m
}

// countingIAM counts calls by action and, when page > 0, serves ListRoles and GetAccountAuthorizationDetails in
// pages of that many roles from moto's answer (moto 5.2.1 ignores MaxItems and answers in one page), honouring the
// caller's MaxItems and Marker as IAM does.
type countingIAM struct {
	IAM
	page  int
	calls map[string]int
}

func (c *countingIAM) count(action string) {
	if c.calls == nil {
		c.calls = map[string]int{}
	}
	c.calls[action]++
}

func (c *countingIAM) GetRole(ctx context.Context, in *iam.GetRoleInput, o ...func(*iam.Options)) (*iam.GetRoleOutput, error) {
	c.count("GetRole")
	return c.IAM.GetRole(ctx, in, o...)
}

func (c *countingIAM) GetRolePolicy(ctx context.Context, in *iam.GetRolePolicyInput, o ...func(*iam.Options)) (*iam.GetRolePolicyOutput, error) {
	c.count("GetRolePolicy")
	return c.IAM.GetRolePolicy(ctx, in, o...)
}

// window returns the slice of n items a page starting at marker holds, and the next marker ("" when none).
func (c *countingIAM) window(t int, marker *string, maxItems *int32) (from, to int, next *string) {
	size := c.page
	if maxItems != nil && int(*maxItems) < size {
		size = int(*maxItems)
	}
	if marker != nil {
		from, _ = strconv.Atoi(*marker)
	}
	to = min(from+size, t)
	if to < t {
		next = aws.String(strconv.Itoa(to))
	}
	return from, to, next
}

func (c *countingIAM) ListRoles(ctx context.Context, in *iam.ListRolesInput, o ...func(*iam.Options)) (*iam.ListRolesOutput, error) {
	c.count("ListRoles")
	if c.page == 0 {
		return c.IAM.ListRoles(ctx, in, o...)
	}
	all, err := c.IAM.ListRoles(ctx, &iam.ListRolesInput{PathPrefix: in.PathPrefix}, o...)
	if err != nil || all.IsTruncated {
		return nil, errOr(err)
	}
	from, to, next := c.window(len(all.Roles), in.Marker, in.MaxItems)
	return &iam.ListRolesOutput{Roles: all.Roles[from:to], IsTruncated: next != nil, Marker: next}, nil
}

func (c *countingIAM) GetAccountAuthorizationDetails(ctx context.Context, in *iam.GetAccountAuthorizationDetailsInput, o ...func(*iam.Options)) (*iam.GetAccountAuthorizationDetailsOutput, error) {
	c.count("GetAccountAuthorizationDetails")
	if !slices.Equal(in.Filter, []types.EntityType{types.EntityTypeRole}) {
		return nil, errOr(nil)
	}
	if c.page == 0 {
		return c.IAM.GetAccountAuthorizationDetails(ctx, in, o...)
	}
	all, err := c.IAM.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Filter: in.Filter}, o...)
	if err != nil || all.IsTruncated {
		return nil, errOr(err)
	}
	from, to, next := c.window(len(all.RoleDetailList), in.Marker, in.MaxItems)
	return &iam.GetAccountAuthorizationDetailsOutput{RoleDetailList: all.RoleDetailList[from:to], IsTruncated: next != nil, Marker: next}, nil
}

type unexpected struct{}

func (unexpected) Error() string { return "the test IAM got a request it does not serve" }

func errOr(err error) error {
	if err != nil {
		return err
	}
	return unexpected{}
}
