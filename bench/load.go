package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"qijian/internal/app"

	"gorm.io/gorm"

	"qijian/internal/clock"
	"qijian/internal/demo"
	"qijian/internal/store"
	"qijian/migrations"
	"qijian/portal"
	"qijian/workflows"
)

const benchPassword = "bench-password-123"

type loadOpts struct {
	common
	size     string
	clients  int
	duration time.Duration
	pgbench  string
	cpuprof  string
	rounds   int
}

func runLoad(ctx context.Context, args []string) error {
	var o loadOpts
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.StringVar(&o.size, "size", "quick", "quick (3k enterprises, 100k inspections, 10k orders) or full (300k, 10M, 1M)")
	fs.IntVar(&o.clients, "clients", 8, "concurrent clients (and pgbench clients)")
	fs.DurationVar(&o.duration, "duration", 20*time.Second, "duration of each measured phase")
	fs.StringVar(&o.pgbench, "pgbench", "/usr/bin/pgbench", "pgbench binary")
	fs.StringVar(&o.cpuprof, "cpuprofile", "", "write a CPU profile of this process (web part and load clients) during the submission step at -clients to this file")
	fs.IntVar(&o.rounds, "rounds", 3, "rounds of submissions and pgbench, alternated, for the ratio")
	commonFlags(fs, &o.common)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.rounds < 1 {
		return errors.New("-rounds must be at least 1")
	}
	var sz sizes
	switch o.size {
	case "quick":
		sz = sizeQuick
	case "full":
		sz = sizeFull
	default:
		return fmt.Errorf("-size %q: quick or full", o.size)
	}
	if o.clients < 1 {
		return errors.New("-clients must be at least 1")
	}
	out := os.Stdout
	began := time.Now()

	tmp, err := os.MkdirTemp("", "qijian-bench-")
	if err != nil {
		return err
	}
	db, err := createDB(ctx, o.adminURL)
	if err != nil {
		return err
	}
	defer func() {
		if o.keep {
			fmt.Fprintf(out, "kept database %s and %s\n", db.Name, tmp)
			return
		}
		if err := db.drop(); err != nil {
			fmt.Fprintf(os.Stderr, "bench: drop database %s: %v\n", db.Name, err)
		}
		os.RemoveAll(tmp)
	}()
	redisURL, redisDB, err := pickRedis(ctx, o.redisURL, o.redisDB)
	if err != nil {
		return err
	}
	defer func() {
		if !o.keep {
			if err := flushRedis(redisURL); err != nil {
				fmt.Fprintf(os.Stderr, "bench: flush redis: %v\n", err)
			}
		}
	}()
	fmt.Fprintf(out, "qijian load bench: size=%s clients=%d duration=%s database=%s redis db=%d\n", o.size, o.clients, o.duration, db.Name, redisDB)

	// Schema (the project's migrations), demo data, then the bulk data.
	// The bulk load rebuilds indexes on large tables (no statement bound), and the web part keeps
	// the pool it was measured with (40 connections), so figures stay comparable.
	st, err := store.OpenWith(ctx, db.URL, "", store.Options{MaxConns: 40, MaxIdle: 40, IdleTime: 5 * time.Minute, StatementTimeout: -1, LockTimeout: -1})
	if err != nil {
		return err
	}
	defer st.Close()
	if _, err := migrations.Apply(ctx, st.Gorm()); err != nil {
		return err
	}
	if _, err := demo.Load(ctx, st, benchPassword, time.Now()); err != nil {
		return err
	}
	fmt.Fprintln(out, "\nloading data (COPY through pgx):")
	t0 := time.Now()
	data, err := bulkLoad(ctx, db.URL, sz, benchPassword, out)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  loaded in %.1fs; database size %s\n", time.Since(t0).Seconds(), dbSize(ctx, st))

	// The worker runs as the real binary beside an in-process web part, whose submission and
	// login limits the bench raises through portal.Deps (the binary has no setting for them).
	bin, err := buildBinary(ctx, tmp)
	if err != nil {
		return err
	}
	env := processEnv(tmp, db.URL, redisURL, "127.0.0.1:0")
	worker := &proc{name: "worker", bin: bin, args: []string{"worker"}, env: env, log: filepath.Join(tmp, "worker.log")}
	if err := worker.start(); err != nil {
		return err
	}
	defer worker.stop()
	q, err := workflows.OpenQueue(ctx, redisURL)
	if err != nil {
		return err
	}
	defer q.Close()
	logf, err := os.Create(filepath.Join(tmp, "web.log"))
	if err != nil {
		return err
	}
	defer logf.Close()
	svc, err := app.Open(ctx, st, clock.Real{}, []byte(benchSecret))
	if err != nil {
		return err
	}
	srv := portal.New(portal.Deps{App: svc, Queue: q, Stats: q, Secret: []byte(benchSecret), Log: slog.New(slog.NewTextHandler(logf, nil)),
		SubmitPerMinute: 1 << 30, LoginPerMinute: 1 << 30, DataDir: tmp})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go func() { _ = srv.App().Listener(ln) }()
	defer srv.Shutdown(context.Background())
	// As `qijian web` does: this process links its own audit events into the chain.
	chainCtx, stopChain := context.WithCancel(ctx)
	defer stopChain()
	go st.RunAuditChainer(chainCtx, time.Second, nil)
	mln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer mln.Close()
	go func() { _ = srv.ServeMetrics(mln) }()
	a := newAPI("http://"+ln.Addr().String(), 1, 30*time.Second)
	a.metrics = "http://" + mln.Addr().String()
	a.useFastClient()
	if _, err := a.waitReady(ctx, 10*time.Second); err != nil {
		return err
	}

	maxClients := 4 * o.clients
	fmt.Fprintf(out, "\nlogging in %d enterprise users and %d liaisons through POST /api/v1/auth/token\n", maxClients, len(data.liaisons)+1)
	users := make([]benchUser, maxClients)
	stride := max(1, int(data.lastEnt-data.firstEnt+1)/maxClients)
	var wg sync.WaitGroup
	var loginErr atomic.Value
	sem := make(chan struct{}, 4)
	for i := range users {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			ent := data.firstEnt + uint(i*stride)
			tok, err := a.token(ctx, data.entUser(ent), data.password)
			if err != nil {
				loginErr.Store(err)
			}
			users[i] = benchUser{ent: ent, token: tok}
		}(i)
	}
	wg.Wait()
	if err, _ := loginErr.Load().(error); err != nil {
		return err
	}
	var liaisonTokens []string
	for _, l := range append(data.liaisons, "liaison-city") {
		tok, err := a.token(ctx, l, data.password)
		if err != nil {
			return err
		}
		liaisonTokens = append(liaisonTokens, tok)
	}
	var bodyIDs []int64
	if err := st.Gorm().Raw("SELECT id FROM bodies ORDER BY id").Scan(&bodyIDs).Error; err != nil {
		return err
	}
	w := &workload{a: a, users: users, liaisons: liaisonTokens, bodies: bodyIDs}

	// Statements each operation sends to the database (counted by gorm callbacks in this
	// process, which runs the web part; one request at a time, before the load).
	var stmts atomic.Int64
	count := func(*gorm.DB) { stmts.Add(1) }
	cb := st.Gorm().Callback()
	_ = cb.Query().After("gorm:query").Register("bench:count", count)
	_ = cb.Create().After("gorm:create").Register("bench:count", count)
	_ = cb.Update().After("gorm:update").Register("bench:count", count)
	_ = cb.Delete().After("gorm:delete").Register("bench:count", count)
	_ = cb.Row().After("gorm:row").Register("bench:count", count)
	_ = cb.Raw().After("gorm:raw").Register("bench:count", count)
	fmt.Fprintln(out, "\nSQL statements per request through gorm (one request of each, unloaded, caches warm; the audit")
	fmt.Fprintln(out, "chainer's count too when it runs in the window; a write's one INSERT at commit goes past gorm: add 1):")
	r0 := rand.New(rand.NewPCG(3, 3))
	for _, op := range []string{opSubmit, opList, opQueue, opHistory} {
		w.one(ctx, op, users[0], r0)        // fills the process's table caches
		time.Sleep(1500 * time.Millisecond) // lets the audit chainer catch up
		stmts.Store(0)
		res := w.one(ctx, op, users[0], r0)
		fmt.Fprintf(out, "  %-22s %4d statements, %6s ms, %d bytes, HTTP %d\n", op, stmts.Load(), ms(res.Took), len(res.Body), res.Status)
	}

	// 1. The mixed workload.
	fmt.Fprintf(out, "\n[1] mixed workload: %d clients for %s (submit, own list, liaison queue, inspection history in equal shares)\n", o.clients, o.duration)
	mixed := w.closedLoop(ctx, o.clients, o.duration, []string{opSubmit, opList, opQueue, opHistory})
	printHeader(out)
	for _, op := range []string{opSubmit, opList, opQueue, opHistory} {
		printRow(out, op, mixed.recs[op].summary(mixed.elapsed))
	}

	// 2. Submissions alone, closed loop, at 1×, 2× and 4× the clients: the peak.
	reportBacklog(ctx, out, st)
	drainWorker(ctx, out, st, 10*time.Minute)
	fmt.Fprintf(out, "\n[2] submissions only (POST /api/v1/complaints), closed loop, %s per step\n", o.duration)
	printHeader(out)
	var peak, atN float64
	var atNSum summary
	peakClients := 0
	var levels []int
	for _, n := range []int{o.clients / 4, o.clients / 2, o.clients, 2 * o.clients, 4 * o.clients} {
		if n >= 1 && (len(levels) == 0 || levels[len(levels)-1] != n) {
			levels = append(levels, n)
		}
	}
	var samples []lockSample
	for _, n := range levels {
		stopSampling := sampleLocks(ctx, st, db.Name)
		b0, f0 := a.counter(ctx, "qijian_filing_batches_total"), a.counter(ctx, "qijian_filings_written_total")
		stopProfile, err := startCPUProfile(o.cpuprof, n == o.clients)
		if err != nil {
			return err
		}
		res := w.closedLoop(ctx, n, o.duration, []string{opSubmit})
		stopProfile()
		ls := stopSampling()
		if b1, f1 := a.counter(ctx, "qijian_filing_batches_total"), a.counter(ctx, "qijian_filings_written_total"); b1 > b0 {
			ls.perTx = (f1 - f0) / (b1 - b0)
		}
		samples = append(samples, ls)
		s := res.recs[opSubmit].summary(res.elapsed)
		printRow(out, fmt.Sprintf("submit ×%d clients", n), s)
		if n == o.clients {
			atN, atNSum = s.PerSecond, s
		}
		if s.PerSecond > peak {
			peak, peakClients = s.PerSecond, n
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	fmt.Fprintf(out, "  peak: %.1f submissions/s (at %d clients)\n", peak, peakClients)
	fmt.Fprintln(out, "  database sessions of the bench database while submitting (sampled every 100 ms):")
	for i, n := range levels {
		fmt.Fprintf(out, "    ×%-3d clients: avg %.1f active, %.1f waiting on a lock (%s); %.1f filings per transaction (group commit)\n", n, samples[i].active, samples[i].lockWait, samples[i].top, samples[i].perTx)
	}
	reportBacklog(ctx, out, st)
	drainWorker(ctx, out, st, 10*time.Minute)

	// 3. The ratio. The machine's speed drifts by a third from one minute to the next (pgbench
	// alone gave 7,700 to 14,600 TPS in runs minutes apart), so one phase of each, a minute
	// apart, compares two different machines. Short phases of each, alternated, each after a
	// CHECKPOINT so that neither starts further into a checkpoint cycle, compare like with like.
	fmt.Fprintf(out, "\n[3] ratio: submissions and pgbench (one INSERT of a work-order-shaped row per transaction), %d clients each, alternated %d times, %s each, each after a CHECKPOINT\n", o.clients, o.rounds, o.duration)
	var ratios []float64
	var subSum, tpsSum float64
	var pgOut string
	for i := 1; i <= o.rounds; i++ {
		if err := execSQL(ctx, db.URL, "CHECKPOINT"); err != nil {
			return err
		}
		res := w.closedLoop(ctx, o.clients, o.duration, []string{opSubmit})
		subRate := res.recs[opSubmit].summary(res.elapsed).PerSecond
		if err := execSQL(ctx, db.URL, "CHECKPOINT"); err != nil {
			return err
		}
		tps, out1, err := runPgbench(ctx, o.pgbench, db, tmp, o.clients, o.duration, int(data.lastEnt))
		if err != nil {
			return err
		}
		pgOut = out1
		ratios = append(ratios, subRate/tps)
		subSum, tpsSum = subSum+subRate, tpsSum+tps
		fmt.Fprintf(out, "  round %d: submissions %.1f/s, pgbench %.1f TPS, ratio %.3f\n", i, subRate, tps, subRate/tps)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	fmt.Fprintf(out, "  pgbench's last round:\n%s", indent(pgOut))
	ratio := median(ratios)
	fmt.Fprintf(out, "  ratio submissions/s ÷ pgbench TPS at %d clients: median of the rounds %.3f (all rounds together %.1f ÷ %.1f = %.3f)\n", o.clients, ratio, subSum/float64(o.rounds), tpsSum/float64(o.rounds), subSum/tpsSum)
	tps := tpsSum / float64(o.rounds)

	// 4. Open loop at 70% of the peak.
	rate := 0.7 * peak
	drainWorker(ctx, out, st, 10*time.Minute)
	fmt.Fprintf(out, "\n[4] submissions at 70%% of peak: open loop, %.1f/s for %s (latency from the scheduled send time)\n", rate, o.duration)
	ol := w.openLoop(ctx, rate, o.duration, 16*o.clients)
	s := ol.rec.summary(ol.elapsed)
	printHeader(out)
	printRow(out, "submit @70%", s)
	fmt.Fprintf(out, "  offered %.1f/s, completed %.1f/s, not sent (too many in flight) %d\n", rate, s.PerSecond, ol.dropped)
	// Where the tail comes from: one stall, or a steady queue.
	fmt.Fprintf(out, "  worst latency of the requests due in each second:")
	for sec := 0; sec < len(ol.bySec); sec++ {
		fmt.Fprintf(out, " %s", ms(ol.bySec[sec]))
	}
	fmt.Fprintln(out)
	if ref, err := runPgbenchRate(ctx, o.pgbench, db, tmp, o.clients, o.duration, rate); err != nil {
		fmt.Fprintf(out, "  pgbench at the same rate: %v\n", err)
	} else {
		printRow(out, "pgbench insert @ same rate", ref)
	}
	reportBacklog(ctx, out, st)

	fmt.Fprintf(out, "\nsummary: mixed submit %.1f/s p50/p95/p99 %s/%s/%s ms; submit-only ×%d %.1f/s (p99 %s ms); peak %.1f/s; pgbench %.1f TPS; ratio %.3f; p99 at 70%% of peak %s ms\n",
		mixed.recs[opSubmit].summary(mixed.elapsed).PerSecond, ms(mixed.recs[opSubmit].summary(mixed.elapsed).P50), ms(mixed.recs[opSubmit].summary(mixed.elapsed).P95), ms(mixed.recs[opSubmit].summary(mixed.elapsed).P99),
		o.clients, atN, ms(atNSum.P99), peak, tps, ratio, ms(s.P99))
	fmt.Fprintf(out, "total run %.0fs\n", time.Since(began).Seconds())
	if !worker.running() {
		return fmt.Errorf("the worker died during the run:\n%s", worker.tail(2000))
	}
	return nil
}

func dbSize(ctx context.Context, st *store.Store) string {
	var s string
	_ = st.Gorm().WithContext(ctx).Raw("SELECT pg_size_pretty(pg_database_size(current_database()))").Scan(&s).Error
	return s
}

func indent(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("    " + l + "\n")
	}
	return b.String()
}

const benchSecret = "bench-secret-0123456789abcdef0123456789"

// processEnv is the environment of a web or worker process of the built binary.
func processEnv(dataDir, dbURL, redisURL, addr string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TZ=UTC",
		"QIJIAN_DATA_DIR=" + dataDir, "QIJIAN_DATABASE_URL=" + dbURL, "QIJIAN_REDIS_URL=" + redisURL,
		"QIJIAN_SECRET=" + benchSecret, "QIJIAN_DEMO_PASSWORD=" + benchPassword, "QIJIAN_ADDR=" + addr,
		// The loads file through a few accounts, far faster than one person's budget.
		"QIJIAN_SUBMIT_PER_MINUTE=1000000"}
	return env
}

type benchUser struct {
	ent   uint
	token string
}

const (
	opSubmit  = "submit"
	opList    = "list (own orders)"
	opQueue   = "liaison queue"
	opHistory = "inspection history"
)

type workload struct {
	a        *api
	users    []benchUser
	liaisons []string
	bodies   []int64
	seq      atomic.Uint64
}

type phaseResult struct {
	recs    map[string]*recorder
	elapsed time.Duration
}

func (w *workload) submitBody(r *rand.Rand) map[string]any {
	reasons := []string{"NOTICE-1", "SUBJ-2", "FREQ-1", "CODE-1", "DATA-1"}
	return map[string]any{"type": "illegal_inspection", "reasons": []string{reasons[r.IntN(len(reasons))]},
		"description": descriptions[r.IntN(len(descriptions)-1)], "body_id": w.bodies[r.IntN(len(w.bodies))], "anonymous": r.IntN(5) == 0}
}

// one runs one operation as user u and returns the answer.
func (w *workload) one(ctx context.Context, op string, u benchUser, r *rand.Rand) answer {
	switch op {
	case opSubmit:
		key := fmt.Sprintf("bench-%d-%d", time.Now().UnixNano(), w.seq.Add(1))
		return w.a.do(ctx, nil, "POST", "/api/v1/complaints", u.token, w.submitBody(r), "Idempotency-Key", key)
	case opList:
		return w.a.do(ctx, nil, "GET", "/api/v1/complaints", u.token, nil)
	case opQueue:
		return w.a.do(ctx, nil, "GET", "/api/v1/complaints", w.liaisons[r.IntN(len(w.liaisons))], nil)
	case opHistory:
		return w.a.do(ctx, nil, "GET", "/api/v1/inspections", u.token, nil)
	}
	panic(op)
}

// closedLoop runs n clients, each doing the ops in turn as fast as answers come back.
func (w *workload) closedLoop(ctx context.Context, n int, d time.Duration, ops []string) phaseResult {
	recs := map[string]*recorder{}
	for _, op := range ops {
		recs[op] = newRecorder()
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for c := 0; c < n; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(c), uint64(start.UnixNano())))
			u := w.users[c%len(w.users)]
			for i := c; ctx.Err() == nil; i++ {
				op := ops[i%len(ops)]
				res := w.one(ctx, op, u, r)
				if ctx.Err() != nil && res.Err != nil {
					break // cut off by the end of the phase
				}
				recs[op].add(res.Took, res.kind())
			}
		}(c)
	}
	wg.Wait()
	return phaseResult{recs: recs, elapsed: time.Since(start)}
}

type openResult struct {
	rec     *recorder
	elapsed time.Duration
	dropped int
	bySec   map[int]time.Duration // worst latency of the requests due in each second
}

// openLoop sends submissions at a fixed rate whatever the answers do, measuring each from the
// time it was due to be sent.
func (w *workload) openLoop(ctx context.Context, rate float64, d time.Duration, maxInFlight int) openResult {
	rec := newRecorder()
	if rate <= 0 {
		return openResult{rec: rec}
	}
	interval := time.Duration(float64(time.Second) / rate)
	sem := make(chan struct{}, maxInFlight)
	var wg sync.WaitGroup
	start := time.Now()
	dropped := 0
	r := rand.New(rand.NewPCG(1, uint64(start.UnixNano())))
	var mu sync.Mutex
	bySec := map[int]time.Duration{}
	for k := 0; ; k++ {
		due := start.Add(time.Duration(k) * interval)
		if due.Sub(start) >= d || ctx.Err() != nil {
			break
		}
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
		select {
		case sem <- struct{}{}:
		default:
			dropped++
			continue
		}
		u := w.users[k%len(w.users)]
		body := w.submitBody(r)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			key := fmt.Sprintf("open-%d-%d", time.Now().UnixNano(), w.seq.Add(1))
			res := w.a.do(ctx, nil, "POST", "/api/v1/complaints", u.token, body, "Idempotency-Key", key)
			took := time.Since(due)
			rec.add(took, res.kind())
			sec := int(due.Sub(start) / time.Second)
			mu.Lock()
			bySec[sec] = max(bySec[sec], took)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return openResult{rec: rec, elapsed: time.Since(start), dropped: dropped, bySec: bySec}
}

var tpsRe = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)

// runPgbench inserts one work-order-shaped row per transaction into a copy of work_orders' shape
// (same columns, defaults and indexes) in the bench's own database.
func runPgbench(ctx context.Context, bin string, db *freshDB, dir string, clients int, d time.Duration, maxEnt int) (float64, string, error) {
	setup := `DROP TABLE IF EXISTS pgbench_work_orders;
CREATE TABLE pgbench_work_orders (LIKE work_orders INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
CREATE SEQUENCE IF NOT EXISTS pgbench_work_orders_id_seq;
ALTER TABLE pgbench_work_orders ALTER COLUMN id SET DEFAULT nextval('pgbench_work_orders_id_seq');`
	if err := execSQL(ctx, db.URL, setup); err != nil {
		return 0, "", fmt.Errorf("pgbench table: %w", err)
	}
	script := fmt.Sprintf(`\set ent random(1, %d)
INSERT INTO pgbench_work_orders (number, type, description, status, level, channel, county_code, enterprise_id, filed_by_user_id, source, anonymous, inspection_code, body_id, rating, reopen_count, next_due_at, created_at, updated_at)
VALUES ('PB' || nextval('pgbench_work_orders_id_seq'), 'illegal_inspection', '检查前未送达检查通知书，直接进入生产车间。', 'submitted', 0, '12348', '330302', :ent, :ent, 'enterprise', false, '', 1, 0, 0, now() + interval '2 hours', now(), now());
`, max(maxEnt, 1))
	path := filepath.Join(dir, "work_order_insert.sql")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		return 0, "", err
	}
	conn, err := pgConnArgs(db.URL)
	if err != nil {
		return 0, "", err
	}
	args := append(conn, "-n", "-c", strconv.Itoa(clients), "-j", strconv.Itoa(min(clients, 4)), "-T", strconv.Itoa(max(1, int(d.Seconds()))), "-f", path, db.Name)
	cmd := exec.CommandContext(ctx, bin, args...)
	b, err := cmd.CombinedOutput()
	if err != nil {
		return 0, string(b), fmt.Errorf("pgbench: %v\n%s", err, b)
	}
	m := tpsRe.FindStringSubmatch(string(b))
	if m == nil {
		return 0, string(b), fmt.Errorf("pgbench printed no tps:\n%s", b)
	}
	tps, _ := strconv.ParseFloat(m[1], 64)
	var keep []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "number of clients") || strings.HasPrefix(l, "number of transactions actually") || strings.HasPrefix(l, "latency average") || strings.HasPrefix(l, "number of failed") {
			keep = append(keep, l)
		}
	}
	return tps, strings.Join(keep, "\n") + "\n", nil
}

// runPgbenchRate runs the same one-row insert at a fixed rate (pgbench -R), as the open loop
// sends submissions, and returns its latency percentiles measured from each scheduled start
// (pgbench's per-transaction log: time plus schedule lag). Tails the raw insert shows too come
// from the machine (WAL fsync), not from the portal.
func runPgbenchRate(ctx context.Context, bin string, db *freshDB, dir string, clients int, d time.Duration, rate float64) (summary, error) {
	conn, err := pgConnArgs(db.URL)
	if err != nil {
		return summary{}, err
	}
	prefix := filepath.Join(dir, "pgbench_rate")
	args := append(conn, "-n", "-c", strconv.Itoa(clients), "-j", strconv.Itoa(min(clients, 4)), "-T", strconv.Itoa(max(1, int(d.Seconds()))),
		"-R", strconv.FormatFloat(rate, 'f', 1, 64), "-l", "--log-prefix", prefix, "-f", filepath.Join(dir, "work_order_insert.sql"), db.Name)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		return summary{}, fmt.Errorf("pgbench -R: %v\n%s", err, b)
	}
	logs, _ := filepath.Glob(prefix + ".*")
	rec := newRecorder()
	for _, f := range logs {
		b, err := os.ReadFile(f)
		if err != nil {
			return summary{}, err
		}
		for _, line := range strings.Split(string(b), "\n") {
			fs := strings.Fields(line)
			if len(fs) < 7 {
				continue
			}
			took, _ := strconv.ParseInt(fs[2], 10, 64)
			lag, _ := strconv.ParseInt(fs[6], 10, 64)
			rec.add(time.Duration(took+lag)*time.Microsecond, "")
		}
	}
	return rec.summary(d), nil
}

func reportBacklog(ctx context.Context, out *os.File, st *store.Store) {
	var unrelayed, relayed, done int64
	_ = st.Gorm().WithContext(ctx).Raw(`SELECT COUNT(*) FILTER (WHERE done_at IS NULL AND run_at <= now() AND relayed_at IS NULL),
		COUNT(*) FILTER (WHERE done_at IS NULL AND run_at <= now() AND relayed_at IS NOT NULL), COUNT(*) FILTER (WHERE done_at IS NOT NULL) FROM outbox`).Row().Scan(&unrelayed, &relayed, &done)
	fmt.Fprintf(out, "  outbox: %d rows due and not yet done by the worker (%d not yet relayed to Redis, %d in Redis), %d done\n", unrelayed+relayed, unrelayed, relayed, done)
}

func dueBacklog(ctx context.Context, st *store.Store) int64 {
	var n int64
	_ = st.Gorm().WithContext(ctx).Raw("SELECT COUNT(*) FROM outbox WHERE done_at IS NULL AND run_at <= now()").Row().Scan(&n)
	return n
}

// drainWorker waits (up to limit) for the worker to finish the due outbox rows, so that the next
// phase is not measured beside a backlog, and reports the worker's rate.
func drainWorker(ctx context.Context, out *os.File, st *store.Store, limit time.Duration) {
	start, first := time.Now(), dueBacklog(ctx, st)
	if first == 0 {
		return
	}
	n := first
	for i := 1; n > 0 && time.Since(start) < limit && ctx.Err() == nil; i++ {
		time.Sleep(time.Second)
		n = dueBacklog(ctx, st)
		if i%30 == 0 {
			reportBacklog(ctx, out, st)
		}
	}
	d := time.Since(start)
	fmt.Fprintf(out, "  worker drain (no load): %d due rows → %d in %.0fs, %.0f rows/s\n", first, n, d.Seconds(), float64(first-n)/d.Seconds())
	if n > 0 {
		fmt.Fprintf(out, "  (the next phase runs beside the rest of the backlog)\n")
	}
}

type lockSample struct {
	active, lockWait float64
	top              string
	perTx            float64 // filings per group-commit transaction, from the portal's /metrics
}

// sampleLocks watches pg_stat_activity of the bench database until the returned func is called.
func sampleLocks(ctx context.Context, st *store.Store, dbName string) func() lockSample {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan lockSample, 1)
	go func() {
		var n, active, waiting int
		what := map[string]int{}
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				s := lockSample{}
				if n > 0 {
					s.active, s.lockWait = float64(active)/float64(n), float64(waiting)/float64(n)
				}
				best, bestN := "none", 0
				for k, v := range what {
					if v > bestN {
						best, bestN = k, v
					}
				}
				s.top = "most waited: " + best
				done <- s
				return
			case <-t.C:
			}
			rows, err := st.Gorm().WithContext(ctx).Raw(`SELECT state, COALESCE(wait_event_type, ''), COALESCE(wait_event, ''), left(regexp_replace(query, '\s+', ' ', 'g'), 60)
				FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()`, dbName).Rows()
			if err != nil {
				continue
			}
			n++
			for rows.Next() {
				var state, wt, we, q string
				if rows.Scan(&state, &wt, &we, &q) != nil {
					continue
				}
				if state == "active" {
					active++
				}
				if wt == "Lock" {
					waiting++
					what[we+" on «"+q+"»"]++
				}
			}
			rows.Close()
		}
	}()
	return func() lockSample {
		cancel()
		return <-done
	}
}

// startCPUProfile profiles this process into file when on is true and file is set; the returned
// func stops it.
func startCPUProfile(file string, on bool) (func(), error) {
	if file == "" || !on {
		return func() {}, nil
	}
	f, err := os.Create(file)
	if err != nil {
		return nil, fmt.Errorf("-cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("-cpuprofile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
