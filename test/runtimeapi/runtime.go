package runtimeapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gtrole/groundtruth-execution-role/test/logbuf"
)

// Errors Invoke and Start wrap.
var (
	// ErrExited means the function process is no longer running.
	ErrExited = errors.New("function process exited")
	// ErrInitFailed means the runtime posted to init/error.
	ErrInitFailed = errors.New("function init failed")
	// ErrTimedOut means the function did not answer within Options.Timeout.
	ErrTimedOut = errors.New("function timed out")
)

// answerGrace is added to the function timeout before Invoke gives up, so
// an answer sent right at the deadline is still counted.
const answerGrace = 200 * time.Millisecond

// Runtime is a Runtime API server with one function process attached.
type Runtime struct {
	opts Options
	srv  *http.Server
	addr string
	cmd  *exec.Cmd
	logs *logbuf.Buffer

	startedAt     time.Time
	initDuration  atomic.Int64
	firstPoll     chan struct{}
	firstPollOnce sync.Once

	queue       chan *call
	closed      chan struct{}
	initFailed  chan struct{}
	initErrOnce sync.Once
	exited      chan struct{}
	stopOnce    sync.Once
	stats       Stats

	mu       sync.Mutex
	inflight map[string]*inflight
	initErr  *ErrorPayload
	waitErr  error
	invokes  int
}

// Stats describes the function process after Stop.
type Stats struct {
	InitDuration time.Duration // exec to first invocation/next poll
	PeakRSSKiB   int64         // peak resident set size (getrusage ru_maxrss)
	ExitCode     int           // -1 when ended by a signal (Stop kills it)
	Invocations  int           // events handed to the runtime
}

// Start serves the Runtime API on a free loopback port, execs opts.Binary
// against it and waits until the runtime polls for its first event.
func Start(ctx context.Context, opts Options) (*Runtime, error) {
	if opts.Binary == "" {
		return nil, errors.New("runtimeapi: Options.Binary is required")
	}
	bin, err := filepath.Abs(opts.Binary)
	if err != nil {
		return nil, fmt.Errorf("resolve binary %q: %w", opts.Binary, err)
	}
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("function binary: %w", err)
	}
	opts.Binary = bin
	opts = opts.withDefaults()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen for runtime API: %w", err)
	}
	r := &Runtime{
		opts:       opts,
		addr:       ln.Addr().String(),
		logs:       &logbuf.Buffer{},
		firstPoll:  make(chan struct{}),
		queue:      make(chan *call),
		closed:     make(chan struct{}),
		initFailed: make(chan struct{}),
		exited:     make(chan struct{}),
		inflight:   make(map[string]*inflight),
	}
	r.srv = &http.Server{Handler: r.routes(), ReadHeaderTimeout: 10 * time.Second}

	r.cmd = exec.Command(bin)
	r.cmd.Dir = filepath.Dir(bin)
	r.cmd.Env = opts.environ(r.addr)
	r.cmd.Stdout = r.logs
	r.cmd.Stderr = r.logs
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	r.startedAt = time.Now()
	if err := r.cmd.Start(); err != nil {
		_ = ln.Close()
		return nil, fmt.Errorf("exec %s: %w", bin, err)
	}
	// Served only now, so startedAt is set before any handler runs; the
	// child's first connection waits in the listen backlog meanwhile.
	go func() { _ = r.srv.Serve(ln) }()
	go func() {
		err := r.cmd.Wait()
		r.mu.Lock()
		r.waitErr = err
		r.mu.Unlock()
		close(r.exited)
	}()

	if err := r.awaitFirstPoll(ctx); err != nil {
		_, _ = r.Stop()
		return nil, fmt.Errorf("start %s: %w\nlogs:\n%s", filepath.Base(bin), err, r.Logs())
	}
	return r, nil
}

func (r *Runtime) awaitFirstPoll(ctx context.Context) error {
	timer := time.NewTimer(r.opts.StartTimeout)
	defer timer.Stop()
	select {
	case <-r.firstPoll:
		return nil
	case <-r.initFailed:
		return r.initError()
	case <-r.exited:
		return r.exitError()
	case <-ctx.Done():
		return fmt.Errorf("wait for first poll: %w", ctx.Err())
	case <-timer.C:
		return fmt.Errorf("no invocation/next poll within %v", r.opts.StartTimeout)
	}
}

// Addr returns the Runtime API address given to the child (host:port).
func (r *Runtime) Addr() string { return r.addr }

// Logs returns what the function process wrote to stdout and stderr so far.
// Output is copied from pipes and may lag an invocation's answer; it is
// complete once Stop has returned.
func (r *Runtime) Logs() string { return r.logs.String() }

// WaitLog waits until the logs contain substr, or ctx ends.
func (r *Runtime) WaitLog(ctx context.Context, substr string) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !strings.Contains(r.Logs(), substr) {
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for %q in function logs: %w", substr, ctx.Err())
		case <-tick.C:
		}
	}
	return nil
}

// InitDuration returns the time from exec to the first invocation/next poll.
func (r *Runtime) InitDuration() time.Duration { return time.Duration(r.initDuration.Load()) }

// Exited is closed once the function process has exited.
func (r *Runtime) Exited() <-chan struct{} { return r.exited }

// Invoke hands payload to the function as one event and waits for its answer.
// It fails with ErrExited if the process dies, ErrInitFailed after init/error,
// ErrTimedOut past Options.Timeout (the process is then killed, as Lambda
// does), or ctx's error (the process keeps running the event).
func (r *Runtime) Invoke(ctx context.Context, payload []byte) (*Invocation, error) {
	c := newCall(payload)
	select {
	case r.queue <- c:
	case <-r.exited:
		return nil, r.exitError()
	case <-r.initFailed:
		return nil, r.initError()
	case <-ctx.Done():
		return nil, fmt.Errorf("queue invocation: %w", ctx.Err())
	}
	r.mu.Lock()
	r.invokes++
	r.mu.Unlock()
	sentAt := <-c.sent
	timer := time.NewTimer(time.Until(sentAt.Add(r.opts.Timeout + answerGrace)))
	defer timer.Stop()
	select {
	case inv := <-c.done:
		return inv, nil
	case <-r.exited:
		select {
		case inv := <-c.done:
			return inv, nil
		default:
		}
		r.forget(c.id)
		return nil, fmt.Errorf("invoke %s: %w", c.id, r.exitError())
	case <-timer.C:
		r.forget(c.id)
		// Lambda ends the sandbox of a timed-out invocation; so does this.
		_ = syscall.Kill(-r.cmd.Process.Pid, syscall.SIGKILL)
		return nil, fmt.Errorf("invoke %s: %w after %v", c.id, ErrTimedOut, r.opts.Timeout)
	case <-ctx.Done():
		r.forget(c.id)
		return nil, fmt.Errorf("invoke %s: %w", c.id, ctx.Err())
	}
}

func (r *Runtime) forget(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.inflight, id)
}

func (r *Runtime) exitError() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return fmt.Errorf("%w: %v", ErrExited, r.waitErr)
}

func (r *Runtime) initError() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return fmt.Errorf("%w: %w", ErrInitFailed, r.initErr)
}

// Stop kills the function process (as Lambda does at shutdown), waits for
// it, closes the server and returns the process statistics. It is idempotent.
func (r *Runtime) Stop() (Stats, error) {
	var err error
	r.stopOnce.Do(func() {
		select {
		case <-r.exited:
		default:
			if kerr := syscall.Kill(-r.cmd.Process.Pid, syscall.SIGKILL); kerr != nil && !errors.Is(kerr, syscall.ESRCH) {
				err = fmt.Errorf("kill function process: %w", kerr)
			}
			<-r.exited
		}
		close(r.closed)
		if cerr := r.srv.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close runtime API: %w", cerr)
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		r.stats = Stats{InitDuration: r.InitDuration(), Invocations: r.invokes, ExitCode: r.cmd.ProcessState.ExitCode()}
		if ru, ok := r.cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			r.stats.PeakRSSKiB = ru.Maxrss
		}
	})
	return r.stats, err
}
