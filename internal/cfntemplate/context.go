package cfntemplate

import (
	"fmt"
)

// Context is what CloudFormation knows when it resolves a template: the
// parameter values, the pseudo parameters and answers for references that
// leave the template (other resources, exports).
type Context struct {
	// Parameters holds the values passed for the stack, as CloudFormation receives them
	// (a CommaDelimitedList as "a,b"); parameters not given take their Default.
	Parameters map[string]string

	// Partition, Region, AccountID, StackName and StackID answer AWS::Partition, AWS::Region,
	// AWS::AccountId, AWS::StackName and AWS::StackId; referencing an empty one is an error.
	Partition string
	Region    string
	AccountID string
	StackName string
	StackID   string
	// URLSuffix answers AWS::URLSuffix; when empty it is derived from Partition.
	URLSuffix string
	// NotificationARNs answers AWS::NotificationARNs.
	NotificationARNs []string

	// ImportValue answers Fn::ImportValue; nil makes every import an error.
	ImportValue func(exportName string) (string, error)
	// Ref answers Ref on a resource of the template (its physical ID); nil makes such a Ref an error.
	Ref func(logicalID string) (string, error)
	// GetAtt answers Fn::GetAtt; nil makes every Fn::GetAtt an error.
	GetAtt func(logicalID, attribute string) (any, error)
}

// pseudo returns the value of a pseudo parameter.
func (c Context) pseudo(name string) (any, error) {
	var v string
	switch name {
	case "AWS::NoValue":
		return noValue{}, nil
	case "AWS::NotificationARNs":
		out := make([]any, len(c.NotificationARNs))
		for i, arn := range c.NotificationARNs {
			out[i] = arn
		}
		return out, nil
	case "AWS::Partition":
		v = c.Partition
	case "AWS::Region":
		v = c.Region
	case "AWS::AccountId":
		v = c.AccountID
	case "AWS::StackName":
		v = c.StackName
	case "AWS::StackId":
		v = c.StackID
	case "AWS::URLSuffix":
		v = c.urlSuffix()
	default:
		return nil, fmt.Errorf("unknown pseudo parameter %s", name)
	}
	if v == "" {
		return nil, fmt.Errorf("pseudo parameter %s is not set in the Context", name)
	}
	return v, nil
}

func (c Context) urlSuffix() string {
	switch {
	case c.URLSuffix != "":
		return c.URLSuffix
	case c.Partition == "aws-cn":
		return "amazonaws.com.cn"
	case c.Partition == "":
		return ""
	default:
		return "amazonaws.com"
	}
}

// noValue is the value of AWS::NoValue: the property or list element holding it is removed.
type noValue struct{}
