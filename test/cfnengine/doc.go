// Package cfnengine plays whole stack operations for one Custom::GroundTruthExecutionRole the way CloudFormation's
// engine does, against the compiled provider (test/runtimeapi) and moto behind the fault proxy and the test IAM
// authorization layer (test/harness):
//
//   - Create; on FAILED, the rollback Delete of the physical id the provider answered.
//   - Update; a SUCCESS with a new physical id is a replacement: the old id is deleted in the cleanup phase.
//     On FAILED, the rollback Update (PhysicalResourceId = the pre-update id, ResourceProperties = the previous
//     good properties, OldResourceProperties = the failed ones), then the cleanup Delete of any other id the failed
//     attempt answered.
//   - An Update that succeeds and then another resource of the stack fails: the rollback Update back to the old
//     properties on the id the Update answered (the new one after a replacement), then the Delete of the id not kept.
//   - Delete.
//
// Every request has a fresh RequestId, the same StackId and LogicalResourceId, and a ResponseURL pre-signed by
// moto's S3. AWS documents that an Update answered with a different PhysicalResourceId is a replacement, after
// which CloudFormation sends a Delete for the old id
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requesttypes-delete.html), and that a
// replacement creates the new resource first and deletes the old one in the cleanup phase
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-monitor-stack.html).
// How a rollback addresses a custom resource is not spelled out there; the model sends the rollback Update to the
// id the resource has at that point and deletes every id not kept, the strictest reading for a provider.
//
// Before each request the engine sets the stack's status and its record of the resource in the CloudFormation
// model (harness.CFN, test/cfnapi) as CloudFormation holds them at that step — CREATE_IN_PROGRESS, ROLLBACK_IN_PROGRESS,
// UPDATE_IN_PROGRESS, UPDATE_ROLLBACK_IN_PROGRESS, the two cleanup phases (the record holding the id kept), and
// DELETE_IN_PROGRESS — so the provider verifies every request; a request it does not verify, or one it refuses, is
// a violation.
//
// After every operation Check verifies the invariants: the stack's physical id names a role equal to the declared
// properties (as `gtrole render` makes it, policies compared by meaning) and, when the id is unchanged, the same
// role (RoleId); no role other than the stack's and the ones that were there before exists; no rollback or delete
// failed; no answer was missing; and the test IAM denied no call (nothing outside the fence was touched).
package cfnengine
