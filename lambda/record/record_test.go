package record_test

import (
	"maps"
	"reflect"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/record"
)

func statement(actions ...string) iamdoc.Statement {
	return iamdoc.Statement{Effect: iamdoc.Allow, Action: actions, Resource: iamdoc.Strings{"arn:aws:s3:::b/*"}}
}

func role() iamdoc.Role {
	return iamdoc.Role{
		RoleName:    "r",
		Description: "labeling",
		Tags:        []iamdoc.Tag{{Key: "team", Value: "vision"}, {Key: "cost-center", Value: "42"}},
		AssumeRolePolicyDocument: iamdoc.Document{Version: iamdoc.Version, Statement: []iamdoc.Statement{{
			Effect: iamdoc.Allow, Principal: &iamdoc.Principal{Service: iamdoc.Strings{"sagemaker.amazonaws.com"}},
			Action: iamdoc.Strings{"sts:AssumeRole"},
		}}},
		Policies: []iamdoc.InlinePolicy{{PolicyName: "GroundTruthS3", PolicyDocument: iamdoc.Document{
			Version: iamdoc.Version, Statement: []iamdoc.Statement{statement("s3:GetObject", "s3:PutObject"), statement("s3:ListBucket")},
		}}},
		ManagedPolicyArns: []string{"arn:aws:iam::aws:policy/AmazonSageMakerGroundTruthExecution"},
	}
}

func TestOfComparesByMeaning(t *testing.T) {
	base := record.Of(role())
	tests := []struct {
		name   string
		change func(*iamdoc.Role)
		same   bool
	}{
		{"unchanged", func(*iamdoc.Role) {}, true},
		{"statements and actions reordered, duplicated", func(r *iamdoc.Role) {
			d := &r.Policies[0].PolicyDocument
			d.Statement = []iamdoc.Statement{statement("s3:ListBucket"), statement("s3:PutObject", "s3:GetObject", "s3:GetObject")}
		}, true},
		{"tags reordered", func(r *iamdoc.Role) { r.Tags[0], r.Tags[1] = r.Tags[1], r.Tags[0] }, true},
		{"reserved tags ignored", func(r *iamdoc.Role) { r.Tags = append(r.Tags, iamdoc.Tag{Key: "gtrole:x", Value: "y"}) }, true},
		{"unset session is IAM's default", func(r *iamdoc.Role) { r.MaxSessionDuration = 3600 }, true},
		{"action added", func(r *iamdoc.Role) { r.Policies[0].PolicyDocument.Statement[1].Action = iamdoc.Strings{"s3:*"} }, false},
		{"trust widened", func(r *iamdoc.Role) {
			r.AssumeRolePolicyDocument.Statement[0].Principal.AWS = iamdoc.Strings{"arn:aws:iam::210987654321:root"}
		}, false},
		{"description", func(r *iamdoc.Role) { r.Description = "x" }, false},
		{"session", func(r *iamdoc.Role) { r.MaxSessionDuration = 7200 }, false},
		{"boundary", func(r *iamdoc.Role) { r.PermissionsBoundary = "arn:aws:iam::123456789012:policy/b" }, false},
		{"tag value", func(r *iamdoc.Role) { r.Tags[0].Value = "audio" }, false},
		{"managed", func(r *iamdoc.Role) { r.ManagedPolicyArns = nil }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := role()
			tc.change(&r)
			if got := reflect.DeepEqual(record.Of(r), base); got != tc.same {
				t.Errorf("record equal = %v, want %v:\n%+v\n%+v", got, tc.same, record.Of(r), base)
			}
		})
	}
}

func TestDocumentOfIAMsEncodedForm(t *testing.T) {
	// IAM returns documents URL-encoded, with its own spacing and order; the digest is of the meaning.
	encoded := "%7B%22Statement%22%3A%20%5B%7B%22Resource%22%3A%20%22arn%3Aaws%3As3%3A%3A%3Ab%2F%2A%22%2C%20%22Action%22%3A%20%5B%22s3%3APutObject%22%2C%22s3%3AGetObject%22%5D%2C%20%22Effect%22%3A%20%22Allow%22%7D%2C%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AListBucket%22%2C%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Ab%2F%2A%22%7D%5D%2C%20%22Version%22%3A%20%222012-10-17%22%7D"
	doc, err := iamdoc.ParseEncoded(encoded)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := record.Document(doc), record.Of(role()).Inline["GroundTruthS3"]; got != want {
		t.Errorf("digest of IAM's form = %s, want %s", got, want)
	}
}

func TestEncodeDecode(t *testing.T) {
	r := role()
	r.PermissionsBoundary = "arn:aws:iam::123456789012:policy/b"
	for _, rec := range []record.Record{record.Of(role()), record.Of(r), record.Of(iamdoc.Role{RoleName: "bare"})} {
		tags, err := rec.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if len(tags) != contract.RecordTags {
			t.Errorf("Encode gave %d tags, contract.RecordTags is %d", len(tags), contract.RecordTags)
		}
		got, ok, err := record.Decode(tags)
		if err != nil || !ok {
			t.Fatalf("Decode(%v) = ok %v, %v", tags, ok, err)
		}
		if len(got.Managed) == 0 {
			got.Managed = rec.Managed // nil and empty are the same record
		}
		if !reflect.DeepEqual(got, rec) {
			t.Errorf("round trip\n got %+v\nwant %+v", got, rec)
		}
	}
}

func TestDecodeRefuses(t *testing.T) {
	good, err := record.Of(role()).Encode()
	if err != nil {
		t.Fatal(err)
	}
	with := func(k, v string) map[string]string {
		m := maps.Clone(good)
		if v == "\x00delete" {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name string
		tags map[string]string
		ok   bool
		err  string
	}{
		{"no record", map[string]string{"team": "vision"}, false, ""},
		{"other version", with(contract.RecordTagKey, "v0 trust=x"), false, ""},
		{"field missing", with(contract.RecordTagKey, "v1 trust=x"), false, "field description is missing"},
		{"not key=value", with(contract.RecordTagKey, strings.Replace(good[contract.RecordTagKey], "trust=", "trust:", 1)), false, "is not KEY=VALUE"},
		{"session not a number", with(contract.RecordTagKey, strings.Replace(good[contract.RecordTagKey], "session=3600", "session=x", 1)), false, "session"},
		{"inline tag missing", with(contract.RecordInlineTagKey, "\x00delete"), false, contract.RecordInlineTagKey + " is missing"},
		{"managed tag missing", with(contract.RecordManagedTagKey, "\x00delete"), false, contract.RecordManagedTagKey + " is missing"},
		{"inline not name=digest", with(contract.RecordInlineTagKey, "GroundTruthS3"), false, "NAME=DIGEST"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, ok, err := record.Decode(tc.tags)
			if ok != tc.ok {
				t.Errorf("ok = %v, want %v", ok, tc.ok)
			}
			if (err == nil) != (tc.err == "") || (err != nil && !strings.Contains(err.Error(), tc.err)) {
				t.Errorf("err = %v, want one containing %q", err, tc.err)
			}
		})
	}
}

func TestEncodeRefusesUnrecordableName(t *testing.T) {
	r := role()
	r.Policies[0].PolicyName = "a=b"
	if _, err := record.Of(r).Encode(); err == nil || !strings.Contains(err.Error(), `"a=b"`) {
		t.Errorf("Encode = %v, want an error naming the policy", err)
	}
	r.Policies[0].PolicyName = "a,b" // IAM allows commas in policy names but not in tag values
	if _, err := record.Of(r).Encode(); err == nil || !strings.Contains(err.Error(), contract.RecordInlineTagKey) {
		t.Errorf("Encode = %v, want an error naming the tag", err)
	}
}

func TestReservedTagsMatchEncode(t *testing.T) {
	tags, err := record.Of(iamdoc.Role{}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	if len(tags) != contract.RecordTags {
		t.Errorf("the record is %d tags, the contract reserves %d", len(tags), contract.RecordTags)
	}
}
