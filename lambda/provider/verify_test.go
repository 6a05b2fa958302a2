package provider

import (
	"errors"
	"testing"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/lambda/reconcile"
	"github.com/gtrole/groundtruth-execution-role/lambda/stackcheck"
)

// TestUnverifiedRequestTouchesNothing: a request CloudFormation does not confirm, one that cannot be checked, and
// any request of a provider without a checker fail with the refusal and make no role call.
func TestUnverifiedRequestTouchesNothing(t *testing.T) {
	for name, stacks := range map[string]Stacks{"refused": refuseAll{}, "unavailable": refuseAll{unavailable: true}, "no checker": nil} {
		for _, rt := range []cfn.RequestType{cfn.RequestCreate, cfn.RequestUpdate, cfn.RequestDelete} {
			roles := &fakeRoles{roles: map[string]reconcile.Existing{"fixed": ours("/groundtruth/")}}
			p := &Provider{Roles: roles, Stacks: stacks, Settings: settings, Region: "us-east-1"}
			ev := cfn.Event{RequestType: rt, StackID: stackID, LogicalResourceID: "Role", RequestID: "r", PhysicalResourceID: "fixed",
				ResourceProperties: props("RoleName", "fixed")}
			id, _, err := p.Work(lambdaContext(), ev)
			var refused *stackcheck.Refused
			if !errors.As(err, &refused) || len(roles.calls) != 0 || id != "fixed" {
				t.Errorf("%s %s: answered %q, err %v, calls %v; want the refusal, the physical id and no call", name, rt, id, err, roles.calls)
			}
		}
	}
}

// TestVerifyAsksAboutTheEventInTheProvidersHome: the checker is asked about the event's own claims, with the
// provider's account and partition from its invoked function ARN and its Region.
func TestVerifyAsksAboutTheEventInTheProvidersHome(t *testing.T) {
	stacks := &confirmAll{}
	p := &Provider{Roles: &fakeRoles{}, Stacks: stacks, Settings: settings, Region: "us-east-1"}
	ev := cfn.Event{RequestType: cfn.RequestDelete, StackID: stackID, LogicalResourceID: "Role", RequestID: "r",
		PhysicalResourceID: "fixed", ResourceType: "Custom::GroundTruthExecutionRole"}
	if _, _, err := p.Work(lambdaContext(), ev); err != nil {
		t.Fatal(err)
	}
	want := stackcheck.Request{
		Home: stackcheck.Home{Partition: "aws", Region: "us-east-1", Account: "123456789012"},
		Type: cfn.RequestDelete, StackID: stackID, LogicalID: "Role", PhysicalID: "fixed", ResourceType: "Custom::GroundTruthExecutionRole",
	}
	if len(stacks.seen) != 1 || stacks.seen[0] != want {
		t.Errorf("checker saw %+v, want [%+v]", stacks.seen, want)
	}
}
