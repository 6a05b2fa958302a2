// Package policy turns a validated spec into the Ground Truth execution role IAM should hold: the trust policy,
// the inline policies, the managed attachments and their sizes as IAM counts them. It knows nothing of
// CloudFormation and makes no AWS calls.
package policy
