// Package logbuf holds Buffer, the log sink tests hand to a logger or a child process and read back.
package logbuf

import (
	"sync"
)

// Buffer is a byte buffer safe for concurrent writes and reads; with Max > 0 it keeps only the last Max bytes.
type Buffer struct {
	Max int

	mu  sync.Mutex
	buf []byte
}

// Write appends p, dropping the oldest bytes beyond Max.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.Max; b.Max > 0 && over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

// String is everything written so far (the last Max bytes of it, when Max is set).
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}
