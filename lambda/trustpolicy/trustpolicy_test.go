package trustpolicy

import (
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
)

func TestIsProviders(t *testing.T) {
	const account = "123456789012"
	lambdaRole := "arn:aws:iam::123456789012:role/post-annotation"
	withStatement := func(d iamdoc.Document, st iamdoc.Statement) iamdoc.Document {
		d.Statement = append(d.Statement, st)
		return d
	}
	anyone := iamdoc.Statement{Effect: iamdoc.Allow, Principal: &iamdoc.Principal{AWS: iamdoc.Strings{"*"}}, Action: iamdoc.Strings{"sts:AssumeRole"}}
	tests := []struct {
		name string
		doc  iamdoc.Document
		want bool
	}{
		{"plain", For(account, false, nil), true},
		{"confused-deputy protection", For(account, true, nil), true},
		{"post-annotation role of the account", For(account, true, []string{lambdaRole}), true},
		{"reordered and duplicated", iamdoc.Document{Version: iamdoc.Version, Statement: []iamdoc.Statement{
			For(account, false, []string{lambdaRole, lambdaRole}).Statement[1], For(account, false, nil).Statement[0]}}, true},
		{"other account's confused-deputy condition", For("210987654321", true, nil), false},
		{"post-annotation role of another account", For(account, false, []string{"arn:aws:iam::210987654321:role/x"}), false},
		{"a user, not a role", For(account, false, []string{"arn:aws:iam::123456789012:user/x"}), false},
		{"anyone added", withStatement(For(account, true, nil), anyone), false},
		{"empty", iamdoc.Document{Version: iamdoc.Version}, false},
	}
	for _, tt := range tests {
		if got := IsProviders(account, tt.doc); got != tt.want {
			t.Errorf("%s: IsProviders(%s) = %v, want %v", tt.name, tt.doc, got, tt.want)
		}
	}
}
