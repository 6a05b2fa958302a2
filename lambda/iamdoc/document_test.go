package iamdoc

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestStringsJSON(t *testing.T) {
	tests := []struct {
		in   Strings
		want string
	}{
		{Strings{"a"}, `"a"`},
		{Strings{"a", "b"}, `["a","b"]`},
		{Strings{}, `[]`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.in)
		if err != nil || string(b) != tt.want {
			t.Errorf("Marshal(%v) = %s, %v; want %s", tt.in, b, err, tt.want)
		}
		var back Strings
		if err := json.Unmarshal(b, &back); err != nil || !slices.Equal(back, tt.in) {
			t.Errorf("Unmarshal(%s) = %v, %v", b, back, err)
		}
	}
	var s Strings
	for _, bad := range []string{`1`, `{"a":1}`, `["a",2]`, `true`} {
		if err := json.Unmarshal([]byte(bad), &s); err == nil {
			t.Errorf("Unmarshal(%s) accepted", bad)
		}
	}
}

func TestNewStrings(t *testing.T) {
	if got := NewStrings("b", "a", "", "b"); !slices.Equal(got, Strings{"a", "b"}) {
		t.Errorf("NewStrings = %v", got)
	}
}

func TestParseIsStrict(t *testing.T) {
	good := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::b/*"]}]}`
	if _, err := Parse(good); err != nil {
		t.Fatalf("Parse(good) = %v", err)
	}
	for name, bad := range map[string]string{
		"unknown field":  `{"Version":"2012-10-17","Statement":[],"Id":"x"}`,
		"NotAction":      `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"s3:*","Resource":"*"}]}`,
		"trailing data":  good + `{}`,
		"wrong type":     `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":5}]}`,
		"not json":       `Version: 2012-10-17`,
		"condition list": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a","Condition":[]}]}`,
	} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("%s: Parse accepted %s", name, bad)
		}
	}
}

func TestEquivalent(t *testing.T) {
	a := `{"Version":"2012-10-17","Statement":[
		{"Sid":"A","Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],"Resource":"arn:aws:s3:::b/*"},
		{"Sid":"B","Effect":"Allow","Action":"sns:Subscribe","Resource":"arn:aws:sns:us-east-1:123456789012:t",
		 "Condition":{"StringEquals":{"sns:Protocol":"sqs"}}}]}`
	b := `{"Version":"2012-10-17","Statement":[
		{"Sid":"B","Effect":"Allow","Action":["sns:Subscribe"],"Resource":["arn:aws:sns:us-east-1:123456789012:t"],
		 "Condition":{"StringEquals":{"sns:Protocol":["sqs"]}}},
		{"Sid":"A","Effect":"Allow","Action":["s3:GetObject","s3:PutObject","s3:GetObject"],"Resource":["arn:aws:s3:::b/*"]}]}`
	da, err := Parse(a)
	if err != nil {
		t.Fatal(err)
	}
	db, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if !Equivalent(da, db) {
		t.Error("documents that mean the same are not Equivalent")
	}
	changed := db.Canonical()
	changed.Statement[0].Resource = Strings{"arn:aws:s3:::other/*"}
	if Equivalent(da, changed) {
		t.Error("a changed resource still compares Equivalent")
	}
	cond := db.Canonical()
	cond.Statement[1].Condition = nil
	if Equivalent(da, cond) {
		t.Error("a dropped condition still compares Equivalent")
	}
}

func TestEncodeIsMinifiedAndStable(t *testing.T) {
	d := Document{Version: Version, Statement: []Statement{{
		Sid: "X", Effect: Allow, Action: NewStrings("b:Y", "a:X"), Resource: NewStrings("arn:aws:s3:::b/<&>*"),
		Condition: Condition{"StringLike": {"k2": {"v"}, "k1": {"v"}}, "Bool": {"k": {"true"}}},
	}}}
	want := `{"Version":"2012-10-17","Statement":[{"Sid":"X","Effect":"Allow","Action":["a:X","b:Y"],"Resource":"arn:aws:s3:::b/<&>*","Condition":{"Bool":{"k":"true"},"StringLike":{"k1":"v","k2":"v"}}}]}`
	for i := 0; i < 3; i++ {
		b, err := d.Encode()
		if err != nil || string(b) != want {
			t.Fatalf("Encode = %s, %v\nwant %s", b, err, want)
		}
	}
}

func TestSize(t *testing.T) {
	d := Document{Version: Version, Statement: []Statement{{Effect: Allow, Action: Strings{"a"}, Resource: Strings{"x y"}}}}
	if got, want := Size(d), len(d.String())-1; got != want {
		t.Errorf("Size = %d, want %d (white space inside values not counted)", got, want)
	}
}

func TestParseEncoded(t *testing.T) {
	d, err := ParseEncoded("%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Ab%2F%2A%22%7D%5D%7D")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.String(), `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`; got != want {
		t.Errorf("ParseEncoded = %s, want %s", got, want)
	}
	for _, bad := range []string{"%ZZ", "%7B%22Version%22%3A1%7D"} {
		if _, err := ParseEncoded(bad); err == nil {
			t.Errorf("ParseEncoded(%q) accepted", bad)
		}
	}
}
