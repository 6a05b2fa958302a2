package logbuf

import (
	"strings"
	"sync"
	"testing"
)

// Concurrent writers lose no bytes and interleave whole writes (run under -race).
func TestBufferTakesConcurrentWrites(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				b.Write([]byte("line\n"))
				_ = b.String()
			}
		})
	}
	wg.Wait()
	if got := strings.Count(b.String(), "line\n"); got != 800 {
		t.Fatalf("got %d lines, want 800", got)
	}
}

// With Max set, the buffer keeps the last Max bytes, whatever the sizes of the writes.
func TestBufferKeepsTheTail(t *testing.T) {
	for _, tc := range []struct {
		writes []string
		want   string
	}{
		{[]string{"abc"}, "abc"},
		{[]string{"abc", "defg"}, "defg"},
		{[]string{"abcdefgh"}, "efgh"},
		{[]string{"ab", "c", "de"}, "bcde"},
	} {
		b := Buffer{Max: 4}
		for _, w := range tc.writes {
			if n, err := b.Write([]byte(w)); n != len(w) || err != nil {
				t.Fatalf("Write(%q) = %d, %v", w, n, err)
			}
		}
		if got := b.String(); got != tc.want {
			t.Errorf("after %q: %q, want %q", tc.writes, got, tc.want)
		}
	}
}
