package main

import (
	"testing"
	"time"
)

func TestQuantile(t *testing.T) {
	tests := []struct {
		name string
		xs   []time.Duration
		q    float64
		want time.Duration
	}{
		{"single", []time.Duration{7}, 0.5, 7},
		{"odd median, unsorted", []time.Duration{9, 1, 5}, 0.5, 5},
		{"even median takes the upper middle", []time.Duration{4, 1, 3, 2}, 0.5, 3},
		{"lower quartile", []time.Duration{5, 1, 4, 2, 3}, 0.25, 2},
		{"upper quartile", []time.Duration{5, 1, 4, 2, 3}, 0.75, 4},
		{"min", []time.Duration{3, 2, 1}, 0, 1},
		{"max", []time.Duration{3, 2, 1}, 1, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]time.Duration(nil), tt.xs...)
			if got := quantile(tt.xs, tt.q); got != tt.want {
				t.Errorf("quantile(%v, %v) = %v, want %v", tt.xs, tt.q, got, tt.want)
			}
			for i := range in {
				if in[i] != tt.xs[i] {
					t.Fatalf("quantile reordered its input: %v, was %v", tt.xs, in)
				}
			}
		})
	}
}
