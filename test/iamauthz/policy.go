package iamauthz

import (
	"fmt"
	"slices"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
)

// Request is one authorization question: an action ("iam:CreateRole") on a resource ARN with condition keys.
type Request struct {
	Action   string
	Resource string
	Context  map[string]string // condition key (any case) → its value; absent keys match no condition
}

// Decision is the answer to a Request.
type Decision struct {
	Allowed bool
	Sid     string // the statement that decided: the Allow that matched, or the Deny; "" for the implicit deny
}

// Policy is a set of identity-based policy statements, checked to be in the supported grammar.
type Policy struct {
	statements []iamdoc.Statement
}

// operators are the supported condition operators.
var operators = map[string]func(pattern, value string) bool{
	"StringEquals": func(p, v string) bool { return p == v },
	"StringLike":   wildcardMatch,
	"ArnEquals":    arnMatch,
	"ArnLike":      arnMatch,
}

// NewPolicy checks that every statement is in the supported grammar and returns the policy.
func NewPolicy(docs ...iamdoc.Document) (Policy, error) {
	var p Policy
	for _, d := range docs {
		for i, s := range d.Statement {
			if err := supported(s); err != nil {
				return Policy{}, fmt.Errorf("statement %d (%s): %w", i, s.Sid, err)
			}
			p.statements = append(p.statements, s)
		}
	}
	return p, nil
}

// supported reports why a statement is outside the grammar the evaluator understands, or nil.
func supported(s iamdoc.Statement) error {
	if s.Effect != iamdoc.Allow && s.Effect != iamdoc.Deny {
		return fmt.Errorf("effect %q is neither Allow nor Deny", s.Effect)
	}
	if s.Principal != nil {
		return fmt.Errorf("a Principal has no place in an identity-based policy")
	}
	if len(s.Action) == 0 || len(s.Resource) == 0 {
		return fmt.Errorf("needs Action and Resource")
	}
	for op := range s.Condition {
		if _, ok := operators[op]; !ok {
			return fmt.Errorf("condition operator %s is not supported by this evaluator", op)
		}
	}
	return nil
}

// Statements returns the policy's statements.
func (p Policy) Statements() []iamdoc.Statement { return slices.Clone(p.statements) }

// Decide evaluates r: an explicit Deny wins, then the first matching Allow, else the implicit deny.
func (p Policy) Decide(r Request) Decision {
	allow := Decision{}
	for _, s := range p.statements {
		if !matches(s, r) {
			continue
		}
		if s.Effect == iamdoc.Deny {
			return Decision{Allowed: false, Sid: s.Sid}
		}
		if !allow.Allowed {
			allow = Decision{Allowed: true, Sid: s.Sid}
		}
	}
	return allow
}
