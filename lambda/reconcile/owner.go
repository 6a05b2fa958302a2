package reconcile

import (
	"fmt"
	"strings"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// Tag keys that mark a role as created by one custom resource of one stack.
const (
	// OwnerTagPrefix starts every tag key the reconciler reserves; user tags must not use it.
	OwnerTagPrefix = contract.ReservedTagPrefix
	// StackIDTagKey holds the CloudFormation StackId of the owning stack.
	StackIDTagKey = OwnerTagPrefix + "cloudformation:stack-id"
	// LogicalIDTagKey holds the LogicalResourceId of the owning custom resource.
	LogicalIDTagKey = OwnerTagPrefix + "cloudformation:logical-id"
)

// Owner identifies the custom resource a role belongs to.
type Owner struct {
	StackID   string // CloudFormation StackId
	LogicalID string // LogicalResourceId of the custom resource
}

// tags returns the ownership tags, in key order.
func (o Owner) tags() map[string]string {
	return map[string]string{StackIDTagKey: o.StackID, LogicalIDTagKey: o.LogicalID}
}

// validate refuses an owner that could not be told apart from another.
func (o Owner) validate() error {
	if o.StackID == "" || o.LogicalID == "" {
		return fmt.Errorf("owner needs both a stack id and a logical id, got %q and %q", o.StackID, o.LogicalID)
	}
	return nil
}

// owns reports whether a role's tags carry exactly this owner.
func (o Owner) owns(tags map[string]string) bool {
	return tags[StackIDTagKey] == o.StackID && tags[LogicalIDTagKey] == o.LogicalID
}

// describeOwner says who the tags name as owner, for a not-owned message.
func describeOwner(tags map[string]string) string {
	stack, logical := tags[StackIDTagKey], tags[LogicalIDTagKey]
	if stack == "" && logical == "" {
		return "it carries no gtrole ownership tags"
	}
	return fmt.Sprintf("its tags name stack %s, resource %s", orNone(stack), orNone(logical))
}

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "(none)"
	}
	return s
}
