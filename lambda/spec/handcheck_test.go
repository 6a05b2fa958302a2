package spec

import (
	"regexp"
	"strings"
	"testing"
)

// TestHandChecksMatchThePatterns checks the hand-written character checks against the regular expressions they
// replace (IAM's documented patterns), so keeping init cheap changed no answer.
func TestHandChecksMatchThePatterns(t *testing.T) {
	inputs := []string{
		"", "a", "cost-center", "Team A_1.2:3/4=5+6-7@8", "ünïcødé 名前 ١٢٣", "tab\there", "line\nbreak", "cr\r",
		"!", "#", "$", "%", "&", "*", "(", ")", "[", "]", "{", "}", "?", "\\", "\"", "'", "<", ">", "|", "~", "`",
		"\x00", "\x1f", "\x7f", "\u00a0", "\u00a1", "\u00ff", "\u0100", "\u2028", "\u3000", "😀", "\xff\xfe",
		"price: 10€", "©®", "Ⅻ", "½", strings.Repeat("x", 300),
	}
	tests := []struct {
		name  string
		re    *regexp.Regexp
		check func(string) bool
	}{
		{"tag text", regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`), validTagText},
		{"description", regexp.MustCompile(`^[\t\n\r\x{20}-\x{7E}\x{A1}-\x{FF}]*$`), validDescription},
		{"account", regexp.MustCompile(`^\d{12}$`), validAccount},
		{"policy resource", regexp.MustCompile(`^policy(/[A-Za-z0-9+=,.@_-]+)*/[A-Za-z0-9+=,.@_-]{1,128}$`), validPolicyResource},
	}
	inputs = append(inputs, "policy/a", "policy/path/to/Name+=,.@_-1", "policy/", "policy//a", "policy/a/", "policy/a//b",
		"policy", "policyx/a", "policy/a b", "policy/ä", "policy/"+strings.Repeat("n", 128), "policy/"+strings.Repeat("n", 129),
		"policy/"+strings.Repeat("p", 200)+"/n", "role/a", "policy/a/b*")
	inputs = append(inputs, "123456789012", "12345678901", "1234567890123", "12345678901a", "١٢٣٤٥٦٧٨٩٠١٢")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, in := range inputs {
				if got, want := tt.check(in), tt.re.MatchString(in); got != want {
					t.Errorf("%q: hand check %v, pattern %v", in, got, want)
				}
			}
		})
	}
}
