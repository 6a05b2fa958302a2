package harness

import (
	"context"
	"errors"
	"sync"
	"testing"
)

// Pool hands each test a Harness of its own (its own moto, proxy and gate), so tests that call t.Parallel run side
// by side without seeing each other's roles, faults or records. A harness is started when none is free, and
// returned to the pool when the test that took it ends.
type Pool struct {
	binary string
	mu     sync.Mutex
	free   []*Harness
	held   map[string]*Harness // by test name
	all    []*Harness
	closed bool
}

// Get returns the test's harness, emptied for it (see Clean): the same one for every call in one test, and one
// of its own for each subtest. It fails the test when moto cannot start: a test that needs moto never skips.
func (p *Pool) Get(t testing.TB) *Harness {
	t.Helper()
	h, err := p.take(t)
	if err != nil {
		t.Fatalf("harness: %v", err)
	}
	if err := h.Clean(t.Context()); err != nil {
		t.Fatal(err)
	}
	return h
}

func (p *Pool) take(t testing.TB) (*Harness, error) {
	p.mu.Lock()
	if p.closed || p.binary == "" {
		p.mu.Unlock()
		return nil, errors.New("the pool is not running: call it from a test of a package whose TestMain runs harness.Main")
	}
	if h, ok := p.held[t.Name()]; ok {
		p.mu.Unlock()
		return h, nil
	}
	var h *Harness
	if n := len(p.free); n > 0 {
		h, p.free = p.free[n-1], p.free[:n-1]
	}
	p.mu.Unlock()
	if h == nil {
		var err error
		if h, err = Start(context.Background(), p.binary); err != nil {
			return nil, err
		}
		p.mu.Lock()
		p.all = append(p.all, h)
		p.mu.Unlock()
	}
	p.mu.Lock()
	p.held[t.Name()] = h
	p.mu.Unlock()
	t.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		delete(p.held, t.Name())
		p.free = append(p.free, h)
	})
	return h, nil
}

// close stops every harness the pool started; no harness is started after it.
func (p *Pool) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	var errs []error
	for _, h := range p.all {
		errs = append(errs, h.Close())
	}
	return errors.Join(errs...)
}
