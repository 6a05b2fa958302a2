package reconcile

import (
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
)

func TestValidRoleName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"gt-role", true},
		{"a+b=c,d.e@f_g-h", true},
		{strings.Repeat("r", 64), true},
		{strings.Repeat("r", 65), false},
		{"", false},
		{"has space", false},
		{"path/name", false},
		{"arn:aws:iam::123456789012:role/x", false},
	}
	for _, tc := range tests {
		if got := ValidRoleName(tc.name); got != tc.ok {
			t.Errorf("ValidRoleName(%q) = %v, want %v", tc.name, got, tc.ok)
		}
	}
}

func TestCheckDesired(t *testing.T) {
	ok := iamdoc.Role{RoleName: "gt", Path: "/groundtruth/"}
	tests := []struct {
		name   string
		change func(*iamdoc.Role)
		want   []string // substrings of the error; none means valid
	}{
		{name: "valid"},
		{name: "default path", change: func(r *iamdoc.Role) { r.Path = "" }},
		{name: "root path", change: func(r *iamdoc.Role) { r.Path = "/" }},
		{name: "nested path", change: func(r *iamdoc.Role) { r.Path = "/a/b/" }},
		{name: "path without trailing slash", change: func(r *iamdoc.Role) { r.Path = "/a" }, want: []string{`path "/a"`}},
		{name: "path with space", change: func(r *iamdoc.Role) { r.Path = "/a b/" }, want: []string{`path "/a b/"`}},
		{name: "path too long", change: func(r *iamdoc.Role) { r.Path = "/" + strings.Repeat("p", 511) + "/" }, want: []string{"at most 512"}},
		{name: "bad name", change: func(r *iamdoc.Role) { r.RoleName = "a b" }, want: []string{`role name "a b"`}},
		// One path rule everywhere (contract.ValidPath): a wildcard or policy variable never reaches a role ARN.
		{name: "path with wildcard", change: func(r *iamdoc.Role) { r.Path = "/gt*/" }, want: []string{`path "/gt*/"`}},
		{name: "path with policy variable", change: func(r *iamdoc.Role) { r.Path = "/${aws:username}/" }, want: []string{`path "/${aws:username}/"`}},
		// The reserved prefix is reserved in any letter case, as spec already checks it.
		{name: "reserved prefix upper case", change: func(r *iamdoc.Role) { r.Tags = []iamdoc.Tag{{Key: "GTROLE:cloudformation:stack-id", Value: "x"}} }, want: []string{"reserved prefix"}},
		{name: "reserved prefix mixed case", change: func(r *iamdoc.Role) { r.Tags = []iamdoc.Tag{{Key: "GtRole:x", Value: "x"}} }, want: []string{"reserved prefix"}},
		{name: "every problem at once", change: func(r *iamdoc.Role) {
			r.Tags = []iamdoc.Tag{{Key: contract.LogicalIDTagKey, Value: "x"}, {Key: "k", Value: "1"}, {Key: "k", Value: "2"}}
			r.Policies = []iamdoc.InlinePolicy{{PolicyName: "P"}, {PolicyName: "P"}, {}}
		}, want: []string{"reserved prefix", `tag key "k" is given twice`, `inline policy "P" is given twice`, "has no name"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := ok
			if tc.change != nil {
				tc.change(&r)
			}
			err := checkDesired("create role", r)
			if len(tc.want) == 0 {
				if err != nil {
					t.Errorf("checkDesired: %v", err)
				}
				return
			}
			if k := KindOf(err); k != KindInvalidRequest {
				t.Fatalf("kind = %v, want InvalidRequest (error %v)", k, err)
			}
			for _, s := range tc.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
		})
	}
}
