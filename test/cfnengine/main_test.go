package cfnengine

import (
	"os"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/test/harness"
)

var h *harness.Harness

func TestMain(m *testing.M) { os.Exit(harness.Main(m, &h)) }
