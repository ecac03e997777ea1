package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// soakSample is what the soak prints at its start, every minute and at its end.
type soakSample struct {
	at                time.Time
	webRSS, workerRSS float64 // bytes
	goroutines        float64 // the web process's
	dbSize            int64   // pg_database_size
	orders, events    int64
	deadlines, outbox int64
	lists             summary // the list reads since the sample before
}

// facts are the rows that are the record itself: what the database may grow with.
func (p soakSample) facts() int64 { return p.orders + p.events + p.deadlines }

// soakLatencyBound is the bound the lists' latency is held to: the last minute's p99 at most
// twice the first minute's plus 20 ms.
func soakLatencyBound(start time.Duration) time.Duration { return 2*start + 20*time.Millisecond }

// soak runs the steady submissions and list reads for d (no fault) and watches the processes
// and the database grow: memory, goroutines, the database's size against the rows of the
// record, and the lists' latency. Then it drains and runs the exactly-once checks.
func (s *suite) soak(ctx context.Context, d time.Duration) error {
	liaison, err := s.a.token(ctx, "liaison-city", benchPassword)
	if err != nil {
		return err
	}
	lists := newRecorder()
	var listsMu sync.Mutex // swapped for a fresh recorder at each sample
	rctx, stopReaders := context.WithCancel(ctx)
	var readers sync.WaitGroup
	pages := []struct{ path, token string }{
		{"/api/v1/complaints", s.tokens[0]},              // an enterprise's own orders
		{"/api/v1/complaints", liaison},                  // the city liaison's queue
		{"/api/v1/complaints?late=true", liaison},        // what is late
		{"/api/v1/complaints?status=submitted", liaison}, // what waits for acceptance
	}
	for i := 0; i < 2; i++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for n := i; rctx.Err() == nil; n++ {
				p := pages[n%len(pages)]
				r := s.a.do(rctx, s.a.clientFor(i), "GET", p.path, p.token, nil) // one kept-alive connection each
				if rctx.Err() != nil {
					return
				}
				listsMu.Lock()
				lists.add(r.Took, r.kind())
				listsMu.Unlock()
				s.sleep(rctx, 150*time.Millisecond)
			}
		}()
	}
	take := func(from time.Time) soakSample {
		listsMu.Lock()
		rec := lists
		lists = newRecorder()
		listsMu.Unlock()
		p := s.soakSample(ctx)
		p.lists = rec.summary(time.Since(from))
		return p
	}
	fmt.Println()
	s.logf("soak for %s: %.0f submissions/s and 2 clients reading four list pages (a list answers at most 200 orders)", d, s.o.rate)
	start := s.soakSample(ctx)
	s.printSample("start", start, time.Time{})
	s.load = startSubmitter(ctx, s.a, s.tokens, randHex(3), s.o.rate)
	var samples []soakSample
	last := time.Now()
	end := time.Now().Add(d)
	for time.Now().Before(end) && ctx.Err() == nil {
		s.sleep(ctx, min(time.Minute, time.Until(end)))
		p := take(last)
		s.printSample(fmt.Sprintf("%.0f min", time.Since(start.at).Minutes()), p, last)
		last = p.at
		samples = append(samples, p)
	}
	stopReaders()
	readers.Wait()
	s.load.stopAndWait()
	if len(samples) == 0 {
		return ctx.Err()
	}
	final := samples[len(samples)-1]
	fmt.Println()
	s.logf("soak ends after %.0fs", final.at.Sub(start.at).Seconds())

	// The database grows no faster than the record: its size multiplied by no more than the rows
	// of orders, events and deadlines were, and a new fact costs no more bytes at the end than at
	// the start (what is kept beside the record, the outbox above all, stays in proportion).
	// The baseline is the first minute's sample (the record is empty at the start), when there is
	// a later one.
	base := start
	if len(samples) > 1 {
		base = samples[0]
	}
	sizeX := float64(final.dbSize) / float64(base.dbSize)
	factsX := float64(final.facts()) / float64(max(base.facts(), 1))
	perFact := func(a, b soakSample) float64 {
		return float64(b.dbSize-a.dbSize) / float64(max(b.facts()-a.facts(), 1))
	}
	mid := samples[(len(samples)-1)/2]
	firstHalf, secondHalf := perFact(start, mid), perFact(mid, final)
	if len(samples) == 1 {
		firstHalf = secondHalf
	}
	s.verdict(sizeX <= factsX && secondHalf <= 1.5*firstHalf+1024,
		"the database grew no faster than the facts", "since %.0f min: size %s → %s (×%.2f), orders+events+deadlines %d → %d (×%.2f); bytes per new fact %.0f until %.0f min, %.0f after (bound: ×1.5 + 1 KiB); outbox rows per order %.1f at the end",
		base.at.Sub(start.at).Minutes(), mb(float64(base.dbSize)), mb(float64(final.dbSize)), sizeX, base.facts(), final.facts(), factsX, firstHalf, mid.at.Sub(start.at).Minutes(), secondHalf,
		float64(final.outbox)/float64(max(final.orders, 1)))
	first := samples[0].lists
	bound := soakLatencyBound(first.P99)
	s.verdict(final.lists.N > 0 && final.lists.P99 <= bound && final.lists.Errors == 0,
		"list latency stayed flat as data grew", "p99 %s ms in the first minute, %s ms in the last (bound: 2 × first + 20 ms = %s ms); p50 %s → %s ms; %d list reads failed in the last minute %s",
		ms(first.P99), ms(final.lists.P99), ms(bound), ms(first.P50), ms(final.lists.P50), final.lists.Errors, final.lists.ErrorBreakdown)
	// Memory and goroutines against the first minute under load (the start is idle: no client
	// connections yet).
	s.verdict(final.webRSS <= 1.5*base.webRSS+64<<20 && final.goroutines <= 1.5*base.goroutines+50,
		"the web process's memory and goroutines stayed bounded", "since %.0f min: RSS %s → %s, goroutines %.0f → %.0f (bound: 1.5 × then + 64 MB, 1.5 × then + 50); worker RSS %s → %s",
		base.at.Sub(start.at).Minutes(), mb(base.webRSS), mb(final.webRSS), base.goroutines, final.goroutines, mb(base.workerRSS), mb(final.workerRSS))

	fmt.Println()
	s.idempotency(ctx, s.tokens[0])
	s.drain(ctx, 120*time.Second)
	s.logf("final checks")
	s.checkAll(ctx, true)
	out, err := s.qijian(ctx, "audit", "verify")
	s.verdict(err == nil, "qijian audit verify", "%s", strings.TrimSpace(out))
	return nil
}

func (s *suite) soakSample(ctx context.Context) soakSample {
	p := soakSample{at: time.Now()}
	if r := s.a.metricsPage(ctx); r.Err == nil && r.Status == 200 {
		for _, l := range strings.Split(string(r.Body), "\n") {
			if v, ok := strings.CutPrefix(l, "process_resident_memory_bytes "); ok {
				p.webRSS, _ = strconv.ParseFloat(strings.TrimSpace(v), 64)
			}
			if v, ok := strings.CutPrefix(l, "go_goroutines "); ok {
				p.goroutines, _ = strconv.ParseFloat(strings.TrimSpace(v), 64)
			}
		}
	}
	p.workerRSS = procRSS(s.worker.pid())
	_ = s.pool.QueryRow(ctx, `SELECT pg_database_size(current_database()),
		(SELECT COUNT(*) FROM work_orders), (SELECT COUNT(*) FROM order_events),
		(SELECT COUNT(*) FROM order_deadlines), (SELECT COUNT(*) FROM outbox)`).Scan(&p.dbSize, &p.orders, &p.events, &p.deadlines, &p.outbox)
	return p
}

func (s *suite) printSample(label string, p soakSample, from time.Time) {
	lists := "lists: none read yet"
	if !from.IsZero() {
		lists = fmt.Sprintf("lists: %d read, %d failed, p50 %s ms, p99 %s ms", p.lists.N, p.lists.Errors, ms(p.lists.P50), ms(p.lists.P99))
	}
	s.logf("%-6s web RSS %s, %.0f goroutines; worker RSS %s; database %s; rows: orders %d, events %d, deadlines %d, outbox %d; %s",
		label, mb(p.webRSS), p.goroutines, mb(p.workerRSS), mb(float64(p.dbSize)), p.orders, p.events, p.deadlines, p.outbox, lists)
}

func mb(b float64) string { return fmt.Sprintf("%.1f MB", b/(1<<20)) }

// procRSS reads a process's resident memory from /proc (the worker serves no /metrics).
func procRSS(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb * 1024
		}
	}
	return 0
}
