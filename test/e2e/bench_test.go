package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/cfn"

	"github.com/gtrole/groundtruth-execution-role/test/harness"
	"github.com/gtrole/groundtruth-execution-role/test/runtimeapi"
)

// coldStarts is how many fresh processes BenchmarkColdStart measures for its medians.
const coldStarts = 21

// BenchmarkColdStart execs the provider coldStarts times and reports the medians of exec → first Runtime API poll
// and exec → first Create answered, and the largest peak RSS. Run it with `make bench` (-benchtime 1x).
func BenchmarkColdStart(b *testing.B) {
	p := harness.Props(b, "everything")
	h := pool.Get(b)
	for range b.N {
		var inits, creates []time.Duration
		var peakKiB int64
		for range coldStarts {
			if err := h.Reset(b.Context()); err != nil {
				b.Fatal(err)
			}
			ev, key, err := h.Event(b.Context(), harness.Request{Type: cfn.RequestCreate, Props: p})
			if err != nil {
				b.Fatal(err)
			}
			rt, err := h.Runtime(b.Context(), runtimeapi.Options{Timeout: 30 * time.Second})
			if err != nil {
				b.Fatal(err)
			}
			d, err := h.SendEvent(b.Context(), rt, ev, key)
			stats, stopErr := rt.Stop()
			if err != nil || stopErr != nil {
				b.Fatal(err, stopErr)
			}
			if d.Response.Status != cfn.StatusSuccess {
				b.Fatalf("Create answered %s: %s", d.Response.Status, d.Response.Reason)
			}
			inits = append(inits, stats.InitDuration)
			creates = append(creates, stats.InitDuration+d.Invocation.Elapsed)
			peakKiB = max(peakKiB, stats.PeakRSSKiB)
		}
		b.ReportMetric(ms(median(inits)), "init-ms")
		b.ReportMetric(ms(median(creates)), "first-create-ms")
		b.ReportMetric(float64(peakKiB)/1024, "peak-rss-MiB")
	}
}

// BenchmarkIAMCalls reports how many IAM calls, and how many of them writes, one Create, a no-op Update and a
// Delete of the "everything" scenario make.
func BenchmarkIAMCalls(b *testing.B) {
	p := harness.Props(b, "everything")
	h := pool.Get(b)
	for range b.N {
		if err := h.Reset(b.Context()); err != nil {
			b.Fatal(err)
		}
		rt, err := h.Runtime(b.Context(), runtimeapi.Options{Timeout: 30 * time.Second})
		if err != nil {
			b.Fatal(err)
		}
		phase := func(name string, req harness.Request) string {
			h.Proxy.Reset()
			d, err := h.Send(b.Context(), rt, req)
			if err != nil || d.Response.Status != cfn.StatusSuccess {
				b.Fatalf("%s: %v %+v", name, err, d)
			}
			calls := 0
			for _, r := range h.Proxy.Requests() {
				if r.Action != "" {
					calls++
				}
			}
			b.ReportMetric(float64(calls), name+"-calls")
			b.ReportMetric(float64(len(h.Proxy.Writes())), name+"-writes")
			return d.Response.PhysicalResourceID
		}
		id := phase("create", harness.Request{Type: cfn.RequestCreate, Props: p})
		phase("noop-update", harness.Request{Type: cfn.RequestUpdate, PhysicalID: id, Props: p, OldProps: p})
		phase("delete", harness.Request{Type: cfn.RequestDelete, PhysicalID: id, Props: p})
		if _, err := rt.Stop(); err != nil {
			b.Fatal(err)
		}
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
