package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
)

// recorder keeps every latency of one operation (a run holds at most a few hundred thousand).
type recorder struct {
	mu     sync.Mutex
	ok     []time.Duration
	errs   map[string]int
	nTotal int
}

func newRecorder() *recorder { return &recorder{errs: map[string]int{}} }

func (r *recorder) add(d time.Duration, errKind string) {
	r.mu.Lock()
	r.nTotal++
	if errKind == "" {
		r.ok = append(r.ok, d)
	} else {
		r.errs[errKind]++
	}
	r.mu.Unlock()
}

type summary struct {
	N, Errors      int
	P50, P95, P99  time.Duration
	Max            time.Duration
	PerSecond      float64
	ErrorBreakdown string
}

func (r *recorder) summary(elapsed time.Duration) summary {
	r.mu.Lock()
	defer r.mu.Unlock()
	lat := append([]time.Duration(nil), r.ok...)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	s := summary{N: len(lat), Errors: r.nTotal - len(lat)}
	if len(lat) > 0 {
		s.P50, s.P95, s.P99, s.Max = pct(lat, 50), pct(lat, 95), pct(lat, 99), lat[len(lat)-1]
	}
	if elapsed > 0 {
		s.PerSecond = float64(len(lat)) / elapsed.Seconds()
	}
	var parts []string
	for k, v := range r.errs {
		parts = append(parts, fmt.Sprintf("%s×%d", k, v))
	}
	sort.Strings(parts)
	s.ErrorBreakdown = strings.Join(parts, " ")
	return s
}

func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	if i < 1 {
		i = 1
	}
	if i > len(sorted) {
		i = len(sorted)
	}
	return sorted[i-1]
}

// median of xs (not empty): the middle one, or the mean of the middle two.
func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }

func printHeader(w io.Writer) {
	fmt.Fprintf(w, "  %-22s %8s %9s %8s %8s %8s %8s  %s\n", "operation", "ok", "ops/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors")
}

func printRow(w io.Writer, name string, s summary) {
	fmt.Fprintf(w, "  %-22s %8d %9.1f %8s %8s %8s %8s  %d %s\n", name, s.N, s.PerSecond, ms(s.P50), ms(s.P95), ms(s.P99), ms(s.Max), s.Errors, s.ErrorBreakdown)
}
