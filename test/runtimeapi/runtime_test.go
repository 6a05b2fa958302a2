package runtimeapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

var echoBinary string

func TestMain(m *testing.M) { os.Exit(runTests(m)) }

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "runtimeapi-echo-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	echoBinary, err = Build(ctx, "./testdata/echo", dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

func invoke(t *testing.T, r *Runtime, event string) *Invocation {
	t.Helper()
	inv, err := r.Invoke(t.Context(), []byte(event))
	if err != nil {
		t.Fatalf("Invoke(%s): %v", event, err)
	}
	return inv
}

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %q: %v", b, err)
	}
	return v
}

func TestInvokeEcho(t *testing.T) {
	r := StartT(t, Options{Binary: echoBinary})
	if r.InitDuration() <= 0 {
		t.Errorf("InitDuration = %v, want > 0", r.InitDuration())
	}
	ids := map[string]bool{}
	for _, v := range []string{"one", "two"} {
		inv := invoke(t, r, `{"mode":"echo","value":"`+v+`"}`)
		if inv.Error != nil {
			t.Fatalf("unexpected error %v", inv.Error)
		}
		if got := decode[map[string]string](t, inv.Response)["value"]; got != v {
			t.Errorf("response value = %q, want %q", got, v)
		}
		if inv.RequestID == "" || ids[inv.RequestID] {
			t.Errorf("request id %q empty or reused", inv.RequestID)
		}
		ids[inv.RequestID] = true
		if inv.Elapsed <= 0 {
			t.Errorf("Elapsed = %v, want > 0", inv.Elapsed)
		}
	}
}

func TestInvocationContext(t *testing.T) {
	const arn = "arn:aws:lambda:eu-west-1:111122223333:function:ctx-test"
	r := StartT(t, Options{
		Binary:       echoBinary,
		Timeout:      7 * time.Second,
		FunctionARN:  arn,
		FunctionName: "ctx-test",
		MemoryMB:     256,
		Env:          []string{"ECHO_EXTRA=from-options"},
	})
	before := time.Now()
	inv := invoke(t, r, `{"mode":"context"}`)
	type info struct {
		RequestID   string `json:"requestId"`
		FunctionARN string `json:"functionArn"`
		DeadlineMs  int64  `json:"deadlineMs"`
		TraceID     string `json:"traceId"`
		FuncName    string `json:"functionName"`
		MemoryMB    int    `json:"memoryMb"`
		Extra       string `json:"extra"`
	}
	got := decode[info](t, inv.Response)
	want := info{
		RequestID:   inv.RequestID,
		FunctionARN: arn,
		DeadlineMs:  inv.Deadline.UnixMilli(),
		TraceID:     got.TraceID,
		FuncName:    "ctx-test",
		MemoryMB:    256,
		Extra:       "from-options",
	}
	if got != want {
		t.Errorf("context = %+v, want %+v", got, want)
	}
	if !strings.HasPrefix(got.TraceID, "Root=1-") {
		t.Errorf("trace id = %q, want Root=1-...", got.TraceID)
	}
	if d := inv.Deadline.Sub(before); d < 6*time.Second || d > 8*time.Second {
		t.Errorf("deadline is %v after invoke, want about 7s", d)
	}
}

func TestHandlerErrorKeepsProcess(t *testing.T) {
	r := StartT(t, Options{Binary: echoBinary})
	inv := invoke(t, r, `{"mode":"error","value":"role is owned by another stack"}`)
	if inv.Error == nil {
		t.Fatalf("no error payload; response %q", inv.Response)
	}
	if inv.Error.Type != "handlerError" || inv.Error.Message != "role is owned by another stack" {
		t.Errorf("error = %+v", inv.Error)
	}
	if inv.Response != nil {
		t.Errorf("Response = %q alongside error", inv.Response)
	}
	if !json.Valid(inv.Error.Raw) {
		t.Errorf("Raw error body %q is not JSON", inv.Error.Raw)
	}
	if inv := invoke(t, r, `{"mode":"echo","value":"after"}`); inv.Error != nil {
		t.Errorf("invoke after handler error: %v", inv.Error)
	}
}

func TestPanicReportsAndExits(t *testing.T) {
	r := StartT(t, Options{Binary: echoBinary})
	inv := invoke(t, r, `{"mode":"panic","value":"boom"}`)
	if inv.Error == nil || inv.Error.Message != "boom" || len(inv.Error.StackTrace) == 0 {
		t.Fatalf("error = %+v, want message boom with a stack trace", inv.Error)
	}
	select {
	case <-r.Exited():
	case <-time.After(5 * time.Second):
		t.Fatal("process still running after a panic")
	}
	start := time.Now()
	_, err := r.Invoke(t.Context(), []byte(`{"mode":"echo"}`))
	if !errors.Is(err, ErrExited) {
		t.Errorf("Invoke after exit: err = %v, want ErrExited", err)
	}
	if el := time.Since(start); el > time.Second {
		t.Errorf("Invoke after exit took %v", el)
	}
}

func TestExitDuringInvoke(t *testing.T) {
	r := StartT(t, Options{Binary: echoBinary})
	_, err := r.Invoke(t.Context(), []byte(`{"mode":"exit"}`))
	if !errors.Is(err, ErrExited) {
		t.Fatalf("err = %v, want ErrExited", err)
	}
	st, err := r.Stop()
	if err != nil {
		t.Fatal(err)
	}
	if st.ExitCode != 3 {
		t.Errorf("ExitCode = %d, want 3", st.ExitCode)
	}
}

func TestDeadlineReachesHandler(t *testing.T) {
	r := StartT(t, Options{Binary: echoBinary, Timeout: 300 * time.Millisecond})
	inv := invoke(t, r, `{"mode":"sleep","sleepMs":5000}`)
	if inv.Error == nil || !strings.Contains(inv.Error.Message, "deadline exceeded") {
		t.Fatalf("error = %+v, want the handler's context deadline error", inv.Error)
	}
	if inv.Elapsed < 250*time.Millisecond || inv.Elapsed > 2*time.Second {
		t.Errorf("Elapsed = %v, want about 300ms", inv.Elapsed)
	}
}

func TestTimeoutWhenHandlerIgnoresDeadline(t *testing.T) {
	r := StartT(t, Options{Binary: echoBinary, Timeout: 300 * time.Millisecond})
	start := time.Now()
	_, err := r.Invoke(t.Context(), []byte(`{"mode":"hang","sleepMs":3000}`))
	if !errors.Is(err, ErrTimedOut) {
		t.Fatalf("err = %v, want ErrTimedOut", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("timed out after %v, want about 500ms", el)
	}
	select {
	case <-r.Exited():
	case <-time.After(5 * time.Second):
		t.Error("process not killed after a timeout")
	}
}

func TestInvokeHonoursContext(t *testing.T) {
	r := StartT(t, Options{Binary: echoBinary})
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	_, err := r.Invoke(ctx, []byte(`{"mode":"hang","sleepMs":2000}`))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
}

func TestLogsCaptured(t *testing.T) {
	r := StartT(t, Options{Binary: echoBinary})
	invoke(t, r, `{"mode":"log","value":"marker-7f3a"}`)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if err := r.WaitLog(ctx, "stdout line marker-7f3a"); err != nil {
		t.Errorf("WaitLog: %v", err)
	}
	if _, err := r.Stop(); err != nil {
		t.Fatal(err)
	}
	logs := r.Logs() // complete once Stop has returned
	for _, want := range []string{"stderr line marker-7f3a", "stdout line marker-7f3a"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
}

func TestWaitLogGivesUp(t *testing.T) {
	r := StartT(t, Options{Binary: echoBinary})
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	if err := r.WaitLog(ctx, "never printed"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("WaitLog = %v, want context.DeadlineExceeded", err)
	}
}

func TestHostEnvironmentNotInherited(t *testing.T) {
	t.Setenv("AWS_SECRET_ACCESS_KEY", "host-secret")
	r := StartT(t, Options{Binary: echoBinary, Env: []string{"AWS_REGION=eu-central-1"}})
	tests := []struct{ name, want string }{
		{"AWS_SECRET_ACCESS_KEY", ""},
		{"AWS_REGION", "eu-central-1"}, // Options.Env overrides the default
		{"AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"},
		{"AWS_LAMBDA_RUNTIME_API", r.Addr()},
	}
	for _, tt := range tests {
		inv := invoke(t, r, `{"mode":"getenv","value":"`+tt.name+`"}`)
		if got := decode[map[string]string](t, inv.Response)["value"]; got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestStopStats(t *testing.T) {
	r, err := Start(t.Context(), Options{Binary: echoBinary})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		invoke(t, r, `{"mode":"echo","value":"x"}`)
	}
	st, err := r.Stop()
	if err != nil {
		t.Fatal(err)
	}
	if st.Invocations != 3 || st.ExitCode != -1 || st.InitDuration <= 0 || st.InitDuration != r.InitDuration() {
		t.Errorf("stats = %+v", st)
	}
	if st.PeakRSSKiB < 1024 || st.PeakRSSKiB > 1<<20 {
		t.Errorf("PeakRSSKiB = %d, want between 1 MiB and 1 GiB", st.PeakRSSKiB)
	}
	again, err := r.Stop()
	if err != nil || again != st {
		t.Errorf("second Stop = %+v, %v; want %+v, nil", again, err, st)
	}
	if _, err := r.Invoke(t.Context(), []byte(`{}`)); !errors.Is(err, ErrExited) {
		t.Errorf("Invoke after Stop: err = %v, want ErrExited", err)
	}
}

func TestStartFailsWhenProcessExits(t *testing.T) {
	_, err := Start(t.Context(), Options{Binary: echoBinary, Env: []string{"ECHO_FAIL_INIT=1"}})
	if !errors.Is(err, ErrExited) || !strings.Contains(err.Error(), "init failed on purpose") {
		t.Fatalf("err = %v, want ErrExited with the child's logs", err)
	}
}

func TestStartReportsInitError(t *testing.T) {
	_, err := Start(t.Context(), Options{Binary: echoBinary, Env: []string{"ECHO_INIT_ERROR=1"}})
	if !errors.Is(err, ErrInitFailed) {
		t.Fatalf("err = %v, want ErrInitFailed", err)
	}
	var p *ErrorPayload
	if !errors.As(err, &p) || p.Type != "Runtime.ConfigError" || p.Message != "config missing" {
		t.Errorf("init error payload = %+v", p)
	}
}

func TestStartRejectsMissingBinary(t *testing.T) {
	for _, bin := range []string{"", "/nonexistent/bootstrap"} {
		if r, err := Start(t.Context(), Options{Binary: bin}); err == nil {
			r.Stop()
			t.Errorf("Start(%q) succeeded", bin)
		}
	}
}

func TestUnknownRequestIDRejected(t *testing.T) {
	r := StartT(t, Options{Binary: echoBinary})
	for _, path := range []string{"/response", "/error"} {
		url := "http://" + r.Addr() + "/2018-06-01/runtime/invocation/not-a-request" + path
		resp, err := http.Post(url, "application/json", bytes.NewReader([]byte(`{}`)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("POST %s: status %d, want 400", path, resp.StatusCode)
		}
	}
}
