package main

import (
	"slices"
	"testing"
)

func TestLineDiff(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want []string
	}{
		{"equal", "a\nb", "a\nb", nil},
		{"context", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11", "1\n2\n3\nfour\n5\n6\n7\n8\n9\n10\neleven",
			[]string{"  2", "  3", "- 4", "+ four", "  5", "  6", "  ...", "  9", "  10", "- 11", "+ eleven"}},
		{"changed line", "{\n  \"Description\": \"old\",\n  \"Path\": \"/\"\n}", "{\n  \"Description\": \"new\",\n  \"Path\": \"/\"\n}",
			[]string{"  {", `-   "Description": "old",`, `+   "Description": "new",`, `    "Path": "/"`, "  }"}},
		{"inserted", "a\nc", "a\nb\nc", []string{"  a", "+ b", "  c"}},
		{"removed", "a\nb\nc", "a\nc", []string{"  a", "- b", "  c"}},
		{"from empty", "", "x", []string{"- ", "+ x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := lineDiff(tt.a, tt.b, 2)
			if !slices.Equal(got, tt.want) {
				t.Errorf("lineDiff = %q, want %q", got, tt.want)
			}
		})
	}
}
