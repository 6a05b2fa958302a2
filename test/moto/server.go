package moto

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"

	"github.com/gtrole/groundtruth-execution-role/test/logbuf"
)

const (
	// startTimeout bounds how long Start waits for moto to answer.
	startTimeout = 30 * time.Second
	// stopTimeout bounds how long Stop waits after SIGTERM before SIGKILL.
	stopTimeout = 5 * time.Second
	// logTail is how many bytes of moto's own output are kept for Logs.
	logTail = 64 << 10
	// startAttempts is how often Start retries when the chosen port is taken.
	startAttempts = 3
)

// installHint tells how to get moto_server when it is missing.
const installHint = "run: pip install 'moto[server]==5.2.1'"

// Server is a running moto_server child process bound to 127.0.0.1.
type Server struct {
	url    string
	cmd    *exec.Cmd
	logs   *logbuf.Buffer
	exited chan struct{}
	err    error // exit error, valid once exited is closed
	client *http.Client
}

// Option changes how Start runs moto_server.
type Option func(*[]string)

// WithAWSManagedPolicies makes moto hold AWS's managed policies (AmazonSageMakerGroundTruthExecution among them),
// as real IAM does. It is off by default: loading them makes every reset cost moto about a second.
func WithAWSManagedPolicies() Option {
	return func(env *[]string) { *env = append(*env, "MOTO_IAM_LOAD_MANAGED_POLICIES=true") }
}

// Start launches moto_server on a free loopback port and waits until it answers.
func Start(ctx context.Context, opts ...Option) (*Server, error) {
	env := os.Environ()
	for _, o := range opts {
		o(&env)
	}
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		return nil, fmt.Errorf("find moto_server (%s): %w", installHint, err)
	}
	var lastErr error
	for range startAttempts {
		srv, err := startOnce(ctx, bin, env)
		if err == nil {
			return srv, nil
		}
		lastErr = err
		if ctx.Err() != nil {
			break
		}
	}
	return nil, lastErr
}

func startOnce(ctx context.Context, bin string, env []string) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	logs := &logbuf.Buffer{Max: logTail}
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Stdout = logs
	cmd.Stderr = logs
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start moto_server: %w", err)
	}
	s := &Server{
		url:    "http://127.0.0.1:" + strconv.Itoa(port),
		cmd:    cmd,
		logs:   logs,
		exited: make(chan struct{}),
		client: &http.Client{Timeout: 5 * time.Second},
	}
	go func() {
		s.err = cmd.Wait()
		close(s.exited)
	}()
	if err := s.waitReady(ctx); err != nil {
		_ = s.Stop()
		return nil, fmt.Errorf("wait for moto_server on port %d: %w; output:\n%s", port, err, logs.String())
	}
	return s, nil
}

// freePort asks the kernel for an unused loopback TCP port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (s *Server) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if s.ping(ctx) == nil {
			return nil
		}
		select {
		case <-s.exited:
			return fmt.Errorf("moto_server exited: %v", s.err)
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

func (s *Server) ping(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/moto-api/", nil)
	if err != nil {
		return err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET /moto-api/: status %d", resp.StatusCode)
	}
	return nil
}

// URL returns the server's base URL, http://127.0.0.1:PORT.
func (s *Server) URL() string { return s.url }

// Logs returns the tail of moto_server's own output (its request log).
func (s *Server) Logs() string { return s.logs.String() }

// Reset drops every resource moto holds (all services, all accounts).
func (s *Server) Reset(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url+"/moto-api/reset", nil)
	if err != nil {
		return fmt.Errorf("reset moto: %w", err)
	}
	// A reset can take seconds on a loaded machine (moto drops every backend); ctx bounds it, not the 5 s client.
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("reset moto: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("reset moto: status %d", resp.StatusCode)
	}
	return nil
}

// Stop terminates moto_server's process group and waits for it to exit.
func (s *Server) Stop() error {
	select {
	case <-s.exited:
		return nil
	default:
	}
	pgid := s.cmd.Process.Pid
	if err := syscall.Kill(-pgid, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("stop moto_server: %w", err)
	}
	select {
	case <-s.exited:
		return nil
	case <-time.After(stopTimeout):
	}
	if err := syscall.Kill(-pgid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("kill moto_server: %w", err)
	}
	<-s.exited
	return nil
}
