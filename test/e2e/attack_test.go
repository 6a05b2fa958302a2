package e2e

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/reconcile"
	"github.com/gtrole/groundtruth-execution-role/test/cfnapi"
	"github.com/gtrole/groundtruth-execution-role/test/harness"
	"github.com/gtrole/groundtruth-execution-role/test/runtimeapi"
)

// The attacks are made by someone who may invoke the provider function (every stack author can) but is not
// CloudFormation: forged events for another team's stack. Each test starts from a victim stack whose Create went
// through CloudFormation; the model then holds the stack at rest, as CloudFormation would.

const gtType = "Custom::GroundTruthExecutionRole"

// victim creates the victim stack's role and leaves the stack at rest (CREATE_COMPLETE); it returns the role's name.
func victim(t *testing.T, h *harness.Harness, rt *runtimeapi.Runtime) string {
	t.Helper()
	name := mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, Props: harness.Props(t, "non-streaming")})).PhysicalResourceID
	h.CFN.Set(harness.StackID, "CREATE_COMPLETE", cfnapi.Resource{LogicalID: "ExecutionRole", Type: gtType, PhysicalID: name, Status: "CREATE_COMPLETE"})
	h.Proxy.Reset()
	return name
}

// forged sends req without touching the CloudFormation model and checks that it was refused with reason, that the
// provider made no IAM call at all, and that the victim's role is exactly as its stack declared it.
func forged(t *testing.T, h *harness.Harness, rt *runtimeapi.Runtime, role string, req harness.Request, reason ...string) {
	t.Helper()
	req.KeepStack = true
	mustFail(t, send(t, h, rt, req), reason...)
	noIAM(t, h)
	if role != "" {
		assertRole(t, h, desired(t, harness.Props(t, "non-streaming"), role))
	}
}

// TestForgedRequestsForAnotherStacksRole: a Delete, an Update pointing the role at the
// attacker's bucket, and a Create re-using the victim's ids, all for a stack CloudFormation holds at rest, are
// answered FAILED and change nothing. On bad5a21 the Delete deleted the role and the Update rewrote it.
func TestForgedRequestsForAnotherStacksRole(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	role := victim(t, h, rt)
	const atRest = "is CREATE_COMPLETE"
	attacker := harness.With(harness.Props(t, "non-streaming"), "OutputBuckets", []any{"attacker-bucket"})
	forged(t, h, rt, role, harness.Request{Type: cfn.RequestDelete, PhysicalID: role}, atRest)
	forged(t, h, rt, role, harness.Request{Type: cfn.RequestUpdate, PhysicalID: role, Props: attacker, OldProps: harness.Props(t, "non-streaming")}, atRest)
	forged(t, h, rt, role, harness.Request{Type: cfn.RequestCreate, Props: attacker}, atRest)
}

// TestForgedRequestsRefused: each way a request can differ from what CloudFormation is doing is refused with a
// reason naming the difference, before any IAM call.
func TestForgedRequestsRefused(t *testing.T) {
	t.Parallel()
	other := strings.Replace(harness.StackID, "123456789012", "999988887777", 1)
	elsewhere := strings.Replace(harness.StackID, "us-east-1", "eu-west-1", 1)
	res := func(physical, status string) cfnapi.Resource {
		return cfnapi.Resource{LogicalID: "ExecutionRole", Type: gtType, PhysicalID: physical, Status: status}
	}
	tests := []struct {
		name   string
		stack  string // the stack's status in the model; "" registers nothing
		res    func(role string) cfnapi.Resource
		req    func(role string) harness.Request
		reason string
	}{
		{"delete while the stack updates", "UPDATE_IN_PROGRESS", func(r string) cfnapi.Resource { return res(r, "UPDATE_COMPLETE") },
			func(r string) harness.Request { return harness.Request{Type: cfn.RequestDelete, PhysicalID: r} }, "sends a Delete only while the stack is DELETE_IN_PROGRESS"},
		{"delete of the live role in a cleanup", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", func(r string) cfnapi.Resource { return res(r, "UPDATE_COMPLETE") },
			func(r string) harness.Request { return harness.Request{Type: cfn.RequestDelete, PhysicalID: r} }, "a Delete of the role it holds comes only while it is DELETE_IN_PROGRESS"},
		{"update at rest after an update", "UPDATE_COMPLETE", func(r string) cfnapi.Resource { return res(r, "UPDATE_COMPLETE") },
			func(r string) harness.Request {
				return harness.Request{Type: cfn.RequestUpdate, PhysicalID: r, Props: harness.Props(t, "non-streaming")}
			}, "is UPDATE_COMPLETE"},
		{"update of a deleted stack", "DELETE_COMPLETE", func(r string) cfnapi.Resource { return res(r, "DELETE_COMPLETE") },
			func(r string) harness.Request {
				return harness.Request{Type: cfn.RequestUpdate, PhysicalID: r, Props: harness.Props(t, "non-streaming")}
			}, "is DELETE_COMPLETE"},
		{"wrong physical id", "DELETE_IN_PROGRESS", func(string) cfnapi.Resource { return res("some-other-role", "DELETE_IN_PROGRESS") },
			func(r string) harness.Request { return harness.Request{Type: cfn.RequestDelete, PhysicalID: r} }, `holds physical id "some-other-role"`},
		{"wrong resource type", "DELETE_IN_PROGRESS", func(r string) cfnapi.Resource {
			x := res(r, "DELETE_IN_PROGRESS")
			x.Type = "AWS::IAM::Role"
			return x
		}, func(r string) harness.Request { return harness.Request{Type: cfn.RequestDelete, PhysicalID: r} }, "is a AWS::IAM::Role"},
		{"wrong logical id", "DELETE_IN_PROGRESS", func(r string) cfnapi.Resource { return res(r, "DELETE_IN_PROGRESS") },
			func(r string) harness.Request {
				return harness.Request{Type: cfn.RequestDelete, PhysicalID: r, LogicalID: "SomethingElse"}
			}, "Resource SomethingElse does not exist"},
		{"another account's stack", "", nil, func(r string) harness.Request { return harness.Request{Type: cfn.RequestDelete, PhysicalID: r} },
			"in account 999988887777"},
		{"another Region's stack", "", nil, func(r string) harness.Request { return harness.Request{Type: cfn.RequestDelete, PhysicalID: r} },
			"in Region eu-west-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, rt := fresh(t, 30*time.Second)
			role := victim(t, h, rt)
			if tt.stack != "" {
				h.CFN.Set(harness.StackID, tt.stack, tt.res(role))
			}
			req := tt.req(role)
			ev, key, err := h.Event(t.Context(), harness.Request{Type: req.Type, PhysicalID: req.PhysicalID, LogicalID: req.LogicalID, Props: req.Props, KeepStack: true})
			if err != nil {
				t.Fatal(err)
			}
			switch tt.name {
			case "another account's stack":
				ev.StackID = other
			case "another Region's stack":
				ev.StackID = elsewhere
			}
			if tt.stack == "" { // the other stack is in progress, so only where it is refuses it
				h.CFN.Set(ev.StackID, "DELETE_IN_PROGRESS", res(role, "DELETE_IN_PROGRESS"))
			}
			d, err := h.SendEvent(t.Context(), rt, ev, key)
			if err != nil {
				t.Fatal(err)
			}
			mustFail(t, d, tt.reason)
			noIAM(t, h)
			assertRole(t, h, desired(t, harness.Props(t, "non-streaming"), role))
		})
	}
}

// TestCloudFormationUnavailableFailsClosed: when the check cannot be made (every CloudFormation call fails, after
// the client's retries), an ordinary Delete is answered FAILED and the role stays; once CloudFormation answers
// again the retried Delete deletes it.
func TestCloudFormationUnavailableFailsClosed(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 90*time.Second)
	role := victim(t, h, rt)
	h.Register(harness.Request{Type: cfn.RequestDelete, PhysicalID: role})
	h.CFN.Fail("ServiceUnavailable")
	forged(t, h, rt, role, harness.Request{Type: cfn.RequestDelete, PhysicalID: role}, "could not be verified with CloudFormation", "retry the stack operation")
	h.CFN.Fail("")
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, PhysicalID: role}))
	if names := roleNames(t, h); len(names) != 0 {
		t.Errorf("roles left after the retried Delete: %v", names)
	}
}

// TestForgedOwnershipTags: a hand-made role under the prefix that trusts the account root and allows
// everything carries the ownership tags of a stack's resource. That resource's Create with RoleName naming it is
// refused (on bad5a21 it adopted the role and answered SUCCESS), and a cleanup Delete of it in that stack leaves it
// (on bad5a21 it deleted it).
func TestForgedOwnershipTags(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	const name, logical = "hand-made", "Adopter"
	rootTrust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`
	if _, err := h.IAM.CreateRole(t.Context(), &iam.CreateRoleInput{
		RoleName: aws.String(name), Path: aws.String("/groundtruth/"), AssumeRolePolicyDocument: aws.String(rootTrust),
		Tags: []types.Tag{
			{Key: aws.String(contract.StackIDTagKey), Value: aws.String(harness.StackID)},
			{Key: aws.String(contract.LogicalIDTagKey), Value: aws.String(logical)},
		},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.IAM.PutRolePolicy(t.Context(), &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String("Everything"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)}); err != nil {
		t.Fatal(err)
	}
	before, err := h.Describe(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	unchanged := func(after string) {
		t.Helper()
		got, err := h.Describe(t.Context(), name)
		if err != nil || got == nil {
			t.Fatalf("after %s the hand-made role is gone: %v", after, err)
		}
		if !reflect.DeepEqual(got, before) {
			t.Errorf("after %s the hand-made role changed:\n%+v\nwas\n%+v", after, got, before)
		}
	}
	props := harness.With(harness.Props(t, "non-streaming"), "RoleName", name)
	mustFail(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, LogicalID: logical, Props: props}), "trust policy is not the provider's SageMaker trust")
	unchanged("a Create adopting it")

	// The stack is in its cleanup phase and its record holds another role: CloudFormation could send a Delete of
	// an id the resource held before, which the provider honours only for a role that is really the resource's.
	h.CFN.Set(harness.StackID, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", cfnapi.Resource{LogicalID: logical, Type: gtType, PhysicalID: "the-live-role", Status: "UPDATE_COMPLETE"})
	mustSucceed(t, send(t, h, rt, harness.Request{Type: cfn.RequestDelete, LogicalID: logical, PhysicalID: name, KeepStack: true}))
	unchanged("a cleanup Delete of it")
}

// noIAM fails the test if the provider made an IAM call since the proxy's last reset (the response PUT to S3 is
// not one).
func noIAM(t *testing.T, h *harness.Harness) {
	t.Helper()
	var calls []string
	for _, a := range actions(h.Proxy.Requests()) {
		if a != "" {
			calls = append(calls, a)
		}
	}
	if len(calls) != 0 {
		t.Errorf("a refused request made IAM calls: %v", calls)
	}
}

// TestRetaggedRoleIsNotAdopted: someone allowed iam:TagRole retags the victim stack's role (which keeps the
// provider's trust) for a resource of their own stack and has that resource's Create name it with RoleName. The
// role was made before CloudFormation began creating the resource, so no delivery of this Create made it: the
// Create fails and the role is untouched (on bad5a21 it was adopted and rewritten to the attacker's properties).
func TestRetaggedRoleIsNotAdopted(t *testing.T) {
	t.Parallel()
	h, rt := fresh(t, 30*time.Second)
	role := victim(t, h, rt)
	const logical = "Thief"
	if _, err := h.IAM.TagRole(t.Context(), &iam.TagRoleInput{RoleName: aws.String(role), Tags: []types.Tag{
		{Key: aws.String(contract.LogicalIDTagKey), Value: aws.String(logical)},
	}}); err != nil {
		t.Fatal(err)
	}
	// CloudFormation began creating the thief's resource after the victim's role was made.
	h.CFN.Set(harness.StackID, "UPDATE_IN_PROGRESS", cfnapi.Resource{LogicalID: logical, Type: gtType, Status: "CREATE_IN_PROGRESS",
		Since: time.Now().Add(2 * reconcile.ClockSkew)})
	h.Proxy.Reset()
	attacker := harness.With(harness.Props(t, "non-streaming"), "RoleName", role, "OutputBuckets", []any{"attacker-bucket"})
	mustFail(t, send(t, h, rt, harness.Request{Type: cfn.RequestCreate, LogicalID: logical, Props: attacker, KeepStack: true}),
		"before CloudFormation began creating the resource")
	got, err := h.Describe(t.Context(), role)
	if err != nil {
		t.Fatal(err)
	}
	want := desired(t, harness.Props(t, "non-streaming"), role)
	for _, d := range harness.RoleDiff(got, want) {
		t.Error(d)
	}
}
