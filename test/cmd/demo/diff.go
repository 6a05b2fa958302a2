package main

import (
	"slices"
	"strings"
)

// lineDiff returns the lines of b that are not in a as "+ line" and the lines of a not in b as "- line", in
// order, from a longest-common-subsequence alignment, with up to context unchanged lines ("  line") around each
// change and "  ..." where unchanged lines are left out. Equal inputs give no lines.
func lineDiff(a, b string, context int) []string {
	all := alignLines(a, b)
	keep := make([]bool, len(all))
	for i, line := range all {
		if strings.HasPrefix(line, "  ") {
			continue
		}
		for k := max(0, i-context); k <= min(len(all)-1, i+context); k++ {
			keep[k] = true
		}
	}
	var out []string
	for i, line := range all {
		switch {
		case keep[i]:
			out = append(out, line)
		case i > 0 && keep[i-1] && slices.Contains(keep[i:], true):
			out = append(out, "  ...")
		}
	}
	return out
}

// alignLines is every line of a and b: unchanged ones as "  line", removed as "- line", added as "+ line".
func alignLines(a, b string) []string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	// lcs[i][j] is the length of the longest common subsequence of x[i:] and y[j:].
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			out = append(out, "  "+x[i])
			i, j = i+1, j+1
		case i < len(x) && (j == len(y) || lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, "- "+x[i])
			i++
		default:
			out = append(out, "+ "+y[j])
			j++
		}
	}
	return out
}
