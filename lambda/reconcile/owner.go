package reconcile

import (
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/trustpolicy"
)

// Owner identifies the custom resource a role belongs to.
type Owner struct {
	StackID   string // CloudFormation StackId
	LogicalID string // LogicalResourceId of the custom resource
	// Named is the role CloudFormation's record of the resource names (its verified physical id); "" when it names
	// none, as during a Create.
	Named string
	// Since, for a Create, is when CloudFormation began creating the resource: a role made before it (less
	// ClockSkew) cannot be one this Create made, so it is not adopted. Zero checks nothing.
	Since time.Time
}

// ClockSkew is how far IAM's and CloudFormation's clocks may disagree for Owner.Since.
const ClockSkew = time.Minute

// tags returns the ownership tags, in key order.
func (o Owner) tags() map[string]string {
	return map[string]string{contract.StackIDTagKey: o.StackID, contract.LogicalIDTagKey: o.LogicalID}
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
	return tags[contract.StackIDTagKey] == o.StackID && tags[contract.LogicalIDTagKey] == o.LogicalID
}

// disowns says why role, carrying tags, is not owner's, or "" when it is. Its tags must name owner. Tags are
// written by whoever may call iam:TagRole, so a role the stack's record does not name (one to adopt, a rollback's
// older role, a replaced role in a cleanup) must also hold the trust policy the provider gives its roles, which only
// iam:UpdateAssumeRolePolicy changes: a hand-made role trusting anyone else is never taken for the provider's. The
// role the record names is the resource's by CloudFormation's word; a drifted trust of it is repaired by an Update.
func (o Owner) disowns(role *types.Role, tags map[string]string) string {
	if !o.owns(tags) {
		return describeOwner(tags)
	}
	if o.Named != "" && aws.ToString(role.RoleName) == o.Named {
		return ""
	}
	if !providerTrust(role) {
		return "its tags name this resource but its trust policy is not the provider's SageMaker trust, and the stack does not name the role"
	}
	if made := aws.ToTime(role.CreateDate); !o.Since.IsZero() && made.Before(o.Since.Add(-ClockSkew)) {
		return fmt.Sprintf("its tags name this resource but it was created at %s, before CloudFormation began creating the resource at %s",
			made.UTC().Format(time.RFC3339), o.Since.UTC().Format(time.RFC3339))
	}
	return ""
}

// providerTrust reports whether the role's trust policy is, by meaning, one the provider makes for the role's
// account (trustpolicy.IsProviders).
func providerTrust(role *types.Role) bool {
	a, err := arn.Parse(aws.ToString(role.Arn))
	doc := decodeDocument(aws.ToString(role.AssumeRolePolicyDocument))
	return err == nil && doc != nil && trustpolicy.IsProviders(a.AccountID, *doc)
}

// describeOwner says who the tags name as owner, for a not-owned message.
func describeOwner(tags map[string]string) string {
	stack, logical := tags[contract.StackIDTagKey], tags[contract.LogicalIDTagKey]
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
