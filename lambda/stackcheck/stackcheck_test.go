package stackcheck

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/smithy-go"
)

const stackID = "arn:aws:cloudformation:us-east-1:123456789012:stack/team/1c2fa620-982a-11e3-aff7-50e2416294e0"

var here = Home{Partition: "aws", Region: "us-east-1", Account: "123456789012"}

// fakeCFN answers for one stack holding one resource, or with err.
type fakeCFN struct {
	stack    types.StackStatus
	logical  string
	typ      string
	physical string
	status   types.ResourceStatus
	err      error
	calls    int
}

func (f *fakeCFN) DescribeStacks(_ context.Context, in *cloudformation.DescribeStacksInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error) {
	f.calls++
	if f.err != nil {
		return nil, f.err
	}
	if aws.ToString(in.StackName) != stackID {
		return nil, &smithy.GenericAPIError{Code: "ValidationError", Message: "Stack with id " + aws.ToString(in.StackName) + " does not exist"}
	}
	return &cloudformation.DescribeStacksOutput{Stacks: []types.Stack{{StackId: aws.String(stackID), StackStatus: f.stack}}}, nil
}

func (f *fakeCFN) DescribeStackResource(_ context.Context, in *cloudformation.DescribeStackResourceInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStackResourceOutput, error) {
	f.calls++
	if aws.ToString(in.LogicalResourceId) != f.logical {
		return nil, &smithy.GenericAPIError{Code: "ValidationError", Message: "Resource " + aws.ToString(in.LogicalResourceId) + " does not exist for stack team"}
	}
	return &cloudformation.DescribeStackResourceOutput{StackResourceDetail: &types.StackResourceDetail{
		LogicalResourceId: aws.String(f.logical), ResourceType: aws.String(f.typ), PhysicalResourceId: aws.String(f.physical),
		ResourceStatus: f.status, StackId: aws.String(stackID), LastUpdatedTimestamp: aws.Time(time.Unix(1, 0)),
	}}, nil
}

func TestVerify(t *testing.T) {
	const gt = "Custom::GroundTruthExecutionRole"
	tests := []struct {
		name     string
		req      Request
		cfn      fakeCFN
		refusal  string // "" confirms
		replaced bool
	}{
		{"create", req(cfn.RequestCreate, ""), fakeCFN{stack: "CREATE_IN_PROGRESS", status: "CREATE_IN_PROGRESS"}, "", false},
		{"create added by an update", req(cfn.RequestCreate, ""), fakeCFN{stack: "UPDATE_IN_PROGRESS", status: "CREATE_IN_PROGRESS"}, "", false},
		{"create of a resource already made", req(cfn.RequestCreate, ""), fakeCFN{stack: "UPDATE_IN_PROGRESS", physical: "role", status: "UPDATE_IN_PROGRESS"}, "a Create comes only while it is CREATE_IN_PROGRESS", false},
		{"create at rest", req(cfn.RequestCreate, ""), fakeCFN{stack: "CREATE_COMPLETE", physical: "role", status: "CREATE_COMPLETE"}, "is CREATE_COMPLETE", false},
		{"update", req(cfn.RequestUpdate, "role"), fakeCFN{stack: "UPDATE_IN_PROGRESS", physical: "role", status: "UPDATE_IN_PROGRESS"}, "", false},
		{"update rollback", req(cfn.RequestUpdate, "role"), fakeCFN{stack: "UPDATE_ROLLBACK_IN_PROGRESS", physical: "role", status: "UPDATE_IN_PROGRESS"}, "", false},
		{"update of another id", req(cfn.RequestUpdate, "victim"), fakeCFN{stack: "UPDATE_IN_PROGRESS", physical: "role", status: "UPDATE_IN_PROGRESS"}, `holds physical id "role", not the request's "victim"`, false},
		{"update at rest", req(cfn.RequestUpdate, "role"), fakeCFN{stack: "UPDATE_COMPLETE", physical: "role", status: "UPDATE_COMPLETE"}, "is UPDATE_COMPLETE", false},
		{"update of a resource not updating", req(cfn.RequestUpdate, "role"), fakeCFN{stack: "UPDATE_IN_PROGRESS", physical: "role", status: "UPDATE_COMPLETE"}, "an Update comes only while", false},
		{"update during a delete", req(cfn.RequestUpdate, "role"), fakeCFN{stack: "DELETE_IN_PROGRESS", physical: "role", status: "DELETE_IN_PROGRESS"}, "is DELETE_IN_PROGRESS", false},
		{"delete", req(cfn.RequestDelete, "role"), fakeCFN{stack: "DELETE_IN_PROGRESS", physical: "role", status: "DELETE_IN_PROGRESS"}, "", false},
		{"create rollback", req(cfn.RequestDelete, "role"), fakeCFN{stack: "ROLLBACK_IN_PROGRESS", physical: "role", status: "DELETE_IN_PROGRESS"}, "", false},
		{"cleanup of a removed resource", req(cfn.RequestDelete, "role"), fakeCFN{stack: "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", physical: "role", status: "DELETE_IN_PROGRESS"}, "", false},
		{"cleanup of a replaced role", req(cfn.RequestDelete, "old"), fakeCFN{stack: "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", physical: "new", status: "UPDATE_COMPLETE"}, "", true},
		{"cleanup after an update rollback", req(cfn.RequestDelete, "new"), fakeCFN{stack: "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", physical: "old", status: "UPDATE_COMPLETE"}, "", true},
		{"cleanup delete of the live role", req(cfn.RequestDelete, "new"), fakeCFN{stack: "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", physical: "new", status: "UPDATE_COMPLETE"}, "a Delete of the role it holds comes only while it is DELETE_IN_PROGRESS", false},
		{"delete of another id", req(cfn.RequestDelete, "victim"), fakeCFN{stack: "DELETE_IN_PROGRESS", physical: "role", status: "DELETE_IN_PROGRESS"}, "a Delete of another id comes only while the stack is UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", false},
		{"delete at rest", req(cfn.RequestDelete, "role"), fakeCFN{stack: "UPDATE_COMPLETE", physical: "role", status: "UPDATE_COMPLETE"}, "is UPDATE_COMPLETE", false},
		{"delete of a deleted stack", req(cfn.RequestDelete, "role"), fakeCFN{stack: "DELETE_COMPLETE", physical: "role", status: "DELETE_COMPLETE"}, "is DELETE_COMPLETE", false},
		{"import", req(cfn.RequestCreate, ""), fakeCFN{stack: "IMPORT_IN_PROGRESS", status: "CREATE_IN_PROGRESS"}, "is IMPORT_IN_PROGRESS", false},
		{"wrong resource type", req(cfn.RequestDelete, "role"), fakeCFN{stack: "DELETE_IN_PROGRESS", typ: "AWS::IAM::Role", physical: "role", status: "DELETE_IN_PROGRESS"}, "is a AWS::IAM::Role", false},
		{"wrong logical id", func() Request { r := req(cfn.RequestDelete, "role"); r.LogicalID = "Other"; return r }(), fakeCFN{stack: "DELETE_IN_PROGRESS", physical: "role", status: "DELETE_IN_PROGRESS"}, "does not know resource Other", false},
		{"event claims another type", func() Request { r := req(cfn.RequestDelete, "role"); r.ResourceType = "Custom::Other"; return r }(), fakeCFN{stack: "DELETE_IN_PROGRESS", physical: "role", status: "DELETE_IN_PROGRESS"}, `ResourceType is "Custom::Other"`, false},
		{"unknown stack", func() Request {
			r := req(cfn.RequestDelete, "role")
			r.StackID = strings.Replace(stackID, "1c2f", "ffff", 1)
			return r
		}(), fakeCFN{stack: "DELETE_IN_PROGRESS"}, "does not know stack", false},
		{"other account", func() Request {
			r := req(cfn.RequestDelete, "role")
			r.StackID = strings.Replace(stackID, "123456789012", "999988887777", 1)
			return r
		}(), fakeCFN{}, "in account 999988887777", false},
		{"other Region", func() Request {
			r := req(cfn.RequestDelete, "role")
			r.StackID = strings.Replace(stackID, "us-east-1", "eu-west-1", 1)
			return r
		}(), fakeCFN{}, "in Region eu-west-1", false},
		{"other partition", func() Request {
			r := req(cfn.RequestDelete, "role")
			r.StackID = strings.Replace(stackID, "arn:aws:", "arn:aws-cn:", 1)
			return r
		}(), fakeCFN{}, "in partition aws-cn", false},
		{"not a stack ARN", func() Request { r := req(cfn.RequestDelete, "role"); r.StackID = "team"; return r }(), fakeCFN{}, "is not a CloudFormation stack ARN", false},
		{"unknown request type", req("Poke", "role"), fakeCFN{stack: "UPDATE_IN_PROGRESS"}, `RequestType "Poke"`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.cfn
			f.logical = "Role"
			if f.typ == "" {
				f.typ = gt
			}
			v, err := (&Checker{CFN: &f}).Verify(t.Context(), tt.req)
			if tt.refusal == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if v.Replaced != tt.replaced || v.StackStatus != f.stack {
					t.Errorf("verified %+v, want Replaced %v", v, tt.replaced)
				}
				return
			}
			var r *Refused
			if !errors.As(err, &r) || r.Unavailable || !strings.Contains(err.Error(), tt.refusal) {
				t.Errorf("err = %v, want a refusal naming %q", err, tt.refusal)
			}
		})
	}
}

// TestVerifyFailsClosed: an API failure (after the client's retries) refuses the request as unverifiable.
func TestVerifyFailsClosed(t *testing.T) {
	for _, cause := range []error{
		&smithy.GenericAPIError{Code: "Throttling", Message: "Rate exceeded"},
		&smithy.GenericAPIError{Code: "AccessDenied", Message: "not authorized to perform: cloudformation:DescribeStacks"},
		errors.New("dial tcp: connection refused"),
	} {
		f := &fakeCFN{err: cause}
		_, err := (&Checker{CFN: f}).Verify(t.Context(), req(cfn.RequestDelete, "role"))
		var r *Refused
		if !errors.As(err, &r) || !r.Unavailable || !errors.Is(err, cause) || !strings.Contains(err.Error(), "retry the stack operation") {
			t.Errorf("%v: err = %v, want an unavailable refusal wrapping it", cause, err)
		}
	}
}

func req(typ cfn.RequestType, physical string) Request {
	return Request{Home: here, Type: typ, StackID: stackID, LogicalID: "Role", PhysicalID: physical, ResourceType: "Custom::GroundTruthExecutionRole"}
}
