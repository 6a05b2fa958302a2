package faultproxy

import "testing"

func TestRuleMatchesAndFires(t *testing.T) {
	tests := []struct {
		name                 string
		rule                 Rule
		method, path, action string
		wantMatch            bool
		fireOn               []bool // fires(1), fires(2), fires(3)
	}{
		{"any call every time", Rule{}, "POST", "/", "GetRole", true, []bool{true, true, true}},
		{"action nth", Rule{Action: "CreateRole", Nth: 2}, "POST", "/", "CreateRole", true, []bool{false, true, false}},
		{"action mismatch", Rule{Action: "CreateRole"}, "POST", "/", "GetRole", false, nil},
		{"first k", Rule{Action: "GetRole", First: 2}, "POST", "/", "GetRole", true, []bool{true, true, false}},
		{"method and prefix", Rule{Method: "put", PathPrefix: "/cfn/"}, "PUT", "/cfn/stack/1", "", true, []bool{true, true, true}},
		{"prefix mismatch", Rule{Method: "PUT", PathPrefix: "/cfn/"}, "PUT", "/other/1", "", false, nil},
		{"method mismatch", Rule{Method: "PUT"}, "GET", "/cfn/1", "", false, nil},
		{"action rule skips non-IAM", Rule{Action: "CreateRole"}, "PUT", "/cfn/1", "", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.rule.matches(tt.method, tt.path, tt.action); got != tt.wantMatch {
				t.Fatalf("matches = %v, want %v", got, tt.wantMatch)
			}
			for i, want := range tt.fireOn {
				if got := tt.rule.fires(i + 1); got != want {
					t.Errorf("fires(%d) = %v, want %v", i+1, got, want)
				}
			}
		})
	}
}

func TestRequestIsWrite(t *testing.T) {
	tests := []struct {
		action string
		want   bool
	}{
		{"CreateRole", true},
		{"PutRolePolicy", true},
		{"TagRole", true},
		{"GetRole", false},
		{"ListRolePolicies", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := (Request{Action: tt.action}).IsWrite(); got != tt.want {
			t.Errorf("IsWrite(%q) = %v, want %v", tt.action, got, tt.want)
		}
	}
}
