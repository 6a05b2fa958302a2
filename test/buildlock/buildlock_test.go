package buildlock

import (
	"sync/atomic"
	"testing"
	"time"
)

// Two builds on one cache never overlap: the second starts only after the first has returned. (flock locks belong
// to an open file, so two opens in one process exclude each other as two processes do.)
func TestBuildsTakeTurns(t *testing.T) {
	firstIn, release, secondRan := make(chan struct{}), make(chan struct{}), make(chan time.Time, 1)
	var firstDone atomic.Int64 // UnixNano; the lock orders it, which the race detector cannot see
	go func() {
		_ = Do(t.Context(), func() error {
			close(firstIn)
			<-release
			firstDone.Store(time.Now().UnixNano())
			return nil
		})
	}()
	<-firstIn
	go func() {
		_ = Do(t.Context(), func() error { secondRan <- time.Now(); return nil })
	}()
	select {
	case <-secondRan:
		t.Fatal("the second build ran while the first held the lock")
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	select {
	case at := <-secondRan:
		if done := firstDone.Load(); done == 0 || at.UnixNano() < done {
			t.Errorf("the second build started at %v, before the first finished (%d)", at, done)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the second build never ran after the first released the lock")
	}
}
