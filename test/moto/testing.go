package moto

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
)

// Lazy is a package's one shared server, started by the first test that asks for it, so the tests that do not
// need moto run with Go alone. Declare it as a package variable and stop it from TestMain:
//
//	var motoSrv moto.Lazy
//
//	func TestMain(m *testing.M) { os.Exit(motoSrv.Main(m)) }
type Lazy struct {
	once sync.Once
	srv  *Server
	err  error
}

// Get returns the shared server, starting it on the first call. When moto_server cannot start it fails t with
// the reason and how to install moto: a test that needs moto never skips.
func (l *Lazy) Get(t testing.TB) *Server {
	t.Helper()
	l.once.Do(func() { l.srv, l.err = Start(context.Background()) })
	if l.err != nil {
		t.Fatalf("moto: %v", l.err)
	}
	return l.srv
}

// Main runs m and then stops the server if a test started it; use it as os.Exit(motoSrv.Main(m)) in TestMain.
func (l *Lazy) Main(m *testing.M) int {
	code := m.Run()
	l.once.Do(func() {}) // no server may start after this
	if l.srv != nil {
		if err := l.srv.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "moto: %v\n", err)
		}
	}
	return code
}

// StartT starts a server for a single test and stops it when the test ends.
func StartT(t testing.TB) *Server {
	t.Helper()
	s, err := Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("stop moto: %v", err)
		}
	})
	return s
}
