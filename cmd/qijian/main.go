// Command qijian runs the Qijian portal: serve (web, workers and scheduler in one process, the
// default), web, worker, migrate and demo.
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"gopkg.in/natefinch/lumberjack.v2"

	"qijian/internal/app"
	"qijian/internal/booking"
	"qijian/internal/calendar"
	"qijian/internal/clock"
	"qijian/internal/config"
	"qijian/internal/demo"
	"qijian/internal/grievance"
	"qijian/internal/inspection"
	"qijian/internal/signin"
	"qijian/internal/store"
	"qijian/migrations"
	"qijian/notify"
	"qijian/portal"
	"qijian/workflows"
)

const usage = `usage: qijian [serve|web|worker|migrate|demo|audit verify] [flags]

  serve    web, workers and scheduler in one process (default); --demo loads demo data
  web      the web part only (needs QIJIAN_REDIS_URL)
  worker   the workers and scheduler only (needs QIJIAN_REDIS_URL)
  migrate  apply database migrations and exit
  demo     load demo data and exit
  audit verify  walk the hash-chained audit log; exits 1 naming the first altered, inserted or deleted row
  healthcheck worker  exits 0 while this host's worker is registered in Redis and active, else 1

Configuration: QIJIAN_ADDR, QIJIAN_METRICS_ADDR, QIJIAN_DATA_DIR, QIJIAN_DATABASE_URL, QIJIAN_REDIS_URL,
QIJIAN_SECRET, QIJIAN_DEMO_PASSWORD (flags -addr, -data-dir, -database-url, -redis-url override).
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	config.TuneGC(os.Getenv)
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "qijian: "+err.Error())
		var ex *exitError
		if errors.As(err, &ex) {
			os.Exit(ex.code)
		}
		os.Exit(2)
	}
}

// exitError is a failure with its own exit status: audit verify exits 1 on a broken chain (2 is
// for a start that failed, a bad flag or an unreachable database).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// run is main without the process: tests call it with their own environment and writers.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	if cmd == "healthcheck" {
		return healthcheck(ctx, args, getenv, stdout)
	}
	verifyAudit := false
	if cmd == "audit" {
		if len(args) == 0 || args[0] != "verify" {
			fmt.Fprint(stderr, usage)
			return errors.New("usage: qijian audit verify")
		}
		verifyAudit, args = true, args[1:]
	}
	switch cmd {
	case "serve", "web", "worker", "migrate", "demo", "audit":
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
	cfg, err := config.Load(args, getenv)
	if err != nil {
		return err
	}
	logOut := stderr
	if cfg.LogFile != "" {
		// Rotated by size, so a busy portal's request log cannot fill the disk.
		lj := &lumberjack.Logger{Filename: cfg.LogFile, MaxSize: cfg.LogMaxMB, MaxBackups: cfg.LogBackups, Compress: true}
		defer lj.Close()
		logOut = lj
	}
	log := slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if (cmd == "web" || cmd == "worker") && cfg.RedisURL == "" {
		return &config.Error{Var: "QIJIAN_REDIS_URL", Err: errors.New("required by web and worker: the in-process Redis lives only inside serve")}
	}

	st, err := store.OpenWith(ctx, cfg.DatabaseURL, cfg.SQLitePath(), dbOptions(cmd, cfg))
	if err != nil {
		if cfg.DatabaseURL != "" {
			return &config.Error{Var: "QIJIAN_DATABASE_URL", Err: err}
		}
		return &config.Error{Var: "QIJIAN_DATA_DIR", Err: err}
	}
	defer st.Close()
	ran, err := migrations.Apply(ctx, st.Gorm())
	if err != nil {
		return err
	}
	if len(ran) > 0 {
		log.Info("migrations applied", "count", len(ran), "last", ran[len(ran)-1])
	}
	if verifyAudit {
		bad, n, err := st.VerifyAudit(ctx)
		if err != nil {
			return err
		}
		if bad != 0 {
			return &exitError{1, fmt.Errorf("audit: chain broken at entry %d (%d entries verified before it): a row was altered, inserted or deleted", bad, n)}
		}
		fmt.Fprintf(stdout, "audit: %d entries, chain intact\n", n)
		return nil
	}
	switch cmd {
	case "migrate":
		fmt.Fprintf(stdout, "migrations: %d applied, schema at %s\n", len(ran), migrations.All[len(migrations.All)-1].ID)
		return nil
	case "demo":
		return loadDemo(ctx, cfg, st, stdout, "", processClock(cfg))
	}

	var q *workflows.Queue
	q, err = workflows.OpenQueue(ctx, cfg.RedisURL)
	if err != nil {
		return &config.Error{Var: "QIJIAN_REDIS_URL", Err: err}
	}
	defer q.Close()
	clk := processClock(cfg)
	if !cfg.ClockStart.IsZero() {
		log.Warn("the clock is shifted (QIJIAN_CLOCK_START): for tests and rehearsals only", "start", cfg.ClockStart)
	}
	engine := workflows.NewEngine(st, q, clk, log)
	if engine.PeriodicEvery = cfg.PeriodicEvery; cfg.PeriodicEvery > 0 {
		log.Warn("every periodic job runs on a shortened period (QIJIAN_PERIODIC_EVERY): for tests and rehearsals only", "every", cfg.PeriodicEvery)
	}
	notifier := &notify.Notifier{St: st, BaseURL: cfg.PublicURL, Log: log}
	if cfg.SMTPURL != "" {
		smtp, err := notify.ParseSMTP(cfg.SMTPURL)
		if err != nil {
			return &config.Error{Var: "QIJIAN_SMTP_URL", Err: err}
		}
		notifier.Email = smtp
	}
	engine.Register(notify.TaskDeliver, func(ctx context.Context, row *store.OutboxRow) error {
		return notifier.Deliver(ctx, row, clk.Now())
	})
	engine.Register(notify.TaskSend, func(ctx context.Context, row *store.OutboxRow) error {
		return notifier.Send(ctx, row, clk.Now())
	})
	cal := calendar.New()
	if err := st.LoadCalendar(ctx, cal); err != nil {
		return err
	}
	// Years without holiday data count holidays as working days: say so loudly at start.
	for y := calendar.DateOf(clk.Now()).Year; y <= calendar.DateOf(clk.Now()).Year+1; y++ {
		if !cal.Loaded(y) {
			log.Warn("calendar: no holiday data for this year; deadlines in it count holidays as working days (enter or import it on the admin calendar page)", "year", y)
		}
	}
	svc := app.New(st, cal, clk, cfg.Secret)
	engine.Register(grievance.TaskDeadline, svc.Orders.HandleTimer)
	purge := workflows.Periodic{Type: workflows.TypePurgeSession, Every: time.Hour, Run: func(ctx context.Context) error {
		if _, err := st.PurgeSessions(ctx, clk.Now()); err != nil {
			return err
		}
		_, err := st.PurgeLoginFailures(ctx, clk.Now().Add(-24*time.Hour))
		return err
	}}
	// What grows with done work is deleted after the retention time (QIJIAN_RETAIN).
	prune := workflows.Periodic{Type: workflows.TypePrune, Every: time.Hour, Run: func(ctx context.Context) error {
		p, err := st.Prune(ctx, clk.Now().Add(-cfg.Retain))
		if p != (store.Pruned{}) {
			log.Info("pruned done work", "outbox", p.Outbox, "deliveries", p.Deliveries, "idempotency_keys", p.IdempotencyKeys, "periodic_runs", p.PeriodicRuns)
		}
		return err
	}}
	engine.Register(booking.TaskRemind, svc.Bookings.HandleReminder)
	// Slots are opened eight weeks ahead; moving the horizon on every few hours keeps it there.
	// A delivery left "sending" for an hour lost its process after the send: it is settled as
	// "unknown" (not sent again) for the admin to see.
	reconcile := workflows.Periodic{Type: workflows.TypeReconcileDeliveries, Every: 10 * time.Minute, Run: func(ctx context.Context) error {
		n, err := st.ReconcileSending(ctx, clk.Now().Add(-time.Hour))
		if n > 0 {
			log.Warn("deliveries left sending settled as unknown", "count", n)
		}
		return err
	}}
	slots := workflows.Periodic{Type: "bookings:refresh", Every: 6 * time.Hour, Run: svc.Bookings.RefreshAll}
	// NOTICE-1: a notice not delivered by its latest day is a clue without waiting for the
	// inspection to be moved on.
	notices := workflows.Periodic{Type: "inspections:notices", Every: inspection.SweepEvery, Run: func(ctx context.Context) error {
		_, err := svc.Inspections.SweepNotices(ctx)
		return err
	}}
	// Each process keeps its calendar in memory; a reload picks up overrides saved elsewhere.
	go func() {
		t := time.NewTicker(2 * time.Minute)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := st.LoadCalendar(ctx, cal); err != nil {
					log.Error("calendar reload", "err", err)
				}
			}
		}
	}()

	// Every process links pending audit events into the chain: its own at once after commit,
	// and any another process left behind (even one killed mid-way) within a second.
	go st.RunAuditChainer(ctx, time.Second, func(err error) { log.Error("audit chain", "err", err) })

	if cmd == "worker" {
		fmt.Fprintln(stdout, "qijian worker running")
		return engine.RunWorker(ctx, 10, purge, prune, reconcile, slots, notices)
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return &config.Error{Var: "QIJIAN_ADDR", Err: err}
	}
	deps := portal.Deps{App: svc, Queue: q, Stats: q, Secret: cfg.Secret, Log: log, DataDir: cfg.DataDir, TrustedProxies: cfg.TrustedProxies,
		UploadQuota: cfg.UploadQuota, PublicURL: cfg.PublicURL, MaxConns: cfg.MaxConns, MaxConnsPerAddr: cfg.MaxConnsPerAddr,
		SubmitPerMinute: cfg.SubmitPerMinute}
	if cfg.OIDCIssuer != "" {
		deps.Federation = &signin.Federation{Config: signin.FederationConfig{Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID,
			ClientSecret: cfg.OIDCClientSecret, USCCClaim: cfg.OIDCUSCCClaim, RedirectURL: strings.TrimRight(cfg.PublicURL, "/") + "/login/oidc/callback"}}
	}
	workerDone := make(chan error, 1)
	wctx, cancelWorker := context.WithCancel(ctx)
	defer cancelWorker()
	if cmd == "serve" {
		st.OnOutboxCommit(engine.Kick) // a request's commit wakes this process's relay at once
		// The in-process Redis starts empty at every start: what it held is handed back at once.
		if q.Embedded() {
			if _, err := engine.RecoverLost(ctx); err != nil {
				return err
			}
		}
		go func() { workerDone <- engine.RunWorker(wctx, 10, purge, prune, reconcile, slots, notices) }()
	} else {
		close(workerDone)
	}
	srv := portal.New(deps)
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			return &config.Error{Var: "QIJIAN_METRICS_ADDR", Err: err}
		}
		defer mln.Close()
		go func() { _ = srv.ServeMetrics(mln) }()
	}
	fmt.Fprintf(stdout, "企检服务平台 · Qijian portal: http://%s/\n", ln.Addr().String())
	if cfg.Demo {
		if err := loadDemo(ctx, cfg, st, stdout, "http://"+ln.Addr().String()+"/login", clk); err != nil {
			return err
		}
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	select {
	case err := <-serveErr:
		return fmt.Errorf("web: %w", err)
	case err := <-workerDone:
		if err != nil {
			return fmt.Errorf("worker: %w", err)
		}
		<-ctx.Done()
	case <-ctx.Done():
	}
	// Drain: not ready, and Connection: close on every answer, so kept-alive clients and the load
	// balancer move on; then stop listening and finish the requests already read.
	srv.Drain()
	time.Sleep(cfg.Drain)
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	cancelWorker()
	<-workerDone
	return nil
}

// processClock is the wall clock, or the shifted one QIJIAN_CLOCK_START asks for.
func processClock(cfg *config.Config) clock.Clock {
	if cfg.ClockStart.IsZero() {
		return clock.Real{}
	}
	return clock.NewShifted(cfg.ClockStart)
}

// healthcheck answers a container's health probe for a process that serves no HTTP: "worker" is
// healthy while this host's queue server is registered in Redis and active. It reads only
// QIJIAN_REDIS_URL, so a probe every few seconds touches nothing else.
func healthcheck(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) != 1 || args[0] != "worker" {
		return errors.New("usage: qijian healthcheck worker")
	}
	url := strings.TrimSpace(getenv("QIJIAN_REDIS_URL"))
	if url == "" {
		return &config.Error{Var: "QIJIAN_REDIS_URL", Err: errors.New("required: a worker's health is read from Redis")}
	}
	q, err := workflows.OpenQueue(ctx, url)
	if err != nil {
		return &config.Error{Var: "QIJIAN_REDIS_URL", Err: err}
	}
	defer q.Close()
	host, err := os.Hostname()
	if err != nil {
		return err
	}
	alive, err := q.WorkerAlive(host)
	if err != nil {
		return err
	}
	if !alive {
		return &exitError{1, fmt.Errorf("healthcheck: no active worker on %s", host)}
	}
	fmt.Fprintln(stdout, "worker: active")
	return nil
}

// loadDemo loads the demo data with QIJIAN_DEMO_PASSWORD, or a password generated once and kept
// in the data dir, and prints the logins.
func loadDemo(ctx context.Context, cfg *config.Config, st *store.Store, out io.Writer, loginURL string, clk clock.Clock) error {
	pw := cfg.DemoPassword
	if pw == "" {
		path := filepath.Join(cfg.DataDir, "demo-password")
		if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= 10 {
			pw = strings.TrimSpace(string(b))
		} else {
			buf := make([]byte, 9)
			if _, err := rand.Read(buf); err != nil {
				return err
			}
			pw = "qj-" + base64.RawURLEncoding.EncodeToString(buf)
			if err := os.WriteFile(path, []byte(pw+"\n"), 0o600); err != nil {
				return &config.Error{Var: "QIJIAN_DATA_DIR", Err: err}
			}
		}
	}
	logins, err := demo.Load(ctx, st, pw, clk.Now())
	if err != nil {
		if strings.Contains(err.Error(), "QIJIAN_DEMO_PASSWORD") {
			return &config.Error{Var: "QIJIAN_DEMO_PASSWORD", Err: errors.New("must be at least 10 characters")}
		}
		return err
	}
	// The last two weeks played through the use cases, so every home has something to do.
	if err := demo.Stories(ctx, st, cfg.Secret, clk.Now()); err != nil {
		return err
	}
	if loginURL != "" {
		fmt.Fprintf(out, "演示数据已载入，登录 · demo data loaded, log in at %s\n", loginURL)
	} else {
		fmt.Fprintln(out, "Demo data loaded.")
	}
	fmt.Fprintf(out, "演示账号密码 · every demo account's password: %s\n", pw)
	for _, l := range logins {
		fmt.Fprintf(out, "  %-13s %-10s %s\n", l.Username, l.Role, l.Note)
	}
	return nil
}

// dbOptions are the pool and bounds of cmd's kind of process, with what the configuration sets.
func dbOptions(cmd string, cfg *config.Config) store.Options {
	o := store.DefaultOptions(cmd)
	if cfg.DBMaxConns > 0 {
		o.MaxConns, o.MaxIdle = cfg.DBMaxConns, min(o.MaxIdle, cfg.DBMaxConns)
	}
	if cfg.DBIdle > 0 {
		o.IdleTime = cfg.DBIdle
	}
	if cfg.DBStatementTimeout > 0 {
		o.StatementTimeout = cfg.DBStatementTimeout
	}
	if cfg.DBLockTimeout > 0 {
		o.LockTimeout, o.BusyTimeout = cfg.DBLockTimeout, cfg.DBLockTimeout
	}
	return o
}
