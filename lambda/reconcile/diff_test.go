package reconcile

import (
	"maps"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/record"
)

func TestDiff(t *testing.T) {
	s3 := doc(allow([]string{"s3:GetObject"}, []string{"arn:aws:s3:::b/*"}))
	s3Reordered := doc(allow([]string{"s3:GetObject", "s3:GetObject"}, []string{"arn:aws:s3:::b/*"}))
	s3Other := doc(allow([]string{"s3:PutObject"}, []string{"arn:aws:s3:::b/*"}))
	trust := sagemakerTrust()

	desiredBase := func() iamdoc.Role {
		return iamdoc.Role{
			RoleName: "r", Description: "d", PermissionsBoundary: "arn:b1",
			Tags:                     []iamdoc.Tag{{Key: "team", Value: "v"}},
			AssumeRolePolicyDocument: sagemakerTrust(),
			Policies:                 []iamdoc.InlinePolicy{{PolicyName: "S3", PolicyDocument: s3}},
			ManagedPolicyArns:        []string{"arn:m1"},
		}
	}
	// base is a role IAM holds exactly as desiredBase asks, with desiredBase's record.
	base := func() actual {
		return actual{
			role: &types.Role{
				RoleName:            aws.String("r"),
				Description:         aws.String("d"),
				MaxSessionDuration:  aws.Int32(3600),
				PermissionsBoundary: &types.AttachedPermissionsBoundary{PermissionsBoundaryArn: aws.String("arn:b1")},
			},
			tags:    recorded(t, desiredBase(), map[string]string{contract.StackIDTagKey: owner.StackID, contract.LogicalIDTagKey: owner.LogicalID, "team": "v"}),
			trust:   &trust,
			inline:  map[string]*iamdoc.Document{"S3": &s3},
			managed: []string{"arn:m1"},
		}
	}
	tests := []struct {
		name    string
		actual  func(*actual)
		desired func(*iamdoc.Role)
		want    changes
	}{
		{name: "equal", want: changes{}},
		{name: "equivalent documents", desired: func(d *iamdoc.Role) { d.Policies[0].PolicyDocument = s3Reordered }, want: changes{}},
		{name: "unset session means IAM's default", actual: func(a *actual) { a.role.MaxSessionDuration = nil }, want: changes{}},
		{name: "trust unreadable", actual: func(a *actual) { a.trust = nil }, want: changes{trust: &trust}},
		{name: "trust differs", desired: func(d *iamdoc.Role) { d.AssumeRolePolicyDocument = s3 }, want: changes{trust: &s3}},
		{name: "description", desired: func(d *iamdoc.Role) { d.Description = "" },
			want: changes{updateRole: true, description: "", maxSession: 3600}},
		{name: "session", desired: func(d *iamdoc.Role) { d.MaxSessionDuration = 7200 },
			want: changes{updateRole: true, description: "d", maxSession: 7200}},
		{name: "boundary removed", desired: func(d *iamdoc.Role) { d.PermissionsBoundary = "" }, want: changes{deleteBoundary: true}},
		{name: "boundary added", actual: func(a *actual) { a.role.PermissionsBoundary = nil }, want: changes{putBoundary: "arn:b1"}},
		{name: "boundary changed", desired: func(d *iamdoc.Role) { d.PermissionsBoundary = "arn:b2" }, want: changes{putBoundary: "arn:b2"}},
		{name: "ownership tags are kept and restored",
			actual:  func(a *actual) { delete(a.tags, contract.LogicalIDTagKey); a.tags["old"] = "x" },
			desired: func(d *iamdoc.Role) { d.Tags = nil },
			want: changes{untag: []string{"old", "team"},
				tag: []iamdoc.Tag{{Key: contract.LogicalIDTagKey, Value: owner.LogicalID}}}},
		{name: "tag value", desired: func(d *iamdoc.Role) { d.Tags[0].Value = "w" }, want: changes{tag: []iamdoc.Tag{{Key: "team", Value: "w"}}}},
		{name: "inline unreadable", actual: func(a *actual) { a.inline["S3"] = nil },
			want: changes{putInline: []iamdoc.InlinePolicy{{PolicyName: "S3", PolicyDocument: s3}}}},
		{name: "inline changed, added, removed",
			actual: func(a *actual) { a.inline["Gone"] = &s3; a.inline["Another"] = &s3 },
			desired: func(d *iamdoc.Role) {
				d.Policies = []iamdoc.InlinePolicy{{PolicyName: "S3", PolicyDocument: s3Other}, {PolicyName: "New", PolicyDocument: s3}}
			},
			want: changes{deleteInline: []string{"Another", "Gone"},
				putInline: []iamdoc.InlinePolicy{{PolicyName: "New", PolicyDocument: s3}, {PolicyName: "S3", PolicyDocument: s3Other}}}},
		{name: "managed", desired: func(d *iamdoc.Role) { d.ManagedPolicyArns = []string{"arn:m3", "arn:m2", "arn:m2"} },
			want: changes{detach: []string{"arn:m1"}, attach: []string{"arn:m2", "arn:m3"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, d := base(), desiredBase()
			if tc.actual != nil {
				tc.actual(&a)
			}
			if tc.desired != nil {
				tc.desired(&d)
			}
			got := diff(a, d, owner)
			got.tag = withoutRecord(t, got.tag, d, a.tags)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("diff =\n%+v\nwant\n%+v", got, tc.want)
			}
			if (got.count() == 0) != reflect.DeepEqual(tc.want, changes{}) {
				t.Errorf("count() = %d for %+v", got.count(), got)
			}
		})
	}
}

// recorded returns tags plus the record of desired.
func recorded(t *testing.T, desired iamdoc.Role, tags map[string]string) map[string]string {
	t.Helper()
	rec, err := record.Of(desired).Encode()
	if err != nil {
		t.Fatal(err)
	}
	maps.Copy(tags, rec)
	return tags
}

// withoutRecord checks that the tags to write carry desired's record exactly where the role's record differs, and
// returns them without it; nil when nothing else is left.
func withoutRecord(t *testing.T, tags []iamdoc.Tag, desired iamdoc.Role, have map[string]string) []iamdoc.Tag {
	t.Helper()
	want, err := record.Of(desired).Encode()
	if err != nil {
		t.Fatal(err)
	}
	var rest []iamdoc.Tag
	seen := map[string]bool{}
	for _, tg := range tags {
		if w, isRecord := want[tg.Key]; isRecord {
			seen[tg.Key] = true
			if tg.Value != w {
				t.Errorf("record tag %s = %q, want %q", tg.Key, tg.Value, w)
			}
			continue
		}
		rest = append(rest, tg)
	}
	for k, w := range want {
		if have[k] != w && !seen[k] {
			t.Errorf("record tag %s is stale (%q) but not rewritten to %q", k, have[k], w)
		}
	}
	return rest
}

func TestDecodeDocument(t *testing.T) {
	tests := []struct {
		name    string
		encoded string
		ok      bool
	}{
		{"url-encoded", "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D", true},
		{"plain", `{"Version":"2012-10-17","Statement":[]}`, true},
		{"unknown field", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"s3:*","Resource":"*"}]}`, false},
		{"bad escape", "%zz", false},
		{"not json", "nope", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := decodeDocument(tc.encoded); (got != nil) != tc.ok {
				t.Errorf("decodeDocument(%q) = %v, want ok=%v", tc.encoded, got, tc.ok)
			}
		})
	}
}
