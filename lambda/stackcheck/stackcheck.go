// Package stackcheck verifies a custom resource request with CloudFormation before the provider acts on it: anyone
// who may invoke the function can send it an event, so the event's StackId, LogicalResourceId, PhysicalResourceId
// and RequestType are claims until CloudFormation's own record of the stack confirms them. Two read-only calls,
// DescribeStacks and DescribeStackResource, decide; anything they cannot confirm is refused, and a check that cannot
// be made (an API error, throttling after the client's retries) refuses too.
package stackcheck

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// CloudFormation is the part of CloudFormation's API the check calls; *cloudformation.Client implements it.
type CloudFormation interface {
	DescribeStacks(ctx context.Context, in *cloudformation.DescribeStacksInput, opts ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error)
	DescribeStackResource(ctx context.Context, in *cloudformation.DescribeStackResourceInput, opts ...func(*cloudformation.Options)) (*cloudformation.DescribeStackResourceOutput, error)
}

// Home is where the provider runs: the only account, Region and partition whose stacks it answers.
type Home struct {
	Partition, Region, Account string
}

// Request is what an event claims about itself, and where the provider that received it runs.
type Request struct {
	Home         Home
	Type         cfn.RequestType
	StackID      string
	LogicalID    string
	PhysicalID   string
	ResourceType string
}

// Verified is what CloudFormation confirmed.
type Verified struct {
	// Named is the physical id CloudFormation's record of the resource holds ("" during a Create): the role the
	// stack names.
	Named string
	// Since is when the resource entered its current status, as CloudFormation records it.
	Since time.Time
	// Replaced is true for a Delete, in a cleanup phase, of an id the resource no longer holds: the role an update
	// replaced, or the new one a rolled-back update made.
	Replaced bool
	// StackStatus is the stack's status at the check.
	StackStatus types.StackStatus
}

// Refused is a request CloudFormation does not confirm, or one that could not be checked (Unavailable).
type Refused struct {
	Reason      string
	Unavailable bool  // the check itself failed; retrying the stack operation may pass it
	Err         error // the API error, when there was one
}

// The openings of a refusal's message, which the FAILED response's Reason carries.
const (
	NotConfirmed  = "the request is not one CloudFormation is making, so nothing was changed"
	NotVerifiable = "the request could not be verified with CloudFormation, so nothing was changed"
)

func (e *Refused) Error() string {
	if e.Unavailable {
		return NotVerifiable + ": " + e.Reason
	}
	return NotConfirmed + ": " + e.Reason
}

func (e *Refused) Unwrap() error { return e.Err }

func refuse(format string, args ...any) error { return &Refused{Reason: fmt.Sprintf(format, args...)} }

// Stack statuses in which CloudFormation sends each request type. The codes and what each phase does:
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html#cfn-console-view-stack-data-resources-status-codes
// Create: a stack create, or a resource added by an update. Update: an update, and the update rollback returning a
// resource to its previous properties. Delete: a stack delete, the rollback of a failed create, and the cleanup
// phases after an update (old and replaced resources) and after an update rollback (resources the failed update
// made); a Delete of the id the resource no longer holds comes only in those two cleanup phases. Custom resources
// cannot be imported, so no IMPORT_* status sends a request, nor does REVIEW_IN_PROGRESS (a change set's stack
// before execution); a nested stack has statuses of its own and is checked like any other stack.
var (
	createStatuses = []types.StackStatus{types.StackStatusCreateInProgress, types.StackStatusUpdateInProgress}
	updateStatuses = []types.StackStatus{types.StackStatusUpdateInProgress, types.StackStatusUpdateRollbackInProgress}
	deleteStatuses = []types.StackStatus{
		types.StackStatusDeleteInProgress, types.StackStatusRollbackInProgress, types.StackStatusUpdateRollbackInProgress,
		types.StackStatusUpdateCompleteCleanupInProgress, types.StackStatusUpdateRollbackCompleteCleanupInProgress,
	}
	cleanupStatuses = []types.StackStatus{
		types.StackStatusUpdateCompleteCleanupInProgress, types.StackStatusUpdateRollbackCompleteCleanupInProgress,
	}
	// The resource's own status while CloudFormation waits for the provider's answer to each request type (newer
	// event shapes report an update rollback's resources as UPDATE_ROLLBACK_IN_PROGRESS, older ones as UPDATE_IN_PROGRESS).
	createResource = []types.ResourceStatus{types.ResourceStatusCreateInProgress}
	updateResource = []types.ResourceStatus{types.ResourceStatusUpdateInProgress, types.ResourceStatusUpdateRollbackInProgress}
	deleteResource = []types.ResourceStatus{types.ResourceStatusDeleteInProgress}
)

// Checker verifies requests against CloudFormation.
type Checker struct {
	CFN CloudFormation // in the provider's own account and Region; its retryer handles throttling, an error after the retries refuses
}

// Verify confirms that CloudFormation is making r now: the stack is in the provider's own account and Region,
// exists, is in a status in which CloudFormation sends r.Type, and holds r.LogicalID as a
// Custom::GroundTruthExecutionRole whose own status and physical id fit the request. A *Refused error says why not.
func (c *Checker) Verify(ctx context.Context, r Request) (Verified, error) {
	if err := home(r.Home, r.StackID); err != nil {
		return Verified{}, err
	}
	if r.ResourceType != contract.ResourceType {
		return Verified{}, refuse("ResourceType is %q; this provider serves only %s", r.ResourceType, contract.ResourceType)
	}
	stacks, err := c.CFN.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(r.StackID)})
	if err != nil {
		return Verified{}, apiRefusal("DescribeStacks", fmt.Sprintf("stack %s", r.StackID), err)
	}
	i := slices.IndexFunc(stacks.Stacks, func(s types.Stack) bool { return aws.ToString(s.StackId) == r.StackID })
	if i < 0 {
		return Verified{}, refuse("CloudFormation reports no stack %s", r.StackID)
	}
	status := stacks.Stacks[i].StackStatus
	var statuses []types.StackStatus
	switch r.Type {
	case cfn.RequestCreate:
		statuses = createStatuses
	case cfn.RequestUpdate:
		statuses = updateStatuses
	case cfn.RequestDelete:
		statuses = deleteStatuses
	default:
		return Verified{}, refuse("RequestType %q is not Create, Update or Delete", r.Type)
	}
	if !slices.Contains(statuses, status) {
		return Verified{}, refuse("stack %s is %s; CloudFormation sends a %s only while the stack is %s", r.StackID, status, r.Type, join(statuses))
	}
	res, err := c.CFN.DescribeStackResource(ctx, &cloudformation.DescribeStackResourceInput{
		StackName: aws.String(r.StackID), LogicalResourceId: aws.String(r.LogicalID),
	})
	if err != nil {
		return Verified{}, apiRefusal("DescribeStackResource", fmt.Sprintf("resource %s of stack %s", r.LogicalID, r.StackID), err)
	}
	d := res.StackResourceDetail
	if d == nil || aws.ToString(d.LogicalResourceId) != r.LogicalID {
		return Verified{}, refuse("CloudFormation reports no resource %s in stack %s", r.LogicalID, r.StackID)
	}
	if typ := aws.ToString(d.ResourceType); typ != contract.ResourceType {
		return Verified{}, refuse("resource %s of stack %s is a %s, not a %s", r.LogicalID, r.StackID, typ, contract.ResourceType)
	}
	v := Verified{Named: aws.ToString(d.PhysicalResourceId), Since: aws.ToTime(d.LastUpdatedTimestamp), StackStatus: status}
	return v, check(r, d.ResourceStatus, &v)
}

// check matches the resource's status and physical id to the request type.
func check(r Request, rs types.ResourceStatus, v *Verified) error {
	where := fmt.Sprintf("resource %s of stack %s", r.LogicalID, r.StackID)
	switch r.Type {
	case cfn.RequestCreate:
		if !slices.Contains(createResource, rs) {
			return refuse("%s is %s; a Create comes only while it is %s", where, rs, join(createResource))
		}
		v.Named = "" // a Create's resource has no role yet
	case cfn.RequestUpdate:
		if !slices.Contains(updateResource, rs) {
			return refuse("%s is %s; an Update comes only while it is %s", where, rs, join(updateResource))
		}
		if v.Named != r.PhysicalID {
			return refuse("%s holds physical id %q, not the request's %q", where, v.Named, r.PhysicalID)
		}
	case cfn.RequestDelete:
		if v.Named == r.PhysicalID {
			if !slices.Contains(deleteResource, rs) {
				return refuse("%s is %s; a Delete of the role it holds comes only while it is %s", where, rs, join(deleteResource))
			}
			return nil
		}
		// In a cleanup phase CloudFormation deletes the id a resource held before: its record already holds the
		// replacement (or, after an update rollback, the role it returned to).
		if !slices.Contains(cleanupStatuses, v.StackStatus) {
			return refuse("%s holds physical id %q, not the request's %q; a Delete of another id comes only while the stack is %s",
				where, v.Named, r.PhysicalID, join(cleanupStatuses))
		}
		v.Replaced = true
	}
	return nil
}

// home refuses a StackId outside the provider's partition, Region and account. A custom resource's service token
// must be in the stack's Region (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cfn-customresource.html);
// a stack of another account could be read only through a role assumed there, so such a stack is refused.
func home(h Home, stackID string) error {
	a, err := arn.Parse(stackID)
	if err != nil || a.Service != "cloudformation" || !strings.HasPrefix(a.Resource, "stack/") {
		return refuse("StackId %q is not a CloudFormation stack ARN", stackID)
	}
	switch {
	case a.Partition != h.Partition:
		return refuse("stack %s is in partition %s; this provider runs in %s", stackID, a.Partition, h.Partition)
	case a.AccountID != h.Account:
		return refuse("stack %s is in account %s; this provider answers only stacks of its own account %s (deploy a provider in account %s for its stacks)",
			stackID, a.AccountID, h.Account, a.AccountID)
	case a.Region != h.Region:
		return refuse("stack %s is in Region %s; this provider answers only stacks of its own Region %s (a service token must be in the stack's Region)",
			stackID, a.Region, h.Region)
	}
	return nil
}

// apiRefusal classifies a failed call: CloudFormation's ValidationError says the stack or resource does not exist;
// anything else means the check could not be made.
func apiRefusal(call, what string, err error) error {
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() == "ValidationError" {
		return &Refused{Reason: fmt.Sprintf("%s: CloudFormation does not know %s: %s", call, what, api.ErrorMessage()), Err: err}
	}
	return &Refused{Reason: fmt.Sprintf("%s of %s failed: %v; retry the stack operation", call, what, err), Unavailable: true, Err: err}
}

func join[S ~string](xs []S) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return strings.Join(out, " or ")
}
