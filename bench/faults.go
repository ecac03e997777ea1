package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"qijian/workflows"
)

type faultOpts struct {
	common
	long      bool
	restartPG bool
	rate      float64
	only      string // comma-separated fault numbers ("8", "5,6"); empty: all
	soak      time.Duration
}

// suite is one fault-injection run: the processes, the load, the checks and their verdicts.
type suite struct {
	demoOrders int64 // the highest order id the demo loaded
	o          faultOpts
	db         *freshDB
	redisURL   string
	redisDB    int
	bin        string
	env        []string
	web        *proc
	worker     *proc
	a          *api
	pool       *pgxpool.Pool
	q          *workflows.Queue
	load       *submitter
	probe      *prober
	rdb        *redis.Client
	redis      *redisProxy // between the processes and Redis (faultRedisDown)
	tokens     []string
	// flushedAt is when the FLUSHDB fault ran; checked once the post-fault load has run.
	flushedAt time.Time
	began     time.Time
	failed    int
	checks    int
}

func runFaults(ctx context.Context, args []string) error {
	var o faultOpts
	fs := flag.NewFlagSet("faults", flag.ContinueOnError)
	fs.BoolVar(&o.long, "long", false, "longer load, every fault twice, a full drain and every check after each fault")
	fs.BoolVar(&o.restartPG, "restart-pg", false, "also restart the PostgreSQL server (pg_ctlcluster); only when no other database has client sessions")
	fs.Float64Var(&o.rate, "rate", 0, "submissions per second of the steady load (default 10, -long 20)")
	fs.DurationVar(&o.soak, "soak", 0, "instead of the faults, a soak of this long (e.g. 10m): steady submissions and list reads, memory, goroutines, database size and list latency every minute")
	fs.StringVar(&o.only, "only", "", "run only these faults, by number, comma-separated (e.g. 8 or 4a,6)")
	commonFlags(fs, &o.common)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.rate == 0 {
		o.rate = 10
		if o.long {
			o.rate = 20
		}
	}
	s := &suite{o: o, began: time.Now()}
	err := s.run(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("\n%d checks, %d failed; %.0fs in all\n", s.checks, s.failed, time.Since(s.began).Seconds())
	if s.failed > 0 {
		return fmt.Errorf("%d of %d checks failed", s.failed, s.checks)
	}
	return nil
}

func (s *suite) logf(format string, args ...any) {
	fmt.Printf("[%6.1fs] %s\n", time.Since(s.began).Seconds(), fmt.Sprintf(format, args...))
}

// verdict prints one check and counts it.
func (s *suite) verdict(ok bool, name, format string, args ...any) {
	s.checks++
	mark := "ok  "
	if !ok {
		mark = "FAIL"
		s.failed++
	}
	fmt.Printf("    [%s] %s: %s\n", mark, name, fmt.Sprintf(format, args...))
}

func (s *suite) run(ctx context.Context) error {
	o := s.o
	tmp, err := os.MkdirTemp("", "qijian-faults-")
	if err != nil {
		return err
	}
	if s.db, err = createDB(ctx, o.adminURL); err != nil {
		return err
	}
	defer func() {
		if o.keep {
			fmt.Printf("kept database %s, redis db %d and %s (web.log, worker.log)\n", s.db.Name, s.redisDB, tmp)
			return
		}
		if err := s.db.drop(); err != nil {
			fmt.Fprintf(os.Stderr, "bench: drop database %s: %v\n", s.db.Name, err)
		}
		os.RemoveAll(tmp)
	}()
	if s.redisURL, s.redisDB, err = pickRedis(ctx, o.redisURL, o.redisDB); err != nil {
		return err
	}
	defer func() {
		if !o.keep {
			if err := flushRedis(s.redisURL); err != nil {
				fmt.Fprintf(os.Stderr, "bench: flush redis: %v\n", err)
			}
		}
	}()
	mode := "quick"
	if o.long {
		mode = "long"
	}
	if o.soak > 0 {
		mode = "soak " + o.soak.String()
	}
	s.logf("fault suite (%s): database %s, redis db %d, steady load %.0f submissions/s", mode, s.db.Name, s.redisDB, o.rate)
	if s.bin, err = buildBinary(ctx, tmp); err != nil {
		return err
	}
	port, err := freePort()
	if err != nil {
		return err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	// The processes reach Redis through a proxy the suite can cut; the suite itself goes direct.
	var procRedis string
	if s.redis, procRedis, err = startRedisProxy(s.redisURL); err != nil {
		return err
	}
	defer s.redis.close()
	s.env = processEnv(tmp, s.db.URL, procRedis, addr)
	mport, err := freePort()
	if err != nil {
		return err
	}
	metricsAddr := fmt.Sprintf("127.0.0.1:%d", mport)
	s.env = append(s.env, "QIJIAN_METRICS_ADDR="+metricsAddr)
	s.logf("built %s; loading the demo data with `qijian demo`", s.bin)
	if out, err := s.qijian(ctx, "demo"); err != nil {
		return fmt.Errorf("qijian demo: %v\n%s", err, out)
	}
	if s.pool, err = pgxpool.New(ctx, s.db.URL); err != nil {
		return err
	}
	defer s.pool.Close()
	// The demo plays its own stories; the checks that model every message look at the suite's orders.
	if err := s.pool.QueryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM work_orders").Scan(&s.demoOrders); err != nil {
		return err
	}
	// Deadlines that fall due during the run: the 12348 accept stage gets 0 working hours, so
	// every filing's accept deadline is due the moment it is filed and its reminder and breach
	// timers fire while the faults happen. (Allowances are whole working hours or days; 0 is the
	// only allowance that falls inside a run.)
	if _, err := s.pool.Exec(ctx, "UPDATE sla_policies SET amount = 0, unit = 'hours' WHERE channel = '12348' AND stage = 'accept'"); err != nil {
		return err
	}
	if err := s.installTimerPolicies(ctx); err != nil {
		return err
	}
	s.web = &proc{name: "web", bin: s.bin, args: []string{"web"}, env: s.env, log: filepath.Join(tmp, "web.log")}
	s.worker = &proc{name: "worker", bin: s.bin, args: []string{"worker"}, env: s.env, log: filepath.Join(tmp, "worker.log")}
	if err := s.web.start(); err != nil {
		return err
	}
	defer s.web.stop()
	if err := s.worker.start(); err != nil {
		return err
	}
	defer s.worker.stop()
	s.a = newAPI("http://"+addr, 254, 10*time.Second)
	s.a.metrics = "http://" + metricsAddr
	if _, err := s.a.waitReady(ctx, 20*time.Second); err != nil {
		return fmt.Errorf("%v\nweb log:\n%s", err, s.web.tail(3000))
	}
	if s.q, err = workflows.OpenQueue(ctx, s.redisURL); err != nil {
		return err
	}
	defer s.q.Close()
	ropt, err := redis.ParseURL(s.redisURL)
	if err != nil {
		return err
	}
	s.rdb = redis.NewClient(ropt)
	defer s.rdb.Close()
	var tokens []string
	for _, u := range []string{"ent-a", "ent-b"} {
		t, err := s.a.token(ctx, u, benchPassword)
		if err != nil {
			return err
		}
		tokens = append(tokens, t)
	}
	s.tokens = tokens
	s.logf("web (pid %d) and worker (pid %d) running at http://%s; ent-a and ent-b logged in", s.web.pid(), s.worker.pid(), addr)

	if o.soak > 0 {
		return s.soak(ctx, o.soak)
	}
	s.probe = startProber(ctx, s.a)
	defer s.probe.stop()
	s.load = startSubmitter(ctx, s.a, tokens, randHex(3), o.rate)
	defer s.load.stopAndWait()
	s.sleep(ctx, 3*time.Second)

	rounds, post := 1, 3*time.Second
	if o.long {
		rounds, post = 2, 15*time.Second
	}
	// FLUSHDB goes first: the sweep that recovers what Redis lost runs a minute after the worker
	// starts, so flushing before the worker's restart lets one sweep recover both faults' losses.
	faults := []struct {
		name string
		run  func(ctx context.Context) (*window, error)
	}{
		{"(3) FLUSHDB on the bench's Redis database, nothing restarted", s.faultFlush},
		{"(1) kill -9 the worker mid-task, then restart it", s.faultWorker},
		{"(2) kill -9 the web process, then restart it", s.faultWeb},
		{"(4a) database outage: the bench database refuses and cuts connections for 4 s (PostgreSQL keeps running)", s.faultDBOutage},
		{"(5) bookings retried through a 6 s stall of their tables, clients giving up after 2 s", s.faultBookingStall},
		{"(6) the database turns read-only for 5 s", s.faultReadOnly},
		{"(7) Redis down for the web and the worker for 5 s", s.faultRedisDown},
		{"(8) two workers side by side, every periodic job on a 3 s period", s.faultTwoWorkers},
		{"(10) the hotline steps' stage timers (sign-for, a paused stage, an extended one, a re-handled one) through kill -9 of the worker and the web process and a FLUSHDB", s.faultStageTimers},
		{"(9) full disk: an embedded serve (SQLite, in-process Redis) with its data on a " + diskSize + " tmpfs, filled for 6 s", s.faultDiskFull},
	}
	if o.restartPG {
		faults = append(faults, struct {
			name string
			run  func(ctx context.Context) (*window, error)
		}{"(4b) restart PostgreSQL (pg_ctlcluster)", s.faultRestartPG})
	}
	if o.only != "" {
		var picked []struct {
			name string
			run  func(ctx context.Context) (*window, error)
		}
		for _, f := range faults {
			for _, n := range strings.Split(o.only, ",") {
				if strings.HasPrefix(f.name, "("+strings.TrimSpace(n)+")") {
					picked = append(picked, f)
				}
			}
		}
		faults = picked
	}
	for r := 0; r < rounds; r++ {
		for _, f := range faults {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			fmt.Println()
			s.logf("fault %s%s", f.name, map[bool]string{true: fmt.Sprintf(" — round %d", r+1), false: ""}[rounds > 1])
			w, err := f.run(ctx)
			if err != nil {
				return err
			}
			if w == nil {
				continue
			}
			s.sleep(ctx, post)
			s.judgeWindow(ctx, w)
			if !s.flushedAt.IsZero() {
				s.checkQueueRegistered(ctx)
				s.flushedAt = time.Time{}
			}
			if o.long {
				// Pause the load, let the worker finish everything due, judge completeness.
				s.load.stopAndWait()
				s.drain(ctx, 300*time.Second)
				s.checkAll(ctx, true)
				s.load.resume(ctx)
				s.sleep(ctx, 5*time.Second)
			} else {
				s.checkAll(ctx, false)
			}
		}
	}

	fmt.Println()
	s.logf("stopping the steady load (clients finish their retries)")
	s.load.stopAndWait()
	s.idempotency(ctx, tokens[0])
	fmt.Println()
	// Quick mode keeps the whole run under four minutes where it can; the stage-timer fault (10)
	// waits on the sweep a minute or two, so the drain always gets a minute of its own.
	drainLimit := max(230*time.Second-time.Since(s.began), time.Minute)
	if o.long {
		drainLimit = 300 * time.Second
	}
	s.drain(ctx, drainLimit)
	tasks, sweeps := s.sweepRecovered()
	s.logf("final checks (the worker's outbox sweep recovered %d task(s) the queue had lost, in %d sweep(s))", tasks, sweeps)
	s.checkAll(ctx, true)
	out, err := s.qijian(ctx, "audit", "verify")
	s.verdict(err == nil, "qijian audit verify", "%s", strings.TrimSpace(out))
	if !s.web.running() || !s.worker.running() {
		s.verdict(false, "processes", "web running %v, worker running %v", s.web.running(), s.worker.running())
	}
	return nil
}

func (s *suite) sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// qijian runs a one-shot subcommand of the built binary against the bench database.
func (s *suite) qijian(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, s.bin, args...)
	cmd.Env = s.env
	var b bytes.Buffer
	cmd.Stdout, cmd.Stderr = &b, &b
	err := cmd.Run()
	return b.String(), err
}

// window is the stretch of time a fault covers and what clients should have seen in it.
type window struct {
	from, to  time.Time // injection to end of the fault (restart or unblock)
	expect    string    // "up": no request fails; "down": failures are fast; "503": failures are 503 within 2 s
	recovered time.Time // first 2xx submission after the fault ended
}

// queueDepth reads asynq's keys for the queue directly: asynq's Inspector answers "queue not
// found" whenever the queue is missing from asynq:queues (as after a FLUSHDB).
func (s *suite) queueDepth() string {
	d, err := s.depth()
	if err != nil {
		return "queue: " + err.Error()
	}
	return fmt.Sprintf("pending %d, scheduled %d, active %d, retry %d, archived %d", d["pending"], d["scheduled"], d["active"], d["retry"], d["archived"])
}

func (s *suite) depth() (map[string]int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	p := "asynq:{" + workflows.QueueName + "}:"
	out := map[string]int64{}
	for _, k := range []string{"pending", "active"} {
		n, err := s.rdb.LLen(ctx, p+k).Result()
		if err != nil {
			return nil, err
		}
		out[k] = n
	}
	for _, k := range []string{"scheduled", "retry", "archived"} {
		n, err := s.rdb.ZCard(ctx, p+k).Result()
		if err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, nil
}

func (s *suite) faultFlush(ctx context.Context) (*window, error) {
	before := s.queueDepth()
	var relayed int64
	_ = s.pool.QueryRow(ctx, "SELECT COUNT(*) FROM outbox WHERE relayed_at IS NOT NULL AND done_at IS NULL").Scan(&relayed)
	w := &window{from: time.Now(), expect: "up"}
	if err := flushRedis(s.redisURL); err != nil {
		return nil, err
	}
	w.to = time.Now()
	s.logf("flushed redis db %d; before: %s; outbox rows relayed and not done: %d; after: %s", s.redisDB, before, relayed, s.queueDepth())
	s.flushedAt = w.to
	return w, nil
}

func (s *suite) faultWorker(ctx context.Context) (*window, error) {
	// Wait until the worker is inside a task.
	active := 0
	for end := time.Now().Add(5 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if d, err := s.depth(); err == nil && d["active"] > 0 {
			active = int(d["active"])
			break
		}
	}
	pid := s.worker.pid()
	w := &window{from: time.Now(), expect: "up"}
	s.worker.kill9()
	s.logf("kill -9 worker pid %d with %d task(s) active; %s", pid, active, s.queueDepth())
	s.sleep(ctx, 2*time.Second)
	if err := s.worker.start(); err != nil {
		return nil, err
	}
	w.to = time.Now()
	s.logf("worker restarted (pid %d)", s.worker.pid())
	return w, nil
}

func (s *suite) faultWeb(ctx context.Context) (*window, error) {
	for end := time.Now().Add(2 * time.Second); time.Now().Before(end) && s.load.inflight.Load() == 0; time.Sleep(5 * time.Millisecond) {
	}
	inflight, pid := s.load.inflight.Load(), s.web.pid()
	w := &window{from: time.Now(), expect: "down"}
	s.web.kill9()
	s.logf("kill -9 web pid %d with %d submission(s) in flight", pid, inflight)
	s.sleep(ctx, 2*time.Second)
	if err := s.web.start(); err != nil {
		return nil, err
	}
	took, err := s.a.waitReady(ctx, 20*time.Second)
	if err != nil {
		return nil, fmt.Errorf("web did not come back: %v\n%s", err, s.web.tail(3000))
	}
	w.to = time.Now()
	s.logf("web restarted (pid %d), ready %.2fs after start", s.web.pid(), took.Seconds())
	return w, nil
}

func (s *suite) faultDBOutage(ctx context.Context) (*window, error) {
	w := &window{from: time.Now(), expect: "503"}
	if err := s.db.adminExec(ctx, "ALTER DATABASE "+s.db.Name+" ALLOW_CONNECTIONS false"); err != nil {
		return nil, err
	}
	if err := s.db.adminExec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", s.db.Name); err != nil {
		return nil, err
	}
	s.logf("database %s refuses connections; its sessions were terminated", s.db.Name)
	s.sleep(ctx, 4*time.Second)
	if err := s.db.adminExec(context.WithoutCancel(ctx), "ALTER DATABASE "+s.db.Name+" ALLOW_CONNECTIONS true"); err != nil {
		return nil, err
	}
	w.to = time.Now()
	s.logf("database accepts connections again")
	return w, nil
}

func (s *suite) faultRestartPG(ctx context.Context) (*window, error) {
	var others int
	var names string
	err := pgxQueryRow(ctx, s.db.adminURL, `SELECT COUNT(*), COALESCE(string_agg(DISTINCT datname, ', '), '') FROM pg_stat_activity
		WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND datname IS DISTINCT FROM $1`, []any{s.db.Name}, &others, &names)
	if err != nil {
		return nil, err
	}
	if others > 0 {
		s.verdict(true, "restart PostgreSQL", "skipped: %d client session(s) of other databases (%s) are connected; restarting would break them", others, names)
		return nil, nil
	}
	ents, err := os.ReadDir("/etc/postgresql")
	if err != nil || len(ents) == 0 {
		s.verdict(true, "restart PostgreSQL", "skipped: no cluster under /etc/postgresql")
		return nil, nil
	}
	ver := ents[0].Name()
	w := &window{from: time.Now(), expect: "503"}
	out, err := exec.CommandContext(ctx, "pg_ctlcluster", "--skip-systemctl-redirect", ver, "main", "restart").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("pg_ctlcluster %s main restart: %v\n%s", ver, err, out)
	}
	w.to = time.Now()
	s.logf("PostgreSQL %s restarted in %.1fs", ver, w.to.Sub(w.from).Seconds())
	return w, nil
}

// judgeWindow checks what clients saw during a fault and that the service came back by itself.
func (s *suite) judgeWindow(ctx context.Context, w *window) {
	atts := s.load.attemptsBetween(w.from, w.to.Add(500*time.Millisecond))
	probes := s.probe.between(w.from, w.to.Add(500*time.Millisecond))
	kinds := map[string]int{}
	slow, ok, failed := 0, 0, 0
	var worst time.Duration
	not503 := map[string]int{}
	for _, a := range append(atts, probes...) {
		if a.kind == "" {
			ok++
			continue
		}
		failed++
		kinds[a.kind]++
		worst = max(worst, a.took)
		if a.took > 2*time.Second {
			slow++
		}
		if a.status != 503 {
			not503[a.kind]++
		}
	}
	desc := fmt.Sprintf("%d submissions and %d probes sent in the %.1fs window: %d answered 2xx, %d failed %s", len(atts), len(probes), w.to.Sub(w.from).Seconds(), ok-countOK(probes), failed, fmtKinds(kinds))
	switch w.expect {
	case "up":
		s.verdict(failed == 0, "no request failed during the fault", "%s", desc)
	case "down":
		s.verdict(slow == 0, "requests during the outage failed fast (≤ 2 s; no process to answer 503)", "%s; slowest failure %s ms", desc, ms(worst))
	case "503":
		s.verdict(slow == 0 && len(not503) == 0, "requests during the outage got a 503 within 2 s", "%s; slowest failure %s ms; failures that were not 503: %s", desc, ms(worst), fmtKinds(not503))
	}
	// Came back by itself: the next submission after the fault succeeds, and /readyz is 200.
	first := s.load.firstOKAfter(w.to)
	ready := s.probe.firstOKAfter(w.to)
	if first.IsZero() {
		for end := time.Now().Add(20 * time.Second); first.IsZero() && time.Now().Before(end); time.Sleep(200 * time.Millisecond) {
			first = s.load.firstOKAfter(w.to)
		}
	}
	s.verdict(!first.IsZero() && !ready.IsZero(), "service came back by itself", "first 2xx submission %s after the fault ended, /readyz 200 %s after",
		sinceOr(first, w.to), sinceOr(ready, w.to))
}

func countOK(as []attempt) int {
	n := 0
	for _, a := range as {
		if a.kind == "" {
			n++
		}
	}
	return n
}

func sinceOr(t, from time.Time) string {
	if t.IsZero() {
		return "never (within 20 s)"
	}
	return fmt.Sprintf("%.2fs", t.Sub(from).Seconds())
}

func fmtKinds(m map[string]int) string {
	if len(m) == 0 {
		return "(none)"
	}
	var parts []string
	for k, v := range m {
		parts = append(parts, fmt.Sprintf("%s×%d", k, v))
	}
	sort.Strings(parts)
	return "(" + strings.Join(parts, ", ") + ")"
}

// drain waits until every outbox row that is due is done (the worker caught up, including what
// the faults made it lose), printing progress.
func (s *suite) drain(ctx context.Context, limit time.Duration) {
	start := time.Now()
	last := time.Time{}
	zeroes := 0
	for {
		var n int64
		err := s.pool.QueryRow(ctx, "SELECT COUNT(*) FROM outbox WHERE done_at IS NULL AND run_at <= now()").Scan(&n)
		if err == nil && n == 0 {
			zeroes++
			if zeroes >= 2 {
				s.logf("outbox drained: every due row done %.0fs after the load stopped", time.Since(start).Seconds())
				s.verdict(true, "the worker caught up by itself", "every due outbox row done after %.0fs", time.Since(start).Seconds())
				return
			}
		} else {
			zeroes = 0
		}
		if time.Since(last) > 10*time.Second {
			s.logf("waiting for the worker: %d due outbox rows not done; %s", n, s.queueDepth())
			last = time.Now()
		}
		if time.Since(start) > limit || ctx.Err() != nil {
			rows, _ := s.pool.Query(ctx, `SELECT id, task_type, relayed_at IS NOT NULL, attempts, left(last_error, 120) FROM outbox WHERE done_at IS NULL AND run_at <= now() ORDER BY id LIMIT 5`)
			var ex []string
			for rows != nil && rows.Next() {
				var id int64
				var typ, le string
				var relayed bool
				var att int
				if rows.Scan(&id, &typ, &relayed, &att, &le) == nil {
					ex = append(ex, fmt.Sprintf("#%d %s relayed=%v attempts=%d %q", id, typ, relayed, att, le))
				}
			}
			if rows != nil {
				rows.Close()
			}
			s.verdict(false, "the worker caught up by itself", "%d due outbox rows still not done after %.0fs; %s; e.g. %s", n, limit.Seconds(), s.queueDepth(), strings.Join(ex, "; "))
			return
		}
		s.sleep(ctx, time.Second)
	}
}

// idempotency fires 50 concurrent submissions with one Idempotency-Key from 50 addresses.
func (s *suite) idempotency(ctx context.Context, token string) {
	key := "idem-" + s.load.runID
	const n = 50
	var wg sync.WaitGroup
	start := make(chan struct{})
	res := make([]answer, n)
	body := map[string]any{"type": "illegal_inspection", "reasons": []string{"NOTICE-1"}, "description": "并发幂等测试：同一 Idempotency-Key 提交 50 次 [bench:" + key + "]", "body_id": 1}
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			res[i] = s.a.do(ctx, s.a.clientFor(i), "POST", "/api/v1/complaints", token, body, "Idempotency-Key", key)
		}(i)
	}
	close(start)
	wg.Wait()
	ids := map[float64]int{}
	statuses := map[string]int{}
	for _, r := range res {
		k := r.kind()
		if k == "" {
			k = fmt.Sprint(r.Status)
			if id, ok := r.json()["id"].(float64); ok {
				ids[id]++
			}
		}
		statuses[k]++
	}
	var orders, keys int64
	_ = s.pool.QueryRow(ctx, "SELECT COUNT(*) FROM work_orders WHERE description LIKE $1", "%[bench:"+key+"]%").Scan(&orders)
	_ = s.pool.QueryRow(ctx, "SELECT COUNT(*) FROM idempotency_keys WHERE key = $1", key).Scan(&keys)
	s.logf("50 concurrent submissions with Idempotency-Key %s", key)
	s.verdict(len(ids) == 1 && orders == 1 && keys == 1 && statuses["201"] == n, "one Idempotency-Key ×50 concurrent makes exactly one order",
		"answers %s, %d distinct order id(s) answered, %d order(s) in the database, %d key row(s)", fmtKinds(statuses), len(ids), orders, keys)
	// The order joins the bench's records so its deadline and notifications are checked too.
	s.load.record(key, res)
}

// checkQueueRegistered: after a FLUSHDB, new tasks flow again, but asynq's clients name a queue in
// asynq:queues only the first time a process enqueues to it. Without that entry asynq's Inspector
// answers "queue not found": /metrics then reports an empty queue and the outbox sweep takes every
// stale row for lost. The web and worker stay up through this fault, so nothing names it again.
func (s *suite) checkQueueRegistered(ctx context.Context) {
	member, err := s.rdb.SIsMember(ctx, "asynq:queues", workflows.QueueName).Result()
	d, _ := s.depth()
	_, infoErr := s.q.Inspector.GetQueueInfo(workflows.QueueName)
	metric := s.metricQueue(ctx)
	s.verdict(err == nil && member && infoErr == nil, "queue visible to monitoring and the sweep after the flush",
		"%.0fs after FLUSHDB: queue %q in asynq:queues: %v; Inspector: %v; tasks actually in Redis: %v; /metrics qijian_queue_tasks: %s",
		time.Since(s.flushedAt).Seconds(), workflows.QueueName, member, errOr(infoErr, "ok"), d, metric)
}

func errOr(err error, ok string) string {
	if err != nil {
		return err.Error()
	}
	return ok
}

// metricQueue reads the queue gauges from the web process's /metrics.
func (s *suite) metricQueue(ctx context.Context) string {
	r := s.a.metricsPage(ctx)
	if r.Err != nil || r.Status != 200 {
		return fmt.Sprintf("unavailable (%d %v)", r.Status, r.Err)
	}
	var parts []string
	for _, l := range strings.Split(string(r.Body), "\n") {
		if strings.HasPrefix(l, "qijian_queue_tasks{") {
			l = strings.TrimPrefix(l, "qijian_queue_tasks{state=\"")
			parts = append(parts, strings.Replace(l, "\"} ", "=", 1))
		}
	}
	sort.Strings(parts)
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}

var sweepRe = regexp.MustCompile(`outbox sweep handed back tasks the queue lost or gave up on" count=([0-9]+)`)

// sweepRecovered adds up what the worker's sweep logged it recovered.
func (s *suite) sweepRecovered() (tasks, sweeps int) {
	b, _ := os.ReadFile(s.worker.log)
	for _, m := range sweepRe.FindAllStringSubmatch(string(b), -1) {
		n, _ := strconv.Atoi(m[1])
		tasks += n
		sweeps++
	}
	return
}
