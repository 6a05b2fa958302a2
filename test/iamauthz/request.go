package iamauthz

import (
	"context"
	"net/url"
)

// Scope is the partition and account the ARNs of a request are built in.
type Scope struct {
	Partition string
	Account   string
}

// Paths finds the IAM path of existing entities; found is false when IAM has no entity of that name.
type Paths interface {
	RolePath(ctx context.Context, name string) (path string, found bool, err error)
	InstanceProfilePath(ctx context.Context, name string) (path string, found bool, err error)
}

// FromQuery maps an IAM Query-API call to the authorization request IAM evaluates: the action, the ARN of the
// resource it is authorized on, and the condition keys the call supplies (iam:PermissionsBoundary, iam:PolicyARN).
// IAM authorizes a call on a role on the role's ARN, which includes its path: for CreateRole the path is in the
// request, for an existing role it is looked up. known is false when the call names a role or instance profile
// that does not exist; the caller then lets IAM answer NoSuchEntity.
// Actions, resource types and condition keys per call:
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
func FromQuery(ctx context.Context, s Scope, action string, params url.Values, paths Paths) (r Request, known bool, err error) {
	r = Request{Action: "iam:" + action, Resource: "*", Context: map[string]string{}}
	if b := params.Get("PermissionsBoundary"); b != "" {
		r.Context["iam:PermissionsBoundary"] = b
	}
	if p := params.Get("PolicyArn"); p != "" && (action == "AttachRolePolicy" || action == "DetachRolePolicy") {
		r.Context["iam:PolicyARN"] = p
	}
	switch {
	case action == "CreateRole":
		path := params.Get("Path")
		if path == "" {
			path = "/"
		}
		r.Resource = s.arn("role", path, params.Get("RoleName"))
	case params.Get("InstanceProfileName") != "":
		name := params.Get("InstanceProfileName")
		path, found, err := paths.InstanceProfilePath(ctx, name)
		if err != nil || !found {
			return r, false, err
		}
		r.Resource = s.arn("instance-profile", path, name)
	case params.Get("RoleName") != "":
		name := params.Get("RoleName")
		path, found, err := paths.RolePath(ctx, name)
		if err != nil || !found {
			return r, false, err
		}
		r.Resource = s.arn("role", path, name)
	}
	return r, true, nil
}

// arn is the ARN of an IAM entity of kind ("role", "instance-profile") with its path and name.
func (s Scope) arn(kind, path, name string) string {
	return "arn:" + s.Partition + ":iam::" + s.Account + ":" + kind + path + name
}
