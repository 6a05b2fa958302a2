package cfnengine

import (
	"os"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/test/harness"
)

// pool gives each test a harness of its own, so the tests run in parallel.
var pool harness.Pool

func TestMain(m *testing.M) { os.Exit(harness.Main(m, &pool)) }
