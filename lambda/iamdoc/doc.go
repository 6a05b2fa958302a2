// Package iamdoc is the IAM document model: policy documents and the role that holds them, their canonical form,
// their JSON as IAM reads and returns it, and their sizes and characters as IAM's quotas count them. It knows
// nothing of Ground Truth, CloudFormation or properties, and makes no AWS calls.
package iamdoc
