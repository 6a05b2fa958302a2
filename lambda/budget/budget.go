// Package budget carries, in a request's context, the instant until which the request may still undo its own work
// after the work itself had to stop, so that cleanup finishes before the request is answered.
package budget

import (
	"context"
	"time"
)

type cleanupKey struct{}

// WithCleanupUntil records in ctx that cleanup may run until the instant until, even after ctx itself ends.
func WithCleanupUntil(ctx context.Context, until time.Time) context.Context {
	return context.WithValue(ctx, cleanupKey{}, until)
}

// CleanupUntil returns the instant recorded by WithCleanupUntil, if any.
func CleanupUntil(ctx context.Context) (time.Time, bool) {
	until, ok := ctx.Value(cleanupKey{}).(time.Time)
	return until, ok
}

// Cleanup returns a context for undoing work: it keeps ctx's values, is not cancelled when ctx is, and ends at the
// instant recorded in ctx, or after fallback when none is.
func Cleanup(ctx context.Context, fallback time.Duration) (context.Context, context.CancelFunc) {
	detached := context.WithoutCancel(ctx)
	if until, ok := CleanupUntil(ctx); ok {
		return context.WithDeadline(detached, until)
	}
	return context.WithTimeout(detached, fallback)
}
