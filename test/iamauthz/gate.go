package iamauthz

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
)

// Principal is the ARN the AccessDenied messages name as the caller (the provider function's session).
const Principal = "arn:aws:sts::123456789012:assumed-role/gt-provider-role/gtrole-test"

// Denied is one call the gate refused.
type Denied struct {
	Request Request
	Code    string // "AccessDenied" or "LimitExceeded"
}

// Gate is a faultproxy.Gate that answers IAM calls as IAM would for a caller holding Policy: AccessDenied when
// the policy denies the call, LimitExceeded when a PutRolePolicy would take a role's inline policies over
// contract.MaxInlinePolicySize. It reads the paths and inline policies it needs straight from moto through IAM.
type Gate struct {
	IAM   *iam.Client // straight to moto, not through the proxy
	Scope Scope

	mu     sync.Mutex
	policy *Policy // nil: every call is allowed (only the quota is enforced)
	denied []Denied
}

// SetPolicy makes p the caller's permissions; nil allows every call.
func (g *Gate) SetPolicy(p *Policy) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.policy = p
}

// Denied returns the calls refused since the last Reset.
func (g *Gate) Denied() []Denied {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Denied(nil), g.denied...)
}

// Reset forgets the refused calls.
func (g *Gate) Reset() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.denied = nil
}

// Admit implements faultproxy.Gate for IAM calls; calls to other services pass.
func (g *Gate) Admit(ctx context.Context, c faultproxy.Call) *faultproxy.Refusal {
	if c.Service != "iam" {
		return nil
	}
	req, known, err := FromQuery(ctx, g.Scope, c.Action, c.Params, g)
	if err != nil {
		return &faultproxy.Refusal{Status: http.StatusInternalServerError, Code: "ServiceFailure", Message: "test IAM authorization: " + err.Error()}
	}
	if !known {
		return nil // IAM answers NoSuchEntity
	}
	g.mu.Lock()
	p := g.policy
	g.mu.Unlock()
	if p != nil && !p.Decide(req).Allowed {
		g.record(Denied{Request: req, Code: "AccessDenied"})
		return &faultproxy.Refusal{Status: http.StatusForbidden, Code: "AccessDenied", Message: fmt.Sprintf(
			"User: %s is not authorized to perform: %s on resource: %s because no identity-based policy allows the %s action",
			Principal, req.Action, req.Resource, req.Action)}
	}
	if c.Action == "PutRolePolicy" {
		return g.checkQuota(ctx, req, c)
	}
	return nil
}

// checkQuota refuses a PutRolePolicy that would take the role's inline policies together over IAM's quota.
func (g *Gate) checkQuota(ctx context.Context, req Request, c faultproxy.Call) *faultproxy.Refusal {
	role, name := c.Params.Get("RoleName"), c.Params.Get("PolicyName")
	total, err := documentSize(c.Params.Get("PolicyDocument"))
	if err != nil {
		return &faultproxy.Refusal{Status: http.StatusBadRequest, Code: "MalformedPolicyDocument", Message: err.Error()}
	}
	others, err := g.IAM.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String(role)})
	if err != nil {
		return nil // moto answers the call itself (e.g. NoSuchEntity)
	}
	for _, other := range others.PolicyNames {
		if other == name {
			continue // replaced by this call
		}
		got, err := g.IAM.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(role), PolicyName: aws.String(other)})
		if err != nil {
			return &faultproxy.Refusal{Status: http.StatusInternalServerError, Code: "ServiceFailure", Message: "test IAM quota: " + err.Error()}
		}
		doc, err := iamdoc.ParseEncoded(aws.ToString(got.PolicyDocument))
		if err != nil {
			return &faultproxy.Refusal{Status: http.StatusInternalServerError, Code: "ServiceFailure", Message: "test IAM quota: " + err.Error()}
		}
		total += iamdoc.Size(doc)
	}
	if total <= contract.MaxInlinePolicySize {
		return nil
	}
	g.record(Denied{Request: req, Code: "LimitExceeded"})
	// IAM answers this quota with LimitExceeded, HTTP 409
	// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html).
	return &faultproxy.Refusal{Status: http.StatusConflict, Code: "LimitExceeded",
		Message: fmt.Sprintf("Maximum policy size of %d bytes exceeded for role %s", contract.MaxInlinePolicySize, role)}
}

// documentSize is a policy document's size as IAM counts it for its quotas (lambda/policy's count).
func documentSize(text string) (int, error) {
	doc, err := iamdoc.Parse(text)
	if err != nil {
		return 0, err
	}
	return iamdoc.Size(doc), nil
}

func (g *Gate) record(d Denied) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.denied = append(g.denied, d)
}

// RolePath implements Paths with GetRole.
func (g *Gate) RolePath(ctx context.Context, name string) (string, bool, error) {
	out, err := g.IAM.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
	var missing *types.NoSuchEntityException
	if errors.As(err, &missing) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("look up role %s: %w", name, err)
	}
	return aws.ToString(out.Role.Path), true, nil
}

// InstanceProfilePath implements Paths with GetInstanceProfile.
func (g *Gate) InstanceProfilePath(ctx context.Context, name string) (string, bool, error) {
	out, err := g.IAM.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: aws.String(name)})
	var missing *types.NoSuchEntityException
	if errors.As(err, &missing) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("look up instance profile %s: %w", name, err)
	}
	return aws.ToString(out.InstanceProfile.Path), true, nil
}
