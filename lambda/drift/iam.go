package drift

import (
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gtrole/groundtruth-execution-role/lambda/reconcile"
)

// IAM is the read-only part of the IAM API the audit calls: reconcile's reader's per-role and bulk reads;
// *iam.Client satisfies it.
type IAM interface {
	reconcile.ReadIAM
	reconcile.BulkIAM
}

var _ IAM = (*iam.Client)(nil)
