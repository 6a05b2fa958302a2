// Package e2e sends single requests to the compiled provider binary, as CloudFormation and Lambda would: a Lambda
// Runtime API serves it, moto plays IAM and S3 behind a fault-injecting proxy and the test IAM, and every answer is
// read back from a pre-signed S3 URL. What a stack does across requests (rollbacks, cleanups, faults at every
// write) is test/cfnengine's.
package e2e

import (
	"os"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/test/harness"
)

// pool gives each test a harness of its own, so the tests run in parallel.
var pool harness.Pool

func TestMain(m *testing.M) { os.Exit(harness.Main(m, &pool)) }
