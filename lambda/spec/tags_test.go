package spec_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

func tag(k, v string) map[string]any { return map[string]any{"Key": k, "Value": v} }

func tagsOf(items ...any) map[string]any { return map[string]any{"Tags": items} }

func wantTags(want ...spec.Tag) func(*testing.T, spec.Spec) {
	return func(t *testing.T, s spec.Spec) {
		t.Helper()
		if !reflect.DeepEqual(s.Tags, want) {
			t.Errorf("Tags = %+v, want %+v", s.Tags, want)
		}
	}
}

func manyTags(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = tag(fmt.Sprintf("k%02d", i), "v")
	}
	return out
}

func TestTags(t *testing.T) {
	const keyChars = "allowed are letters, digits, spaces and _.:/=+-@"
	key128 := strings.Repeat("k", 128)
	value256 := strings.Repeat("v", 256)
	runCases(t, []problemCase{
		{name: "absent", check: wantTags()},
		{name: "sorted by key", props: tagsOf(tag("team", "vision"), tag("cost-center", "1234")), check: wantTags(spec.Tag{Key: "cost-center", Value: "1234"}, spec.Tag{Key: "team", Value: "vision"})},
		{name: "every allowed character", props: tagsOf(tag("Équipe 7_.:/=+-@", "Wert ü 9_.:/=+-@")), check: wantTags(spec.Tag{Key: "Équipe 7_.:/=+-@", Value: "Wert ü 9_.:/=+-@"})},
		{name: "longest key and value", props: tagsOf(tag(key128, value256)), check: wantTags(spec.Tag{Key: key128, Value: value256})},
		{name: "empty value", props: tagsOf(tag("team", "")), check: wantTags(spec.Tag{Key: "team"})},
		{name: "value left out", props: tagsOf(map[string]any{"Key": "team"}), check: wantTags(spec.Tag{Key: "team"})},
		{name: "null value", props: tagsOf(map[string]any{"Key": "team", "Value": nil}), check: wantTags(spec.Tag{Key: "team"})},
		{name: "number value", props: tagsOf(map[string]any{"Key": "cost-center", "Value": json.Number("1234")}), check: wantTags(spec.Tag{Key: "cost-center", Value: "1234"})},
		{name: "boolean value", props: tagsOf(map[string]any{"Key": "public", "Value": false}), check: wantTags(spec.Tag{Key: "public", Value: "false"})},
		{name: "aws: in the middle", props: tagsOf(tag("team:aws:x", "v")), check: wantTags(spec.Tag{Key: "team:aws:x", Value: "v"})},
		{name: "44 tags", props: map[string]any{"Tags": manyTags(44)}, check: func(t *testing.T, s spec.Spec) {
			if len(s.Tags) != 44 {
				t.Errorf("got %d tags, want 44", len(s.Tags))
			}
		}},
		{name: "45 tags", props: map[string]any{"Tags": manyTags(45)}, property: "Tags", message: "has 45 tags: at most 44 are allowed"},
		{name: "aws: prefix", props: tagsOf(tag("aws:cloudformation:stack-name", "x")), property: "Tags[0].Key", value: "aws:cloudformation:stack-name", message: "uses the prefix aws:"},
		{name: "AWS: prefix in capitals", props: tagsOf(tag("ok", "x"), tag("AWS:team", "x")), property: "Tags[1].Key", value: "AWS:team", message: "uses the prefix aws:"},
		{name: "provider prefix", props: tagsOf(tag("gtrole:managed-by", "me")), property: "Tags[0].Key", value: "gtrole:managed-by", message: "uses the prefix gtrole:, which the provider reserves"},
		{name: "provider prefix in capitals", props: tagsOf(tag("GTRole:stack", "me")), property: "Tags[0].Key", value: "GTRole:stack", message: "uses the prefix gtrole:"},
		{name: "empty key", props: tagsOf(tag("", "x")), property: "Tags[0].Key", value: "", message: "is not a valid tag key: want 1-128 characters"},
		{name: "129-character key", props: tagsOf(tag(key128+"k", "x")), property: "Tags[0].Key", value: shortened(key128 + "k"), message: "want 1-128 characters"},
		{name: "wildcard in key", props: tagsOf(tag("team*", "x")), property: "Tags[0].Key", value: "team*", message: keyChars},
		{name: "policy variable in key", props: tagsOf(tag("${aws:username}", "x")), property: "Tags[0].Key", value: "${aws:username}", message: keyChars},
		{name: "257-character value", props: tagsOf(tag("k", value256+"v")), property: "Tags[0].Value", value: shortened(value256 + "v"), message: "is not a valid tag value: want at most 256 characters"},
		{name: "bad character in value", props: tagsOf(tag("k", "a,b")), property: "Tags[0].Value", value: "a,b", message: "is not a valid tag value: " + keyChars},
		{name: "duplicate key", props: tagsOf(tag("team", "a"), tag("other", "b"), tag("team", "c")), property: "Tags[2].Key", value: "team", message: "repeats an earlier tag key"},
		{name: "duplicate key in other case", props: tagsOf(tag("Team", "a"), tag("team", "b")), property: "Tags[1].Key", value: "team", message: "case-insensitive"},
		{name: "not a list", props: map[string]any{"Tags": "team=vision"}, property: "Tags", message: "must be a list of {Key, Value} objects, got a string"},
		{name: "an object instead of a list", props: map[string]any{"Tags": tag("team", "vision")}, property: "Tags", message: "got an object"},
		{name: "item not an object", props: tagsOf("team"), property: "Tags[0]", message: "must be an object with Key and Value, got a string"},
		{name: "unknown tag field", props: tagsOf(map[string]any{"Key": "team", "Value": "v", "Propagate": "true"}), property: "Tags[0].Propagate", message: "is not a tag field: a tag has only Key and Value"},
		{name: "lower-case field names", props: tagsOf(map[string]any{"key": "team", "value": "v"}), property: "Tags[0].key", message: "is not a tag field", more: true},
		{name: "key missing", props: tagsOf(map[string]any{"Value": "v"}), property: "Tags[0].Key", message: "must be a string, got null", more: true},
		{name: "key a list", props: tagsOf(map[string]any{"Key": []any{"a"}, "Value": "v"}), property: "Tags[0].Key", message: "must be a string, got a list", more: true},
	})
}
