package cfnengine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/stackcheck"
	"github.com/gtrole/groundtruth-execution-role/test/cfnapi"
	"github.com/gtrole/groundtruth-execution-role/test/harness"
	"github.com/gtrole/groundtruth-execution-role/test/runtimeapi"
)

// Config is how the provider runs for a stack.
type Config struct {
	Timeout   time.Duration // the Lambda timeout; runtimeapi's default when 0
	Env       []string      // provider settings, e.g. ROLE_PATH_PREFIX=/teams/
	Freeze    bool          // the sandbox is frozen right after each answer: every request gets a fresh process
	LogicalID string        // "ExecutionRole" when empty
}

// Step is one request CloudFormation sent and what it saw.
type Step struct {
	Phase      string // "create", "rollback delete", "update", "rollback update", "cleanup delete", "delete"
	Type       cfn.RequestType
	PhysicalID string
	Response   cfn.Response // Status "" when no answer arrived
	Err        error        // why no answer arrived
	// Invocation is how the Lambda invocation ended (nil when it did not): its error, deadline and duration.
	Invocation *runtimeapi.Invocation
}

// String is the step as a log line.
func (s Step) String() string {
	out := fmt.Sprintf("%s %s(%s) → %s %s", s.Phase, s.Type, s.PhysicalID, s.Response.Status, s.Response.PhysicalResourceID)
	if s.Response.Reason != "" {
		out += ": " + s.Response.Reason
	}
	if s.Err != nil {
		out += fmt.Sprintf(" (no answer: %v)", s.Err)
	}
	return out
}

// Engine is one stack holding one custom resource.
type Engine struct {
	h   *harness.Harness
	cfg Config
	rt  *runtimeapi.Runtime

	// PhysicalID and Props are the stack's record of the resource; PhysicalID is "" when it has none.
	PhysicalID string
	Props      map[string]any

	roleID     string     // RoleId of the role lastID named at the last Check
	lastID     string     // the physical id at the last Check
	foreign    []string   // roles that were in IAM before the stack's first operation
	Steps      []Step     // every request sent, in order
	onNext     func(Step) // called once, with the next request's step (OnNextAnswer)
	violations []string   // what went wrong inside operations (failed rollbacks and deletes, missing answers)
	// deleteFailed: the last Delete failed, so the role may be half removed until the Delete is retried.
	deleteFailed bool
}

// New starts an engine for one stack; IAM's roles at this point are not the stack's. Close stops the provider.
func New(ctx context.Context, h *harness.Harness, cfg Config) (*Engine, error) {
	if cfg.LogicalID == "" {
		cfg.LogicalID = "ExecutionRole"
	}
	names, err := h.RoleNames(ctx)
	if err != nil {
		return nil, err
	}
	return &Engine{h: h, cfg: cfg, foreign: names}, nil
}

// Close stops the provider process, if one runs.
func (e *Engine) Close() error {
	if e.rt == nil {
		return nil
	}
	_, err := e.rt.Stop()
	e.rt = nil
	return err
}

// Logs returns the logs of the provider process that runs now ("" when none).
func (e *Engine) Logs() string {
	if e.rt == nil {
		return ""
	}
	return e.rt.Logs()
}

// runtime returns the process for the next request: the warm one, or a fresh one.
func (e *Engine) runtime(ctx context.Context) (*runtimeapi.Runtime, error) {
	if e.rt != nil {
		select {
		case <-e.rt.Exited():
			_ = e.Close() // Lambda replaces a sandbox that died (e.g. killed at the timeout)
		default:
			return e.rt, nil
		}
	}
	rt, err := e.h.Runtime(ctx, runtimeapi.Options{Timeout: e.cfg.Timeout}, e.cfg.Env...)
	if err != nil {
		return nil, err
	}
	e.rt = rt
	return rt, nil
}

// send delivers one request and reads back what the provider PUT to the response URL. An infrastructure error
// (the runtime cannot start) is returned; a missing answer is recorded in the step.
func (e *Engine) send(ctx context.Context, phase string, typ cfn.RequestType, physicalID string, props, old map[string]any) (Step, error) {
	step := Step{Phase: phase, Type: typ, PhysicalID: physicalID}
	rt, err := e.runtime(ctx)
	if err != nil {
		return step, err
	}
	ev, key, err := e.h.Event(ctx, harness.Request{Type: typ, LogicalID: e.cfg.LogicalID, PhysicalID: physicalID, Props: props, OldProps: old, KeepStack: true})
	if err != nil {
		return step, err
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		return step, err
	}
	verified := len(e.h.CFN.Calls())
	inv, invokeErr := rt.Invoke(ctx, payload)
	step.Invocation = inv
	if len(e.h.CFN.Calls()) == verified {
		e.violate("%s %s(%s): the provider did not verify the request with CloudFormation", phase, typ, physicalID)
	}
	if e.cfg.Freeze {
		_ = e.Close() // frozen right after the answer: nothing the process does afterwards happens
	}
	body, err := e.h.Moto.GetObject(ctx, harness.ResponseBucket, key)
	if err == nil {
		err = json.Unmarshal(body, &step.Response)
	}
	if err != nil {
		step.Err = errors.Join(err, invokeErr)
		e.violate("%s: no answer reached CloudFormation (the stack would wait an hour): %v", step, step.Err)
	}
	if step.Response.Status != "" && step.Response.PhysicalResourceID == "" {
		e.violate("%s: the answer has no PhysicalResourceId (CloudFormation refuses it)", step)
	}
	if strings.Contains(step.Response.Reason, stackcheck.NotConfirmed) || strings.Contains(step.Response.Reason, stackcheck.NotVerifiable) {
		e.violate("%s: the provider refused a request CloudFormation makes", step)
	}
	e.Steps = append(e.Steps, step)
	if next := e.onNext; next != nil {
		e.onNext = nil
		next(step)
	}
	return step, nil
}

// OnNextAnswer has f called with the next request's step as soon as it is answered, before the engine sends
// anything else (e.g. to check IAM at that moment, or to lift an injected fault).
func (e *Engine) OnNextAnswer(f func(Step)) { e.onNext = f }

func (e *Engine) violate(format string, args ...any) {
	e.violations = append(e.violations, fmt.Sprintf(format, args...))
}

// at records in the CloudFormation model (harness.CFN) the stack's status and its record of the resource, as
// CloudFormation holds them at this step; the provider verifies each request against it.
func (e *Engine) at(stackStatus, physicalID, resourceStatus string) {
	e.h.CFN.Set(harness.StackID, stackStatus, cfnapi.Resource{
		LogicalID: e.cfg.LogicalID, Type: contract.ResourceType, PhysicalID: physicalID, Status: resourceStatus,
	})
}

// succeeded reports whether the step's answer is SUCCESS.
func succeeded(s Step) bool { return s.Response.Status == cfn.StatusSuccess }

// Create plays a stack create; it reports whether the resource was created.
func (e *Engine) Create(ctx context.Context, props map[string]any) (bool, error) {
	e.at("CREATE_IN_PROGRESS", "", "CREATE_IN_PROGRESS")
	a, err := e.send(ctx, "create", cfn.RequestCreate, "", props, nil)
	if err != nil {
		return false, err
	}
	if succeeded(a) {
		e.PhysicalID, e.Props = a.Response.PhysicalResourceID, maps.Clone(props)
		e.at("CREATE_COMPLETE", e.PhysicalID, "CREATE_COMPLETE")
		return true, nil
	}
	// CloudFormation rolls a failed create back with a Delete of the id the provider answered.
	if a.Response.PhysicalResourceID == "" {
		return false, nil // send recorded the violation: there is no id to delete
	}
	e.at("ROLLBACK_IN_PROGRESS", a.Response.PhysicalResourceID, "DELETE_IN_PROGRESS")
	d, err := e.send(ctx, "rollback delete", cfn.RequestDelete, a.Response.PhysicalResourceID, props, nil)
	if err != nil {
		return false, err
	}
	if !succeeded(d) {
		e.violate("%s: ROLLBACK_FAILED", d)
		e.at("ROLLBACK_FAILED", a.Response.PhysicalResourceID, "DELETE_FAILED")
		return false, nil
	}
	e.at("ROLLBACK_COMPLETE", a.Response.PhysicalResourceID, "DELETE_COMPLETE")
	return false, nil
}

// Update plays a stack update to props; thenStackFails makes another resource fail after this one succeeded, so
// CloudFormation rolls this one back. It reports whether this resource's Update itself succeeded.
func (e *Engine) Update(ctx context.Context, props map[string]any, thenStackFails bool) (bool, error) {
	preID, preProps := e.PhysicalID, e.Props
	e.at("UPDATE_IN_PROGRESS", preID, "UPDATE_IN_PROGRESS")
	a, err := e.send(ctx, "update", cfn.RequestUpdate, preID, props, preProps)
	if err != nil {
		return false, err
	}
	answered := a.Response.PhysicalResourceID
	if succeeded(a) && !thenStackFails {
		if answered != preID {
			// A replacement: the old resource is deleted in the cleanup phase, the record holding the new one.
			e.at("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", answered, "UPDATE_COMPLETE")
			if err := e.cleanup(ctx, []string{preID}, preProps); err != nil {
				return true, err
			}
		}
		e.PhysicalID, e.Props = answered, maps.Clone(props)
		e.at("UPDATE_COMPLETE", answered, "UPDATE_COMPLETE")
		return true, nil
	}
	// Rollback: back to the previous properties, on the id the resource has now (the new one after a replacement,
	// the pre-update one after a failure).
	rollbackID := preID
	if succeeded(a) {
		rollbackID = answered
	}
	e.at("UPDATE_ROLLBACK_IN_PROGRESS", rollbackID, "UPDATE_IN_PROGRESS")
	r, err := e.send(ctx, "rollback update", cfn.RequestUpdate, rollbackID, preProps, props)
	if err != nil {
		return succeeded(a), err
	}
	kept := preID
	if !succeeded(r) {
		e.violate("%s: UPDATE_ROLLBACK_FAILED", r)
		kept = rollbackID
	} else {
		kept = r.Response.PhysicalResourceID
		if kept != preID {
			e.violate("%s: the rollback answered %q instead of the pre-update %q, so CloudFormation deletes the live role %q in the cleanup", r, kept, preID, preID)
		}
	}
	var stale []string
	for _, id := range []string{answered, preID} {
		if id != "" && id != kept && !slices.Contains(stale, id) {
			stale = append(stale, id)
		}
	}
	e.PhysicalID, e.Props = kept, preProps
	if !succeeded(r) {
		// UPDATE_ROLLBACK_FAILED; the model goes on as after ContinueUpdateRollback, which skips the resource.
		e.at("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", kept, "UPDATE_FAILED")
	} else {
		e.at("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", kept, "UPDATE_COMPLETE")
	}
	err = e.cleanup(ctx, stale, props)
	e.at("UPDATE_ROLLBACK_COMPLETE", kept, "UPDATE_COMPLETE")
	return succeeded(a), err
}

// cleanup sends the Delete of every id the stack no longer keeps.
func (e *Engine) cleanup(ctx context.Context, ids []string, props map[string]any) error {
	for _, id := range ids {
		d, err := e.send(ctx, "cleanup delete", cfn.RequestDelete, id, props, nil)
		if err != nil {
			return err
		}
		if !succeeded(d) {
			e.violate("%s: the cleanup could not delete %q (CloudFormation leaves it behind)", d, id)
		}
	}
	return nil
}

// Delete plays a stack delete and reports whether it succeeded. A failed Delete leaves the stack DELETE_FAILED,
// holding the resource in whatever state the failure left it, until the Delete is retried.
func (e *Engine) Delete(ctx context.Context) (bool, error) {
	if e.PhysicalID == "" {
		return true, nil
	}
	e.at("DELETE_IN_PROGRESS", e.PhysicalID, "DELETE_IN_PROGRESS")
	d, err := e.send(ctx, "delete", cfn.RequestDelete, e.PhysicalID, e.Props, nil)
	if err != nil || !succeeded(d) {
		e.deleteFailed = true
		e.at("DELETE_FAILED", e.PhysicalID, "DELETE_FAILED")
		return false, err
	}
	e.at("DELETE_COMPLETE", e.PhysicalID, "DELETE_COMPLETE")
	e.PhysicalID, e.Props, e.deleteFailed = "", nil, false
	return true, nil
}
