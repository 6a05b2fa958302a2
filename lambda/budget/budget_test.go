package budget

import (
	"context"
	"testing"
	"time"
)

func TestCleanup(t *testing.T) {
	until := time.Now().Add(time.Hour).Truncate(time.Second)
	tests := []struct {
		name     string
		ctx      func() context.Context
		fallback time.Duration
		want     time.Time // zero: now+fallback
	}{
		{"recorded instant", func() context.Context { return WithCleanupUntil(context.Background(), until) }, time.Minute, until},
		{"no instant: fallback", context.Background, time.Minute, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent, cancel := context.WithCancel(tt.ctx())
			cancel() // the work context has ended
			start := time.Now()
			c, stop := Cleanup(parent, tt.fallback)
			defer stop()
			if c.Err() != nil {
				t.Fatalf("cleanup context ended with its parent: %v", c.Err())
			}
			got, ok := c.Deadline()
			if !ok {
				t.Fatal("cleanup context has no deadline")
			}
			want := tt.want
			if want.IsZero() {
				want = start.Add(tt.fallback)
				if got.Before(want) || got.After(time.Now().Add(tt.fallback)) {
					t.Errorf("deadline %v, want about %v", got, want)
				}
				return
			}
			if !got.Equal(want) {
				t.Errorf("deadline %v, want %v", got, want)
			}
		})
	}
}
