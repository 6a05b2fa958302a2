// Command scale measures the provider at scale against moto (`make scale`):
//
//   - audit: N roles made from a sample's properties, then the drift audit of their path prefix: IAM calls, wall
//     time, and the time projected for real IAM at -latency per call (the audit calls IAM one call at a time);
//   - burst: K concurrent Creates of the sample, each by a provider process of its own, through an account-wide
//     token bucket of -rate IAM calls per second (faultproxy.Bucket, answering as IAM does): how many succeed
//     within the function's timeout, p50 and max latency, IAM calls per Create, and that every role is as desired
//     and no other role is left.
//
// -old-gtrole and -old-bootstrap name binaries built from another commit, measured in the same run beside this one.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gtrole/groundtruth-execution-role/lambda/drift"
	"github.com/gtrole/groundtruth-execution-role/lambda/propfile"
	"github.com/gtrole/groundtruth-execution-role/lambda/reconcile"
	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
	"github.com/gtrole/groundtruth-execution-role/test/harness"
	"github.com/gtrole/groundtruth-execution-role/test/moto"
	"github.com/gtrole/groundtruth-execution-role/test/runtimeapi"
)

func main() {
	sample := flag.String("sample", "test/testdata/properties/everything.yaml", "the properties of every role")
	audits := flag.String("audit", "100,1000,5000", "role counts N of the audit runs, ascending; empty skips")
	bursts := flag.String("burst", "40,100,200", "concurrent Creates K of the burst runs; empty skips")
	rate := flag.Float64("rate", 10, "account-wide IAM calls per second in the burst")
	latency := flag.Duration("latency", 50*time.Millisecond, "modelled latency of one real IAM call")
	timeout := flag.Duration("timeout", 300*time.Second, "the function's timeout (templates/provider.yaml: 300 s)")
	oldGtrole := flag.String("old-gtrole", "", "a gtrole binary of another commit: its `gtrole drift` is measured too")
	oldMax := flag.Int("old-audit-max", 5000, "largest N the old gtrole audits")
	oldBootstrap := flag.String("old-bootstrap", "", "a bootstrap binary of another commit: its bursts are measured too")
	flag.Parse()
	ctx := context.Background()
	data, err := os.ReadFile(*sample)
	if err == nil {
		var props map[string]any
		props, err = propfile.Decode(data)
		if err == nil {
			err = run(ctx, os.Stdout, props, config{
				audits: ints(*audits), bursts: ints(*bursts), rate: *rate, latency: *latency, timeout: *timeout,
				oldGtrole: *oldGtrole, oldMax: *oldMax, oldBootstrap: *oldBootstrap,
			})
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "scale:", err)
		os.Exit(1)
	}
}

type config struct {
	audits, bursts []int
	rate           float64
	latency        time.Duration
	timeout        time.Duration
	oldGtrole      string
	oldMax         int
	oldBootstrap   string
}

func ints(s string) []int {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil {
			out = append(out, n)
		}
	}
	return out
}

func run(ctx context.Context, out io.Writer, props map[string]any, c config) error {
	if len(c.audits) > 0 {
		if err := audit(ctx, out, props, c); err != nil {
			return err
		}
	}
	if len(c.bursts) == 0 {
		return nil
	}
	dir, err := os.MkdirTemp("", "gtrole-scale-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	binary, err := runtimeapi.Build(ctx, "./lambda/cmd/bootstrap", dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nburst: K concurrent Creates, one provider process each, through an account-wide bucket of %g IAM calls/s (burst %d), function timeout %s\n",
		c.rate, int(c.rate), c.timeout)
	fmt.Fprintln(out, "| binary | K | succeeded | p50 s | max s | IAM calls per Create (accepted + throttled) | roles correct | orphans | wall s |")
	fmt.Fprintln(out, "|---|---|---|---|---|---|---|---|---|")
	subjects := []struct{ name, bin string }{{"this tree", binary}}
	if c.oldBootstrap != "" {
		subjects = append(subjects, struct{ name, bin string }{"old", c.oldBootstrap})
	}
	for _, k := range c.bursts {
		for _, s := range subjects {
			if err := burst(ctx, out, props, s.name, s.bin, k, c); err != nil {
				return err
			}
		}
	}
	return nil
}

// audit makes the roles in steps up to each N and audits them after each step.
func audit(ctx context.Context, out io.Writer, props map[string]any, c config) error {
	m, err := moto.Start(ctx)
	if err != nil {
		return err
	}
	defer m.Stop()
	client := iam.NewFromConfig(m.Config(ctx))
	rec := &reconcile.Reconciler{IAM: client, Settle: 5 * time.Millisecond}
	desired, err := harness.Desired(props, "x")
	if err != nil {
		return err
	}
	prefix := desired.Path
	fmt.Fprintf(out, "audit: N roles of %d inline policies under %s; IAM calls and wall time against moto, projected at %s per call\n",
		len(desired.Policies), prefix, c.latency)
	fmt.Fprintln(out, "| binary | N | IAM calls | calls per role | wall s (moto) | projected s at latency |")
	fmt.Fprintln(out, "|---|---|---|---|---|---|")
	made := 0
	for _, n := range c.audits {
		start := time.Now()
		if err := makeRoles(ctx, rec, props, made, n); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "made roles %d..%d in %s\n", made, n, time.Since(start).Round(time.Second))
		made = n
		a := &drift.Auditor{IAM: client}
		start = time.Now()
		rep, err := a.Audit(ctx, prefix)
		wall := time.Since(start)
		if err != nil {
			return err
		}
		if len(rep.Findings) != n || rep.Count(drift.InSync) != n {
			return fmt.Errorf("audit of %d roles found %d, %d in sync", n, len(rep.Findings), rep.Count(drift.InSync))
		}
		row(out, "this tree", n, rep.Calls, wall, c.latency)
		if c.oldGtrole != "" && n <= c.oldMax {
			calls, wall, err := oldAudit(ctx, c.oldGtrole, m, prefix, n)
			if err != nil {
				return err
			}
			row(out, "old", n, calls, wall, c.latency)
		}
	}
	return nil
}

func row(out io.Writer, who string, n, calls int, wall, latency time.Duration) {
	fmt.Fprintf(out, "| %s | %d | %d | %.4f | %.1f | %.1f |\n", who, n, calls, float64(calls)/float64(n), wall.Seconds(),
		wall.Seconds()+float64(calls)*latency.Seconds())
}

// makeRoles creates the roles numbered from to to, four at a time, as the provider would (tags and record included).
func makeRoles(ctx context.Context, rec *reconcile.Reconciler, props map[string]any, from, to int) error {
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	next := make(chan int)
	for range 4 {
		wg.Go(func() {
			for i := range next {
				name := fmt.Sprintf("gt-scale-%05d", i)
				desired, err := harness.Desired(props, name)
				if err == nil {
					_, err = rec.Create(ctx, desired, reconcile.Owner{StackID: harness.StackID, LogicalID: fmt.Sprintf("Role%05d", i)})
				}
				if err != nil {
					select {
					case errs <- fmt.Errorf("make %s: %w", name, err):
					default:
					}
				}
			}
		})
	}
	for i := from; i < to; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

// oldAudit runs `gtrole drift --json` of another commit against moto.
func oldAudit(ctx context.Context, gtrole string, m *moto.Server, prefix string, n int) (int, time.Duration, error) {
	cmd := exec.CommandContext(ctx, gtrole, "drift", "--json", "--path-prefix", prefix)
	cmd.Env = append(os.Environ(), m.Env()...)
	start := time.Now()
	stdout, err := cmd.Output()
	wall := time.Since(start)
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 2) {
		return 0, 0, fmt.Errorf("old gtrole drift: %w", err)
	}
	var rep drift.Report
	if err := json.Unmarshal(stdout, &rep); err != nil {
		return 0, 0, fmt.Errorf("old gtrole drift report: %w", err)
	}
	if len(rep.Findings) != n {
		return 0, 0, fmt.Errorf("old gtrole drift found %d roles, want %d", len(rep.Findings), n)
	}
	return rep.Calls, wall, nil
}

// burst runs k concurrent Creates, each by a provider process of its own, and checks what IAM holds after.
func burst(ctx context.Context, out io.Writer, props map[string]any, who, binary string, k int, c config) error {
	h, err := harness.Start(ctx, binary)
	if err != nil {
		return err
	}
	defer h.Close()
	rts := make([]*runtimeapi.Runtime, k)
	defer func() {
		for _, rt := range rts {
			if rt != nil {
				_, _ = rt.Stop()
			}
		}
	}()
	for i := range rts {
		if rts[i], err = h.Runtime(ctx, runtimeapi.Options{Timeout: c.timeout, StartTimeout: 2 * time.Minute}); err != nil {
			return err
		}
	}
	h.Proxy.Reset()
	h.Proxy.SetBucket(faultproxy.NewBucket(c.rate, int(c.rate)))
	type result struct {
		name    string
		ok      bool
		reason  string
		elapsed time.Duration
	}
	results := make([]result, k)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range k {
		wg.Go(func() {
			name := fmt.Sprintf("gt-burst-%03d", i)
			t0 := time.Now()
			d, err := h.Send(ctx, rts[i], harness.Request{Type: cfn.RequestCreate, LogicalID: fmt.Sprintf("Role%03d", i), Props: harness.With(props, "RoleName", name)})
			r := result{name: name, elapsed: time.Since(t0)}
			switch {
			case err != nil:
				r.reason = err.Error()
			case d.Response.Status != cfn.StatusSuccess:
				r.reason = d.Response.Reason
			default:
				r.ok = true
			}
			results[i] = r
		})
	}
	wg.Wait()
	wall := time.Since(start)
	h.Proxy.SetBucket(nil)

	var lat []time.Duration
	succeeded, correct := 0, 0
	want := map[string]bool{}
	for _, r := range results {
		lat = append(lat, r.elapsed)
		if !r.ok {
			fmt.Fprintf(os.Stderr, "%s K=%d %s FAILED: %s\n", who, k, r.name, r.reason)
			continue
		}
		succeeded++
		want[r.name] = true
		desired, err := harness.Desired(harness.With(props, "RoleName", r.name), r.name)
		if err != nil {
			return err
		}
		got, err := h.Describe(ctx, r.name)
		if err != nil {
			return err
		}
		if diffs := harness.RoleDiff(got, desired); len(diffs) > 0 {
			fmt.Fprintf(os.Stderr, "%s K=%d %s differs: %v\n", who, k, r.name, diffs)
			continue
		}
		correct++
	}
	names, err := h.RoleNames(ctx)
	if err != nil {
		return err
	}
	orphans := 0
	for _, n := range names {
		if !want[n] {
			orphans++
			fmt.Fprintf(os.Stderr, "%s K=%d orphan role %s\n", who, k, n)
		}
	}
	slices.Sort(lat)
	calls, throttled := 0, h.Proxy.Throttled()
	for _, r := range h.Proxy.Requests() {
		if r.Action != "" {
			calls++
		}
	}
	fmt.Fprintf(out, "| %s | %d | %d/%d | %.0f | %.0f | %.1f (%.1f + %.1f) | %d | %d | %.0f |\n", who, k, succeeded, k,
		lat[len(lat)/2].Seconds(), lat[len(lat)-1].Seconds(), float64(calls)/float64(k),
		float64(calls-throttled)/float64(k), float64(throttled)/float64(k), correct, orphans, wall.Seconds())
	return nil
}
