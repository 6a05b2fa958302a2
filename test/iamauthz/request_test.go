package iamauthz

import (
	"context"
	"net/url"
	"reflect"
	"testing"
)

// fixedPaths answers paths from maps.
type fixedPaths struct{ roles, profiles map[string]string }

func (f fixedPaths) RolePath(_ context.Context, name string) (string, bool, error) {
	p, ok := f.roles[name]
	return p, ok, nil
}

func (f fixedPaths) InstanceProfilePath(_ context.Context, name string) (string, bool, error) {
	p, ok := f.profiles[name]
	return p, ok, nil
}

func TestFromQuery(t *testing.T) {
	paths := fixedPaths{roles: map[string]string{"r": "/groundtruth/team/"}, profiles: map[string]string{"ip": "/groundtruth/"}}
	scope := Scope{Partition: "aws", Account: "123456789012"}
	tests := []struct {
		name      string
		action    string
		params    url.Values
		want      Request
		wantKnown bool
	}{
		{"CreateRole: path from the request, boundary key", "CreateRole",
			url.Values{"RoleName": {"new"}, "Path": {"/groundtruth/"}, "PermissionsBoundary": {boundary}},
			Request{Action: "iam:CreateRole", Resource: "arn:aws:iam::123456789012:role/groundtruth/new", Context: map[string]string{"iam:PermissionsBoundary": boundary}}, true},
		{"CreateRole without a path is at /", "CreateRole", url.Values{"RoleName": {"new"}},
			Request{Action: "iam:CreateRole", Resource: "arn:aws:iam::123456789012:role/new", Context: map[string]string{}}, true},
		{"existing role: ARN with its path", "DeleteRole", url.Values{"RoleName": {"r"}},
			Request{Action: "iam:DeleteRole", Resource: "arn:aws:iam::123456789012:role/groundtruth/team/r", Context: map[string]string{}}, true},
		{"DetachRolePolicy: policy ARN key", "DetachRolePolicy", url.Values{"RoleName": {"r"}, "PolicyArn": {admin}},
			Request{Action: "iam:DetachRolePolicy", Resource: "arn:aws:iam::123456789012:role/groundtruth/team/r", Context: map[string]string{"iam:PolicyARN": admin}}, true},
		{"PutRolePermissionsBoundary: boundary key", "PutRolePermissionsBoundary", url.Values{"RoleName": {"r"}, "PermissionsBoundary": {boundary}},
			Request{Action: "iam:PutRolePermissionsBoundary", Resource: "arn:aws:iam::123456789012:role/groundtruth/team/r", Context: map[string]string{"iam:PermissionsBoundary": boundary}}, true},
		{"instance profile: its own ARN", "RemoveRoleFromInstanceProfile", url.Values{"RoleName": {"r"}, "InstanceProfileName": {"ip"}},
			Request{Action: "iam:RemoveRoleFromInstanceProfile", Resource: "arn:aws:iam::123456789012:instance-profile/groundtruth/ip", Context: map[string]string{}}, true},
		{"missing role: left to IAM", "GetRole", url.Values{"RoleName": {"gone"}}, Request{Action: "iam:GetRole", Resource: "*", Context: map[string]string{}}, false},
		{"no entity named: Resource *", "ListRoles", url.Values{}, Request{Action: "iam:ListRoles", Resource: "*", Context: map[string]string{}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, known, err := FromQuery(t.Context(), scope, tt.action, tt.params, paths)
			if err != nil {
				t.Fatal(err)
			}
			if known != tt.wantKnown || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("FromQuery = %+v known=%v, want %+v known=%v", got, known, tt.want, tt.wantKnown)
			}
		})
	}
}
