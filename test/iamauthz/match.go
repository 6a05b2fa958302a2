package iamauthz

import (
	"strings"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
)

// matches reports whether statement s applies to r: an action, a resource and every condition match.
func matches(s iamdoc.Statement, r Request) bool {
	return anyMatch(s.Action, r.Action, actionMatch) && anyMatch(s.Resource, r.Resource, wildcardMatch) &&
		conditionsHold(s.Condition, r.Context)
}

// anyMatch reports whether one of patterns matches value.
func anyMatch(patterns []string, value string, match func(pattern, value string) bool) bool {
	for _, p := range patterns {
		if match(p, value) {
			return true
		}
	}
	return false
}

// actionMatch compares an Action pattern with an action: IAM compares action names without regard to case.
func actionMatch(pattern, action string) bool {
	return wildcardMatch(strings.ToLower(pattern), strings.ToLower(action))
}

// conditionsHold is IAM's condition block: every operator, every key under it, and for each key one of its values
// (AND of operators and keys, OR of values). A key absent from the request makes its condition false.
func conditionsHold(c iamdoc.Condition, ctx map[string]string) bool {
	for op, keys := range c {
		match := operators[op]
		for key, patterns := range keys {
			value, ok := lookup(ctx, key)
			if !ok || !anyMatch(patterns, value, match) {
				return false
			}
		}
	}
	return true
}

// lookup finds a condition key in ctx; condition key names are not case-sensitive.
func lookup(ctx map[string]string, key string) (string, bool) {
	for k, v := range ctx {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return "", false
}

// wildcardMatch matches value against pattern, where * is any run of characters and ? any one character.
func wildcardMatch(pattern, value string) bool {
	p, v := []rune(pattern), []rune(value)
	i, j, star, mark := 0, 0, -1, 0
	for j < len(v) {
		switch {
		case i < len(p) && (p[i] == '?' || p[i] == v[j]):
			i++
			j++
		case i < len(p) && p[i] == '*':
			star, mark = i, j
			i++
		case star >= 0:
			mark++
			i, j = star+1, mark
		default:
			return false
		}
	}
	for i < len(p) && p[i] == '*' {
		i++
	}
	return i == len(p)
}

// arnMatch is ArnEquals/ArnLike: both compare the six colon-separated parts of an ARN, each with wildcards
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN).
func arnMatch(pattern, value string) bool {
	pp, vp := strings.SplitN(pattern, ":", 6), strings.SplitN(value, ":", 6)
	if len(pp) != 6 || len(vp) != 6 {
		return false
	}
	for i := range pp {
		if !wildcardMatch(pp[i], vp[i]) {
			return false
		}
	}
	return true
}
