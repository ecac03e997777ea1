package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// redisProxy stands between the processes and Redis, so that the suite can take Redis away from
// them alone (the Redis server may serve others): while cut it closes every connection and
// every new one at once, as a Redis that went away would.
type redisProxy struct {
	ln     net.Listener
	target string
	down   atomic.Bool
	mu     sync.Mutex
	conns  map[net.Conn]struct{}
}

// startRedisProxy listens on a free local port in front of redisURL's server and answers the
// URL the processes are to use (same database, the proxy's address).
func startRedisProxy(redisURL string) (*redisProxy, string, error) {
	u, err := url.Parse(redisURL)
	if err != nil {
		return nil, "", err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	p := &redisProxy{ln: ln, target: u.Host, conns: map[net.Conn]struct{}{}}
	go p.serve()
	u.Host = ln.Addr().String()
	return p, u.String(), nil
}

func (p *redisProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if p.down.Load() {
			c.Close()
			continue
		}
		go p.pipe(c)
	}
}

func (p *redisProxy) pipe(c net.Conn) {
	r, err := net.DialTimeout("tcp", p.target, 2*time.Second)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns[c], p.conns[r] = struct{}{}, struct{}{}
	p.mu.Unlock()
	done := make(chan struct{}, 2)
	go func() { io.Copy(r, c); done <- struct{}{} }()
	go func() { io.Copy(c, r); done <- struct{}{} }()
	<-done
	c.Close()
	r.Close()
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, r)
	p.mu.Unlock()
}

// cut takes Redis away: open connections are closed, new ones closed on accept.
func (p *redisProxy) cut() {
	p.down.Store(true)
	p.mu.Lock()
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
}

func (p *redisProxy) restore() { p.down.Store(false) }

func (p *redisProxy) close() { p.ln.Close(); p.cut() }

// faultRedisDown takes Redis away from the web and the worker for 5 s. A web process does not
// need the queue to serve: no request may fail and /readyz must stay 200 (the queue's state is
// only in its detail); what the worker could not hand on waits in the outbox, checked later.
func (s *suite) faultRedisDown(ctx context.Context) (*window, error) {
	w := &window{from: time.Now(), expect: "up"}
	s.redis.cut()
	s.logf("Redis cut off from the web and the worker (their connections closed, new ones refused)")
	s.sleep(ctx, 5*time.Second)
	r := s.a.do(ctx, nil, "GET", "/readyz", "", nil)
	s.redis.restore()
	w.to = time.Now()
	s.logf("Redis reachable again; /readyz during the cut: %d %s", r.Status, r.Body)
	return w, nil
}

// faultReadOnly makes the bench database read-only for 5 s (default_transaction_read_only, its
// sessions cut so that every new one is read-only), then writable again. Writes must answer 503
// with Retry-After within 2 s, /readyz must say not ready, and the service must come back.
func (s *suite) faultReadOnly(ctx context.Context) (*window, error) {
	w := &window{from: time.Now(), expect: "503"}
	cutSessions := func(ctx context.Context) error {
		return s.db.adminExec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", s.db.Name)
	}
	if err := s.db.adminExec(ctx, "ALTER DATABASE "+s.db.Name+" SET default_transaction_read_only = on"); err != nil {
		return nil, err
	}
	if err := cutSessions(ctx); err != nil {
		return nil, err
	}
	s.logf("database %s is read-only (its sessions were cut; new ones cannot write)", s.db.Name)
	s.sleep(ctx, 5*time.Second)
	wctx := context.WithoutCancel(ctx)
	if err := s.db.adminExec(wctx, "ALTER DATABASE "+s.db.Name+" RESET default_transaction_read_only"); err != nil {
		return nil, err
	}
	if err := cutSessions(wctx); err != nil {
		return nil, err
	}
	w.to = time.Now()
	s.logf("database writable again (read-only sessions cut)")
	atts := s.load.attemptsBetween(w.from.Add(time.Second), w.to)
	probes := s.probe.between(w.from.Add(time.Second), w.to)
	var noRetry, notReady int
	for _, a := range atts {
		if a.status == 503 && !a.retryAfter {
			noRetry++
		}
	}
	for _, p := range probes {
		if p.status == 503 {
			notReady++
		}
	}
	s.verdict(noRetry == 0, "503s during the read-only database carry Retry-After", "%d submission attempt(s) in the window, %d 503 without Retry-After", len(atts), noRetry)
	s.verdict(len(probes) > 0 && notReady*2 >= len(probes), "/readyz says not ready while the database cannot write", "%d of %d probes answered 503", notReady, len(probes))
	return w, nil
}

// faultBookingStall holds the bookings and slots tables for 6 s (another session's exclusive
// lock) while enterprises book, each client giving up after 2 s and retrying with its
// Idempotency-Key, and one naive client making a new key for every retry. After it: every
// client holds exactly one booking of its slot, the seats taken match the bookings, and no
// request for a complaint failed meanwhile (the stall is confined to the tables it holds).
func (s *suite) faultBookingStall(ctx context.Context) (*window, error) {
	var slots []int64
	rows, err := s.pool.Query(ctx, `SELECT sl.id FROM slots sl JOIN services sv ON sv.id = sl.service_id
		WHERE sv.active AND sv.mode IN ('online', 'both') AND sl.starts_at > now() + interval '3 days' AND NOT sl.closed AND sl.capacity - sl.booked >= 2
		ORDER BY sl.starts_at, sl.id LIMIT 4`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		if rows.Scan(&id) == nil {
			slots = append(slots, id)
		}
	}
	rows.Close()
	if len(slots) < 4 {
		s.verdict(false, "bookings through a stall", "no four bookable slots found")
		return nil, nil
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, "LOCK TABLE slots, bookings IN ACCESS EXCLUSIVE MODE"); err != nil {
		return nil, err
	}
	w := &window{from: time.Now(), expect: "up"}
	s.logf("bookings and slots locked by another session; 4 clients book with a key each, 2 naive clients with a new key per retry")
	type booker struct {
		token   string
		slot    int64
		naive   bool
		answers map[int]int
		ids     map[string]bool
	}
	var bs []*booker
	for i, tok := range s.tokens {
		for _, sl := range slots[:2] {
			bs = append(bs, &booker{token: tok, slot: sl, answers: map[int]int{}, ids: map[string]bool{}})
		}
		// The naive client books a slot of its own: beside a keyed client of its enterprise on
		// the same slot, one of the two would rightly be told the slot is held.
		bs = append(bs, &booker{token: tok, slot: slots[2+i%2], naive: true, answers: map[int]int{}, ids: map[string]bool{}})
	}
	var wg sync.WaitGroup
	var source atomic.Int64
	for i, b := range bs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := fmt.Sprintf("stall-%s-%d", s.load.runID, i)
			body := map[string]any{"slot_id": b.slot, "mode": "online", "topic": "故障测试：停顿中的预约 [bench]"}
			for n, end := 0, time.Now().Add(30*time.Second); time.Now().Before(end) && ctx.Err() == nil; n++ {
				if b.naive {
					key = fmt.Sprintf("stall-%s-%d-%d", s.load.runID, i, n)
				}
				c := *s.a.clientFor(int(source.Add(1)))
				c.Timeout = 2 * time.Second // the client's patience, shorter than the stall
				r := s.a.do(ctx, &c, "POST", "/api/v1/bookings", b.token, body, "Idempotency-Key", key)
				if r.Err != nil {
					b.answers[-1]++
				} else {
					b.answers[r.Status]++
				}
				if r.kind() == "" {
					b.ids[fmt.Sprint(r.json()["id"])] = true
				}
				if r.Err == nil && r.Status < 500 && r.Status != 429 {
					return // an answer: booked, or (the naive client) told it holds the slot already
				}
				time.Sleep(500 * time.Millisecond)
			}
		}()
	}
	s.sleep(ctx, 6*time.Second)
	if err := tx.Rollback(ctx); err != nil {
		return nil, err
	}
	w.to = time.Now()
	s.logf("lock released after %.1fs", w.to.Sub(w.from).Seconds())
	wg.Wait()
	var dup, unbooked, keyed []string
	for _, b := range bs {
		if !b.naive && len(b.ids) != 1 {
			keyed = append(keyed, fmt.Sprintf("slot %d: ids %v answers %v", b.slot, b.ids, b.answers))
		}
	}
	var ents []int64
	_ = s.pool.QueryRow(ctx, "SELECT array_agg(enterprise_id ORDER BY username) FROM users WHERE username IN ('ent-a', 'ent-b')").Scan(&ents)
	for i, ent := range ents {
		for _, sl := range append(slices.Clone(slots[:2]), slots[2+i%2]) {
			var n int
			_ = s.pool.QueryRow(ctx, "SELECT COUNT(*) FROM bookings WHERE enterprise_id = $1 AND slot_id = $2 AND status IN ('booked', 'confirmed', 'in_progress')", ent, sl).Scan(&n)
			switch {
			case n > 1:
				dup = append(dup, fmt.Sprintf("enterprise %d slot %d: %d", ent, sl, n))
			case n == 0:
				unbooked = append(unbooked, fmt.Sprintf("enterprise %d slot %d", ent, sl))
			}
		}
	}
	var seats, active int
	_ = s.pool.QueryRow(ctx, "SELECT COALESCE(SUM(booked), 0) FROM slots WHERE id = ANY($1)", slots).Scan(&seats)
	_ = s.pool.QueryRow(ctx, "SELECT COUNT(*) FROM bookings WHERE slot_id = ANY($1) AND status IN ('booked', 'confirmed', 'in_progress')", slots).Scan(&active)
	answers := map[int]int{}
	for _, b := range bs {
		for k, v := range b.answers {
			answers[k] += v
		}
	}
	s.verdict(len(dup) == 0 && len(unbooked) == 0 && len(keyed) == 0 && seats == active,
		"bookings retried through a stall: 0 duplicated", "answers %v (-1: the client gave up); duplicated %v; not booked %v; keyed clients not answered one booking %v; seats taken %d for %d active bookings",
		answers, dup, unbooked, keyed, seats, active)
	return w, nil
}
