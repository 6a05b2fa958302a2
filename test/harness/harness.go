// Package harness runs the compiled provider the way CloudFormation and Lambda would, on this machine: moto's IAM
// and S3 behind a fault-injecting proxy, a Lambda Runtime API serving the binary, and for each response a pre-signed
// URL of CloudFormation's response bucket, which test/cfnbucket delivers to moto's S3. The end-to-end tests and
// `make demo` share it.
package harness

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gtrole/groundtruth-execution-role/internal/cfntemplate"
	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
	"github.com/gtrole/groundtruth-execution-role/templates"
	"github.com/gtrole/groundtruth-execution-role/test/cfnapi"
	"github.com/gtrole/groundtruth-execution-role/test/cfnbucket"
	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
	"github.com/gtrole/groundtruth-execution-role/test/iamauthz"
	"github.com/gtrole/groundtruth-execution-role/test/moto"
	"github.com/gtrole/groundtruth-execution-role/test/runtimeapi"
)

// StackID is the stack every harness request comes from.
const StackID = "arn:aws:cloudformation:us-east-1:123456789012:stack/gt-demo/5b6a1e20-c7a1-11f0-9d2a-0affd1f1e3a5"

// StackIn is the harness's stack (StackID's name and id) in region's partition and region, for a provider run there.
func StackIn(region string) string {
	return "arn:" + spec.PartitionOf(region) + ":cloudformation:" + region + ":123456789012:stack/gt-demo/5b6a1e20-c7a1-11f0-9d2a-0affd1f1e3a5"
}

// ResponseBucket is moto's bucket holding the responses: the stand-in for CloudFormation's response bucket
// (Harness.Bucket) stores there whatever is PUT to it, in every region.
const ResponseBucket = "cfn-responses"

// Harness is moto, a fault proxy in front of it, and the provider binary.
type Harness struct {
	Moto   *moto.Server
	Proxy  *faultproxy.Proxy
	IAM    *iam.Client // straight to moto, for looking at what the provider did
	Binary string
	// Authz is the proxy's gate: IAM calls the provider role's statements deny are answered AccessDenied, and the
	// inline-policy quota is enforced. Runtime sets its policy from templates/provider.yaml for the runtime's settings.
	Authz *iamauthz.Gate
	// Bucket stands in for CloudFormation's response bucket: the provider reaches it through its HTTPS_PROXY,
	// trusting its certificate authority, and it forwards the answers through the proxy to ResponseBucket.
	Bucket *cfnbucket.Stub
	// CFN is the model of CloudFormation's API the provider verifies each request with (its
	// AWS_ENDPOINT_URL_CLOUDFORMATION); Event records each request's stack there unless told not to.
	CFN    *cfnapi.Server
	seq    atomic.Int64
	region atomic.Value // the last runtime's AWS_REGION, the region of the response URLs
}

// stack is the StackId of the requests Event builds: the harness's stack in the last runtime's Region, where the
// provider verifies it.
func (h *Harness) stack() string {
	return StackIn(h.Region())
}

// Start starts moto and the proxy for the given provider binary.
func Start(ctx context.Context, binary string) (*Harness, error) {
	m, err := moto.Start(ctx, moto.WithAWSManagedPolicies())
	if err != nil {
		return nil, err
	}
	p, err := faultproxy.New(m.URL())
	if err != nil {
		return nil, errors.Join(err, m.Stop())
	}
	b, err := cfnbucket.Start(p.URL() + "/" + ResponseBucket)
	if err != nil {
		return nil, errors.Join(err, p.Close(), m.Stop())
	}
	c, err := cfnapi.Start()
	if err != nil {
		return nil, errors.Join(err, b.Close(), p.Close(), m.Stop())
	}
	client := iam.NewFromConfig(m.Config(ctx))
	gate := &iamauthz.Gate{IAM: client, Scope: iamauthz.Scope{Partition: "aws", Account: moto.AccountID}}
	p.SetGate(gate)
	return &Harness{Moto: m, Proxy: p, IAM: client, Binary: binary, Authz: gate, Bucket: b, CFN: c}, nil
}

// Close stops the CloudFormation model, the bucket, the proxy and moto.
func (h *Harness) Close() error {
	return errors.Join(h.CFN.Close(), h.Bucket.Close(), h.Proxy.Close(), h.Moto.Stop())
}

// Reset empties moto and forgets the proxy's rules and records. It then makes one IAM call, so moto loads AWS's
// managed policies now rather than inside the next measured request.
func (h *Harness) Reset(ctx context.Context) error {
	h.Proxy.Reset()
	h.Bucket.Reset()
	h.Authz.Reset()
	h.CFN.Reset()
	if err := h.Moto.Reset(ctx); err != nil {
		return err
	}
	if _, err := h.IAM.ListRoles(ctx, &iam.ListRolesInput{}); err != nil {
		return fmt.Errorf("warm moto's IAM after reset: %w", err)
	}
	return nil
}

// Clean readies the harness for the next test: the proxy's rules and records and the gate's denials are forgotten,
// and moto is reset only when it holds a role. A reset makes moto reload AWS's managed policies, the costliest step
// of a short test, and the tests make nothing in IAM but roles.
func (h *Harness) Clean(ctx context.Context) error {
	h.Proxy.Reset()
	h.Bucket.Reset()
	h.Authz.Reset()
	h.CFN.Reset()
	if names, err := h.RoleNames(ctx); err == nil && len(names) == 0 {
		return nil
	}
	return h.Reset(ctx)
}

// Runtime starts the provider binary under a Runtime API, talking to AWS through the proxy. env adds provider
// settings such as ROLE_PATH_PREFIX; the proxy's gate then grants the permissions templates/provider.yaml gives the
// provider's role for those settings (see ProviderPolicy).
func (h *Harness) Runtime(ctx context.Context, opts runtimeapi.Options, env ...string) (*runtimeapi.Runtime, error) {
	p, err := ProviderPolicy(env...)
	if err != nil {
		return nil, err
	}
	h.Authz.SetPolicy(p)
	h.CFN.Authorize(func(action, resource string) error {
		// The policy is provider.yaml resolved in aws/us-east-1 (iamauthz.ProviderPolicy); a provider run in another
		// Region (the demo's cn-north-1) is judged by the same template there: the stack's ARN is read in
		// us-east-1's terms.
		if a, err := arn.Parse(resource); err == nil {
			a.Partition, a.Region = "aws", moto.Region
			resource = a.String()
		}
		if !p.Decide(iamauthz.Request{Action: action, Resource: resource}).Allowed {
			//lint:ignore ST1005 CloudFormation's AccessDenied message, word for word
			return fmt.Errorf("User: %s is not authorized to perform: %s on resource: %s", iamauthz.Principal, action, resource)
		}
		return nil
	})
	opts.Binary = h.Binary
	base := append(append(moto.EnvFor(h.Proxy.URL()), h.Bucket.Env()...), "AWS_ENDPOINT_URL_CLOUDFORMATION="+h.CFN.URL())
	opts.Env = append(append(base, opts.Env...), env...)
	h.region.Store(regionOf(opts))
	return runtimeapi.Start(ctx, opts)
}

// regionOf is the AWS_REGION the runtime's process sees: the last one in its environment, else the runtime's.
func regionOf(opts runtimeapi.Options) string {
	region := opts.Region
	for _, kv := range opts.Env {
		if v, ok := strings.CutPrefix(kv, "AWS_REGION="); ok {
			region = v
		}
	}
	if region == "" {
		region = runtimeapi.DefaultRegion
	}
	return region
}

// Region is the region of the last runtime started, whose response bucket the events name (us-east-1 before any).
func (h *Harness) Region() string {
	if r, ok := h.region.Load().(string); ok {
		return r
	}
	return runtimeapi.DefaultRegion
}

// ProviderPolicy is the provider role's policy as templates/provider.yaml grants it for the settings in env
// (ROLE_PATH_PREFIX, ALLOWED_MANAGED_POLICY_ARNS, REQUIRED_PERMISSIONS_BOUNDARY). Settings the template would refuse
// (a misconfigured provider, e.g. ROLE_PATH_PREFIX=/) cannot be deployed that way: they stand for a function whose
// environment was edited after deployment, so its role keeps the permissions of the template's defaults.
func ProviderPolicy(env ...string) (*iamauthz.Policy, error) {
	var s iamauthz.Settings
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "ROLE_PATH_PREFIX":
			s.RolePathPrefix = v
		case "ALLOWED_MANAGED_POLICY_ARNS":
			s.AllowedManagedPolicyArns = v
		case "REQUIRED_PERMISSIONS_BOUNDARY":
			s.RequiredPermissionsBoundary = v
		}
	}
	p, err := iamauthz.ProviderPolicy(templates.ProviderYAML, s)
	var bad *cfntemplate.ParameterError
	if errors.As(err, &bad) {
		return iamauthz.ProviderPolicy(templates.ProviderYAML, iamauthz.Settings{})
	}
	return p, err
}

// Request is one CloudFormation request to the custom resource.
type Request struct {
	Type       cfn.RequestType
	RequestID  string // generated when empty
	LogicalID  string // "ExecutionRole" when empty
	PhysicalID string
	Props      map[string]any
	OldProps   map[string]any
	// KeepStack leaves the CloudFormation model as it is; otherwise Event records the stack and the resource as
	// CloudFormation holds them while it sends this request type (see Register).
	KeepStack bool
}

// Register records in the CloudFormation model the state in which CloudFormation sends an ordinary request of its
// type: a Create while the stack and the resource are CREATE_IN_PROGRESS (no physical id yet), an Update while both
// are UPDATE_IN_PROGRESS and a Delete while both are DELETE_IN_PROGRESS, the resource holding the request's
// physical id.
func (h *Harness) Register(req Request) {
	status := map[cfn.RequestType]string{
		cfn.RequestCreate: "CREATE_IN_PROGRESS", cfn.RequestUpdate: "UPDATE_IN_PROGRESS", cfn.RequestDelete: "DELETE_IN_PROGRESS",
	}[req.Type]
	logical := req.LogicalID
	if logical == "" {
		logical = "ExecutionRole"
	}
	h.CFN.Set(h.stack(), status, cfnapi.Resource{LogicalID: logical, Type: contract.ResourceType, PhysicalID: req.PhysicalID, Status: status})
}

// Delivery is what CloudFormation saw for one request.
type Delivery struct {
	Event      cfn.Event
	Response   cfn.Response
	Body       []byte // the object as PUT to the response URL
	Invocation *runtimeapi.Invocation
}

// Send delivers the request to the runtime and reads back the response the provider PUT to the pre-signed URL.
func (h *Harness) Send(ctx context.Context, rt *runtimeapi.Runtime, req Request) (*Delivery, error) {
	ev, key, err := h.Event(ctx, req)
	if err != nil {
		return nil, err
	}
	return h.SendEvent(ctx, rt, ev, key)
}

// Event builds the CloudFormation event for req with a fresh pre-signed URL of CloudFormation's response bucket in
// the runtime's region; key names its object in ResponseBucket.
func (h *Harness) Event(ctx context.Context, req Request) (cfn.Event, string, error) {
	n := h.seq.Add(1)
	if req.RequestID == "" {
		req.RequestID = fmt.Sprintf("00000000-0000-4000-8000-%012d", n)
	}
	if req.LogicalID == "" {
		req.LogicalID = "ExecutionRole"
	}
	if !req.KeepStack {
		h.Register(req)
	}
	key := fmt.Sprintf("responses/%s/%d", req.RequestID, n)
	signed, err := h.Moto.PresignPut(ctx, h.Proxy.URL(), ResponseBucket, key)
	if err != nil {
		return cfn.Event{}, "", err
	}
	url, err := h.Bucket.URL(signed, h.Region())
	if err != nil {
		return cfn.Event{}, "", err
	}
	props := map[string]any{"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:gtrole-test"}
	for k, v := range req.Props {
		props[k] = Stringify(v)
	}
	ev := cfn.Event{
		RequestType:        req.Type,
		RequestID:          req.RequestID,
		ResponseURL:        url,
		ResourceType:       contract.ResourceType,
		PhysicalResourceID: req.PhysicalID,
		LogicalResourceID:  req.LogicalID,
		StackID:            h.stack(),
		ResourceProperties: props,
	}
	if req.OldProps != nil {
		ev.OldResourceProperties = map[string]any{"ServiceToken": props["ServiceToken"]}
		for k, v := range req.OldProps {
			ev.OldResourceProperties[k] = Stringify(v)
		}
	}
	return ev, key, nil
}

// SendEvent invokes the runtime with ev and reads the response object at key.
func (h *Harness) SendEvent(ctx context.Context, rt *runtimeapi.Runtime, ev cfn.Event, key string) (*Delivery, error) {
	payload, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	inv, err := rt.Invoke(ctx, payload)
	if err != nil {
		return nil, fmt.Errorf("invoke %s: %w", ev.RequestType, err)
	}
	d := &Delivery{Event: ev, Invocation: inv}
	d.Body, err = h.Moto.GetObject(ctx, ResponseBucket, key)
	if err != nil {
		return d, fmt.Errorf("read the response CloudFormation would see (invocation error: %v): %w", inv.Error, err)
	}
	if err := json.Unmarshal(d.Body, &d.Response); err != nil {
		return d, fmt.Errorf("decode response %s: %w", d.Body, err)
	}
	return d, nil
}

// Stringify turns scalars into strings as CloudFormation does with a custom resource's properties.
func Stringify(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, item := range x {
			out[k] = Stringify(item)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = Stringify(item)
		}
		return out
	case nil, string:
		return x
	default:
		return fmt.Sprint(x)
	}
}
