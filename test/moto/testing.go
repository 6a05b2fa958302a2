package moto

import (
	"context"
	"fmt"
	"os"
	"testing"
)

// Main starts one server for a package's tests, stores it in *srv, runs m and
// stops the server; use it as os.Exit(moto.Main(m, &srv)) in TestMain.
func Main(m *testing.M, srv **Server) int {
	s, err := Start(context.Background())
	if err != nil {
		fmt.Fprintf(os.Stderr, "moto: %v\n", err)
		return 1
	}
	*srv = s
	code := m.Run()
	if err := s.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "moto: %v\n", err)
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
