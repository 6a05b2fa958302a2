// Package buildlock makes the tests' `go build` commands take turns on one Go build cache. Test packages run in
// parallel, and several build the provider; on a cold cache each would compile the same AWS SDK packages at the
// same time, since Go does not share work in progress between processes. Taking turns, the first compiles and
// the others find its results in the cache.
package buildlock

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// Do runs build while holding an exclusive lock on a file in the Go build cache (`go env GOCACHE`), so builds on
// the same cache from other processes wait for it.
func Do(ctx context.Context, build func() error) error {
	out, err := exec.CommandContext(ctx, "go", "env", "GOCACHE").Output()
	if err != nil {
		return fmt.Errorf("go env GOCACHE: %w", err)
	}
	dir := strings.TrimSpace(string(out))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(dir, "gtrole-build.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("lock %s: %w", f.Name(), err)
	}
	defer syscall.Flock(int(f.Fd()), syscall.LOCK_UN) //nolint:errcheck // closing the file releases it too
	return build()
}
