package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gtrole/groundtruth-execution-role/internal/version"
)

// TestStartLogNamesVersion checks that the provider logs its version once, as one JSON line, when it starts.
func TestStartLogNamesVersion(t *testing.T) {
	t.Parallel()
	_, rt := fresh(t, 10*time.Second)
	// The child's output reaches the buffer through a pipe: wait for the line rather than race it.
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if err := rt.WaitLog(ctx, `"msg":"provider starting"`); err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, line := range strings.Split(rt.Logs(), "\n") {
		var entry struct {
			Msg     string `json:"msg"`
			Version string `json:"version"`
		}
		if json.Unmarshal([]byte(line), &entry) != nil || entry.Version == "" {
			continue
		}
		found++
		if entry.Version != version.Version {
			t.Errorf("start log names version %q, want %q: %s", entry.Version, version.Version, line)
		}
	}
	if found != 1 {
		t.Errorf("%d log lines name a version, want 1:\n%s", found, rt.Logs())
	}
}
