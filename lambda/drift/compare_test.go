package drift

import (
	"slices"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/record"
)

func TestCompare(t *testing.T) {
	s3 := iamdoc.Document{Version: iamdoc.Version, Statement: []iamdoc.Statement{
		{Effect: iamdoc.Allow, Action: iamdoc.Strings{"s3:GetObject", "s3:PutObject"}, Resource: iamdoc.Strings{"arn:aws:s3:::b/*"}},
	}}
	s3Reordered := iamdoc.Document{Version: iamdoc.Version, Statement: []iamdoc.Statement{
		{Effect: iamdoc.Allow, Action: iamdoc.Strings{"s3:PutObject", "s3:GetObject", "s3:GetObject"}, Resource: iamdoc.Strings{"arn:aws:s3:::b/*"}},
	}}
	wide := iamdoc.Document{Version: iamdoc.Version, Statement: []iamdoc.Statement{
		{Effect: iamdoc.Allow, Action: iamdoc.Strings{"s3:*"}, Resource: iamdoc.Strings{"*"}},
	}}
	trust := iamdoc.Document{Version: iamdoc.Version, Statement: []iamdoc.Statement{{
		Effect: iamdoc.Allow, Principal: &iamdoc.Principal{Service: iamdoc.Strings{"sagemaker.amazonaws.com"}}, Action: iamdoc.Strings{"sts:AssumeRole"},
	}}}
	gtManaged := "arn:aws:iam::aws:policy/AmazonSageMakerGroundTruthExecution"
	admin := "arn:aws:iam::aws:policy/AdministratorAccess"
	desired := iamdoc.Role{
		RoleName: "r", Description: "labeling", MaxSessionDuration: 7200,
		PermissionsBoundary:      "arn:aws:iam::123456789012:policy/b1",
		Tags:                     []iamdoc.Tag{{Key: "team", Value: "vision"}},
		AssumeRolePolicyDocument: trust,
		Policies:                 []iamdoc.InlinePolicy{{PolicyName: "GroundTruthS3", PolicyDocument: s3}, {PolicyName: "GroundTruthKms", PolicyDocument: s3}},
		ManagedPolicyArns:        []string{gtManaged},
	}
	rec := record.Of(desired)
	// held is the role exactly as desired, as IAM shows it: reserved tags next to the user's.
	held := func() observed {
		return observed{
			trust: &trust, description: "labeling", maxSession: 7200, boundary: "arn:aws:iam::123456789012:policy/b1",
			tags:        []iamdoc.Tag{{Key: "gtrole:cloudformation:stack-id", Value: "s"}, {Key: "team", Value: "vision"}},
			inlineNames: []string{"GroundTruthKms", "GroundTruthS3"},
			inline:      map[string]*iamdoc.Document{"GroundTruthS3": &s3Reordered, "GroundTruthKms": &s3},
			managed:     []string{gtManaged},
		}
	}
	known := map[string]string{record.Text(gtManaged): gtManaged}
	tests := []struct {
		name   string
		change func(*observed)
		known  map[string]string
		want   []string
	}{
		{"in sync, documents equal by meaning", func(*observed) {}, known, nil},
		{"trust widened", func(o *observed) {
			w := trust
			w.Statement = append(slices.Clone(w.Statement), iamdoc.Statement{Effect: iamdoc.Allow,
				Principal: &iamdoc.Principal{AWS: iamdoc.Strings{"arn:aws:iam::210987654321:root"}}, Action: iamdoc.Strings{"sts:AssumeRole"}})
			o.trust = &w
		}, known, []string{"trust policy changed"}},
		{"trust unreadable", func(o *observed) { o.trust = nil }, known, []string{"trust policy changed"}},
		{"inline added", func(o *observed) { o.inlineNames = []string{"Extra", "GroundTruthKms", "GroundTruthS3"} }, known,
			[]string{"inline policy Extra added"}},
		{"inline changed", func(o *observed) { o.inline["GroundTruthS3"] = &wide }, known, []string{"inline policy GroundTruthS3 changed"}},
		{"inline unreadable", func(o *observed) { o.inline["GroundTruthS3"] = nil }, known, []string{"inline policy GroundTruthS3 changed"}},
		{"inline removed", func(o *observed) { o.inlineNames = []string{"GroundTruthS3"}; delete(o.inline, "GroundTruthKms") }, known,
			[]string{"inline policy GroundTruthKms removed"}},
		{"managed attached", func(o *observed) { o.managed = []string{admin, gtManaged} }, known,
			[]string{"managed policy " + admin + " attached"}},
		{"managed detached, known", func(o *observed) { o.managed = nil }, known, []string{"managed policy " + gtManaged + " detached"}},
		{"managed detached, unknown", func(o *observed) { o.managed = nil }, nil,
			[]string{"managed policy detached (recorded as digest " + record.Text(gtManaged) + "; not one of this tool's known ARNs)"}},
		{"boundary removed", func(o *observed) { o.boundary = "" }, known, []string{"permissions boundary removed"}},
		{"boundary changed", func(o *observed) { o.boundary = "arn:aws:iam::123456789012:policy/b2" }, known,
			[]string{"permissions boundary changed to arn:aws:iam::123456789012:policy/b2"}},
		{"description", func(o *observed) { o.description = "" }, known, []string{"description changed"}},
		{"session", func(o *observed) { o.maxSession = 43200 }, known, []string{"maximum session duration changed to 43200 s (recorded 7200 s)"}},
		{"tag value", func(o *observed) { o.tags[1].Value = "audio" }, known, []string{"tags changed"}},
		{"tag added", func(o *observed) { o.tags = append(o.tags, iamdoc.Tag{Key: "x", Value: "y"}) }, known, []string{"tags changed"}},
		{"reserved tag is not a user tag", func(o *observed) { o.tags = o.tags[1:] }, known, nil},
		{"everything at once, in a fixed order", func(o *observed) {
			o.trust, o.description, o.maxSession, o.boundary = nil, "x", 3600, ""
			o.inlineNames = []string{"Extra", "GroundTruthS3"}
			o.inline["GroundTruthS3"] = &wide
			o.managed = []string{admin}
			o.tags = nil
		}, known, []string{
			"trust policy changed", "inline policy Extra added", "inline policy GroundTruthS3 changed",
			"inline policy GroundTruthKms removed", "managed policy " + admin + " attached", "managed policy " + gtManaged + " detached",
			"permissions boundary removed", "description changed", "maximum session duration changed to 3600 s (recorded 7200 s)", "tags changed",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := held()
			tc.change(&o)
			if got := compare(rec, o, tc.known); !slices.Equal(got, tc.want) {
				t.Errorf("compare =\n%q\nwant\n%q", got, tc.want)
			}
		})
	}

	// A boundary added where none was recorded.
	unbounded := desired
	unbounded.PermissionsBoundary = ""
	if got := compare(record.Of(unbounded), held(), known); !slices.Equal(got, []string{"permissions boundary arn:aws:iam::123456789012:policy/b1 added"}) {
		t.Errorf("boundary added: %q", got)
	}
}
