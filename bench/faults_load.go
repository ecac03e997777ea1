package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// attempt is one HTTP request a client made and what came back.
type attempt struct {
	at     time.Time
	took   time.Duration
	status int
	kind   string // "" for a 2xx
	// retryAfter: the answer carried Retry-After
	retryAfter bool
}

// submission is one complaint a client wanted filed under one Idempotency-Key, with every
// attempt it took (a client retries with the same key after a network error or a 5xx).
type submission struct {
	key      string
	attempts []attempt
	ids      map[uint64]string // order id → number, from each 2xx answer
}

// submitter is the steady load: submissions at a fixed rate, each retried with its key for up
// to 30 s, spread over many source addresses. It can pause (finishing what is under way) and
// resume.
type submitter struct {
	a        *api
	tokens   []string
	runID    string
	rate     float64
	mu       sync.Mutex
	subs     map[string]*submission
	inflight atomic.Int64
	next     int // sequence number of the next submission
	cancel   context.CancelFunc
	loopDone chan struct{}
	wg       sync.WaitGroup
	running  bool
}

func startSubmitter(ctx context.Context, a *api, tokens []string, runID string, rate float64) *submitter {
	s := &submitter{a: a, tokens: tokens, runID: runID, rate: rate, subs: map[string]*submission{}}
	s.resume(ctx)
	return s
}

// resume starts sending again (a no-op while running).
func (s *submitter) resume(ctx context.Context) {
	if s.running {
		return
	}
	s.running = true
	lctx, cancel := context.WithCancel(ctx)
	s.cancel, s.loopDone = cancel, make(chan struct{})
	interval := time.Duration(float64(time.Second) / s.rate)
	go func() {
		defer close(s.loopDone)
		start := time.Now()
		for i := 0; ; i++ {
			due := start.Add(time.Duration(i) * interval)
			select {
			case <-lctx.Done():
				return
			case <-time.After(time.Until(due)):
			}
			s.wg.Add(1)
			go s.submit(ctx, s.next)
			s.next++
		}
	}()
}

// stopAndWait stops new submissions and waits for the ones under way (with their retries).
func (s *submitter) stopAndWait() {
	if !s.running {
		return
	}
	s.running = false
	s.cancel()
	<-s.loopDone
	s.wg.Wait()
}

func (s *submitter) submit(ctx context.Context, k int) {
	defer s.wg.Done()
	key := fmt.Sprintf("fault-%s-%d", s.runID, k)
	token := s.tokens[k%len(s.tokens)]
	body := map[string]any{"type": "illegal_inspection", "reasons": []string{"NOTICE-1"},
		"description": "检查前未送达检查通知书，直接进入车间检查 [bench:" + key + "]", "body_id": 1 + k%5, "anonymous": k%4 == 0}
	sub := &submission{key: key, ids: map[uint64]string{}}
	s.mu.Lock()
	s.subs[key] = sub
	s.mu.Unlock()
	first := time.Now()
	for {
		s.inflight.Add(1)
		at := time.Now()
		r := s.a.do(ctx, nil, "POST", "/api/v1/complaints", token, body, "Idempotency-Key", key)
		s.inflight.Add(-1)
		s.mu.Lock()
		sub.attempts = append(sub.attempts, attempt{at: at, took: r.Took, status: r.Status, kind: r.kind(), retryAfter: r.RetryAfter != ""})
		if r.kind() == "" {
			m := r.json()
			id, _ := m["id"].(float64)
			num, _ := m["number"].(string)
			sub.ids[uint64(id)] = num
		}
		s.mu.Unlock()
		retry := r.Err != nil || r.Status >= 500 || r.Status == 429
		if !retry || time.Since(first) > 30*time.Second || ctx.Err() != nil {
			return
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// record adds answers the bench got outside the steady load (the idempotency test).
func (s *submitter) record(key string, res []answer) {
	sub := &submission{key: key, ids: map[uint64]string{}}
	for _, r := range res {
		sub.attempts = append(sub.attempts, attempt{at: time.Now().Add(-r.Took), took: r.Took, status: r.Status, kind: r.kind()})
		if r.kind() == "" {
			m := r.json()
			id, _ := m["id"].(float64)
			num, _ := m["number"].(string)
			sub.ids[uint64(id)] = num
		}
	}
	s.mu.Lock()
	s.subs[key] = sub
	s.mu.Unlock()
}

func (s *submitter) attemptsBetween(from, to time.Time) []attempt {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []attempt
	for _, sub := range s.subs {
		for _, a := range sub.attempts {
			if !a.at.Before(from) && !a.at.After(to) {
				out = append(out, a)
			}
		}
	}
	return out
}

// firstOKAfter is when the first 2xx answer to a request sent after t came back.
func (s *submitter) firstOKAfter(t time.Time) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	var best time.Time
	for _, sub := range s.subs {
		for _, a := range sub.attempts {
			if a.kind == "" && !a.at.Before(t) {
				if end := a.at.Add(a.took); best.IsZero() || end.Before(best) {
					best = end
				}
			}
		}
	}
	return best
}

// snapshot copies what every key was answered.
func (s *submitter) snapshot() (total int, answered map[string]map[uint64]string, attempts, failedAttempts int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	answered = map[string]map[uint64]string{}
	for k, sub := range s.subs {
		total++
		attempts += len(sub.attempts)
		for _, a := range sub.attempts {
			if a.kind != "" {
				failedAttempts++
			}
		}
		if len(sub.ids) > 0 {
			m := map[uint64]string{}
			for id, n := range sub.ids {
				m[id] = n
			}
			answered[k] = m
		}
	}
	return
}

// prober asks /readyz every 200 ms for the whole run.
type prober struct {
	mu     sync.Mutex
	probes []attempt
	cancel context.CancelFunc
	done   chan struct{}
}

func startProber(ctx context.Context, a *api) *prober {
	p := &prober{done: make(chan struct{})}
	ctx, p.cancel = context.WithCancel(ctx)
	go func() {
		defer close(p.done)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		var wg sync.WaitGroup
		defer wg.Wait()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				at := time.Now()
				r := a.do(ctx, nil, "GET", "/readyz", "", nil)
				if ctx.Err() != nil {
					return
				}
				p.mu.Lock()
				p.probes = append(p.probes, attempt{at: at, took: r.Took, status: r.Status, kind: r.kind()})
				p.mu.Unlock()
			}()
		}
	}()
	return p
}

func (p *prober) stop() {
	p.cancel()
	<-p.done
}

func (p *prober) between(from, to time.Time) []attempt {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []attempt
	for _, a := range p.probes {
		if !a.at.Before(from) && !a.at.After(to) {
			out = append(out, a)
		}
	}
	return out
}

func (p *prober) firstOKAfter(t time.Time) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	var best time.Time
	for _, a := range p.probes {
		if a.kind == "" && !a.at.Before(t) {
			if end := a.at.Add(a.took); best.IsZero() || end.Before(best) {
				best = end
			}
		}
	}
	return best
}

// pgxQueryRow runs one query on its own connection and scans the row.
func pgxQueryRow(ctx context.Context, url, sql string, args []any, dest ...any) error {
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	return c.QueryRow(ctx, sql, args...).Scan(dest...)
}
