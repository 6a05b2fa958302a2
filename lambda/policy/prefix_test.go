package policy

import (
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

// iamMatch is IAM's ARN matching for resources: * matches any run of characters, ? any one character.
func iamMatch(pattern, s string) bool {
	if pattern == "" {
		return s == ""
	}
	switch pattern[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if iamMatch(pattern[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && iamMatch(pattern[1:], s[1:])
	default:
		return s != "" && s[0] == pattern[0] && iamMatch(pattern[1:], s[1:])
	}
}

// TestPrefixesAreFolders checks that bucket/prefix and bucket/prefix/ grant exactly the objects under
// bucket/prefix/ and never a sibling key such as bucket/database/… or bucket/data-exfil/….
func TestPrefixesAreFolders(t *testing.T) {
	settings, err := spec.SettingsFromEnv(func(string) string { return "" }, "aws")
	if err != nil {
		t.Fatal(err)
	}
	for _, declared := range []string{"gt-bucket/data", "gt-bucket/data/", "arn:aws:s3:::gt-bucket/data"} {
		t.Run(declared, func(t *testing.T) {
			s, err := spec.Parse(map[string]any{"InputBuckets": []any{declared}, "OutputBuckets": []any{"gt-out"}},
				spec.Target{Account: "123456789012", Region: "us-east-1", Settings: settings})
			if err != nil {
				t.Fatal(err)
			}
			r, err := Build(s, Scope{Account: "123456789012", Partition: "aws"}, "r")
			if err != nil {
				t.Fatal(err)
			}
			// The bucket is the role's own account's: the S3 statements' only condition holds.
			ownBucket := cond(iamdoc.Condition{"StringEquals": {"s3:ResourceAccount": {"123456789012"}}})
			allowed := func(action, object string) bool {
				for g := range inlineGrants(r) {
					if g.action == action && (g.condition == "" || g.condition == ownBucket) && iamMatch(g.resource, "arn:aws:s3:::"+object) {
						return true
					}
				}
				return false
			}
			for _, object := range []string{"gt-bucket/data/x.csv", "gt-bucket/data/a/b/c.jpg"} {
				if !allowed("s3:GetObject", object) || !allowed("s3:PutObject", object) {
					t.Errorf("%s: objects under the folder are not granted: %s", declared, object)
				}
			}
			for _, object := range []string{"gt-bucket/database/secret.csv", "gt-bucket/data-exfil/x", "gt-bucket/data", "gt-bucket/datax", "gt-bucket/other/data/x"} {
				for _, action := range []string{"s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"} {
					if allowed(action, object) {
						t.Errorf("%s: %s is granted on sibling %s", declared, action, object)
					}
				}
			}
			for g := range inlineGrants(r) {
				if strings.HasPrefix(g.resource, "arn:aws:s3:::gt-bucket/") && g.resource != "arn:aws:s3:::gt-bucket/data/*" {
					t.Errorf("%s: object grant %s, want exactly arn:aws:s3:::gt-bucket/data/*", declared, g.resource)
				}
			}
		})
	}
}

func TestIAMMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		want       bool
	}{
		{"a/*", "a/b", true}, {"a/*", "a/", true}, {"a/*", "a", false}, {"a*", "abc", true},
		{"a?c", "abc", true}, {"a?c", "ac", false}, {"*", "", true}, {"x", "y", false},
	}
	for _, tt := range tests {
		if got := iamMatch(tt.pattern, tt.s); got != tt.want {
			t.Errorf("iamMatch(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}
