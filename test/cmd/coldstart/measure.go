package main

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"syscall"
	"text/tabwriter"
	"time"
)

// subject is one program whose cold start is measured.
type subject struct {
	name string
	argv []string
}

// result is a subject's measured runs.
type result struct {
	subject
	wall   []time.Duration // exec → exit of each run
	cpu    []time.Duration // user + system CPU time of each run: less disturbed than wall time on a busy machine
	rssKiB []int64         // peak resident set of each run
}

func (r result) medianMs() float64 { return ms(median(r.wall)) }

func (r result) medianCPUMs() float64 { return ms(median(r.cpu)) }

// measure runs every subject once to warm the page cache, then runs times each, rotating which subject goes first
// in each round so that none profits from running after a particular other one.
func measure(ctx context.Context, subjects []subject, env []string, runs int) ([]result, error) {
	results := make([]result, len(subjects))
	for i, s := range subjects {
		results[i].subject = s
		if _, err := once(ctx, s, env); err != nil {
			return nil, err
		}
	}
	for round := range runs {
		for k := range subjects {
			i := (round + k) % len(subjects)
			r, err := once(ctx, subjects[i], env)
			if err != nil {
				return nil, err
			}
			results[i].wall = append(results[i].wall, r.wall)
			results[i].cpu = append(results[i].cpu, r.cpu)
			results[i].rssKiB = append(results[i].rssKiB, r.rssKiB)
		}
	}
	return results, nil
}

// sample is one measured exec.
type sample struct {
	wall, cpu time.Duration
	rssKiB    int64
}

// once execs s and waits for it to exit; it must exit non-zero (the refused Runtime API poll), else it did not get
// as far as polling.
func once(ctx context.Context, s subject, env []string) (sample, error) {
	cmd := exec.CommandContext(ctx, s.argv[0], s.argv[1:]...)
	cmd.Env = env
	start := time.Now()
	out, err := cmd.CombinedOutput()
	wall := time.Since(start)
	if ctx.Err() != nil {
		return sample{}, ctx.Err()
	}
	if _, exited := err.(*exec.ExitError); !exited {
		return sample{}, fmt.Errorf("%s: want an exit after the refused Runtime API poll, got %v\n%s", s.name, err, out)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return sample{}, fmt.Errorf("%s: no rusage on this system", s.name)
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return sample{wall: wall, cpu: cpu, rssKiB: ru.Maxrss}, nil // Linux reports ru_maxrss in KiB
}

// report prints each subject's median, quartiles and peak RSS.
func report(out io.Writer, results []result) {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "subject\tmedian ms\tp25 ms\tp75 ms\tCPU ms (median)\tpeak RSS MiB (median)\tpeak RSS MiB (max)\t")
	for _, r := range results {
		fmt.Fprintf(w, "%s\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t\n", r.name, r.medianMs(), ms(quantile(r.wall, 0.25)),
			ms(quantile(r.wall, 0.75)), r.medianCPUMs(), mib(median(r.rssKiB)), mib(slices.Max(r.rssKiB)))
	}
	w.Flush()
}

// median returns the middle value (the upper middle for an even count) of a non-empty slice.
func median[T int64 | time.Duration](xs []T) T { return quantile(xs, 0.5) }

// quantile returns the value at fraction q of the sorted, non-empty xs (nearest rank, rounding up).
func quantile[T int64 | time.Duration](xs []T, q float64) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[int(q*float64(len(s)-1)+0.5)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func mib(kib int64) float64 { return float64(kib) / 1024 }
