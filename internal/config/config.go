// Package config reads the process configuration once, from the environment with flag overrides,
// and checks it so that a bad value stops the start with one line naming the variable.
package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is everything the binary needs to start.
type Config struct {
	Addr         string // QIJIAN_ADDR
	DataDir      string // QIJIAN_DATA_DIR
	DatabaseURL  string // QIJIAN_DATABASE_URL; empty means SQLite in DataDir
	RedisURL     string // QIJIAN_REDIS_URL; empty means an in-process Redis
	Secret       []byte // QIJIAN_SECRET; generated once and kept in DataDir
	DemoPassword string // QIJIAN_DEMO_PASSWORD; empty: the demo loader generates one
	Demo         bool   // --demo
	PublicURL    string // QIJIAN_PUBLIC_URL; links in SMS and email; default http://Addr
	SMTPURL      string // QIJIAN_SMTP_URL; smtp(s)://user:pass@host:port?from=addr; empty: email stays in the outbox
	// TrustedProxies: QIJIAN_TRUSTED_PROXIES, comma-separated IPs or CIDR ranges of the reverse
	// proxies whose X-Forwarded-Proto/-Host are believed; empty: nobody's.
	TrustedProxies []string
	// Retain (QIJIAN_RETAIN) is how long work that is done stays: done outbox rows, sent SMS and
	// email, idempotency keys, periodic jobs' leases. Default a week.
	Retain time.Duration
	// LogFile (QIJIAN_LOG_FILE): write the log there, rotated at LogMaxMB with LogBackups kept;
	// empty: standard error (the supervisor's or journald's to keep).
	LogFile    string
	LogMaxMB   int // QIJIAN_LOG_MAX_MB, default 100
	LogBackups int // QIJIAN_LOG_BACKUPS, default 5
	// Drain (QIJIAN_DRAIN) is how long a stopping web process keeps answering, not ready and with
	// Connection: close on every answer, before it stops listening: kept-alive clients move on
	// instead of being reset. Default 2s.
	Drain time.Duration
	// ClockStart (QIJIAN_CLOCK_START, RFC 3339): the process's clock starts at this instant and
	// runs on from there. For tests of the whole process and rehearsals only; never in production.
	ClockStart time.Time
	// PeriodicEvery (QIJIAN_PERIODIC_EVERY, a duration from 1s to 1h): every periodic job of a
	// worker (sweep, prune, reconcile, ...) runs once per this period instead of its own. For
	// the fault suite and rehearsals only (it makes periods short enough to watch two workers
	// share them); never in production. Empty: each job's own period.
	PeriodicEvery time.Duration
	// UploadQuota (QIJIAN_UPLOAD_QUOTA_MB, default 200) is what one user may store in uploaded
	// files (evidence, case files) in a Wenzhou day; over it an upload is refused with 429.
	UploadQuota int64
	// MetricsAddr (QIJIAN_METRICS_ADDR, host:port) is where /metrics is served, apart from the
	// public listener; empty: nowhere.
	MetricsAddr string
	// The database pool and bounds; zero takes the process kind's default (store.DefaultOptions).
	DBMaxConns         int           // QIJIAN_DB_MAX_CONNS: open connections at most
	DBIdle             time.Duration // QIJIAN_DB_IDLE: how long an idle connection is kept
	DBStatementTimeout time.Duration // QIJIAN_DB_STATEMENT_TIMEOUT (PostgreSQL)
	DBLockTimeout      time.Duration // QIJIAN_DB_LOCK_TIMEOUT (PostgreSQL lock_timeout; SQLite busy timeout)
	// MaxConns (QIJIAN_MAX_CONNS, default 4096) and MaxConnsPerAddr (QIJIAN_MAX_CONNS_PER_ADDR,
	// default 128) cap the web listener's connections, in total and per client address (a
	// trusted proxy's count only in the total).
	MaxConns, MaxConnsPerAddr int
	// SubmitPerMinute (QIJIAN_SUBMIT_PER_MINUTE, default 30) is how many filings (and as many of
	// each other kind of signed-in work) one account may send a minute; over it 429.
	SubmitPerMinute int
	// OIDC is the unified identity platform's legal-person login: QIJIAN_OIDC_ISSUER (empty: no
	// platform login), QIJIAN_OIDC_CLIENT_ID, QIJIAN_OIDC_CLIENT_SECRET, QIJIAN_OIDC_USCC_CLAIM
	// (the ID token claim with the credit code, default uscc). The callback is
	// QIJIAN_PUBLIC_URL + /login/oidc/callback.
	OIDCIssuer, OIDCClientID, OIDCClientSecret, OIDCUSCCClaim string
}

// Error is a configuration error that names the variable at fault.
type Error struct {
	Var string
	Err error
}

func (e *Error) Error() string { return e.Var + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Load reads the environment, then lets flags in args override it.
func Load(args []string, getenv func(string) string) (*Config, error) {
	env := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		return def
	}
	c := &Config{}
	fs := flag.NewFlagSet("qijian", flag.ContinueOnError)
	fs.StringVar(&c.Addr, "addr", env("QIJIAN_ADDR", "127.0.0.1:8080"), "listen address (QIJIAN_ADDR)")
	fs.StringVar(&c.DataDir, "data-dir", env("QIJIAN_DATA_DIR", "./data"), "data directory (QIJIAN_DATA_DIR)")
	fs.StringVar(&c.DatabaseURL, "database-url", env("QIJIAN_DATABASE_URL", ""), "postgres:// URL; empty: SQLite (QIJIAN_DATABASE_URL)")
	fs.StringVar(&c.RedisURL, "redis-url", env("QIJIAN_REDIS_URL", ""), "redis:// URL; empty: in-process (QIJIAN_REDIS_URL)")
	fs.BoolVar(&c.Demo, "demo", false, "load demo data on start")
	fs.StringVar(&c.PublicURL, "public-url", env("QIJIAN_PUBLIC_URL", ""), "address people reach the portal at (QIJIAN_PUBLIC_URL)")
	fs.StringVar(&c.SMTPURL, "smtp-url", env("QIJIAN_SMTP_URL", ""), "smtp://user:pass@host:port?from=addr; empty: outbox only (QIJIAN_SMTP_URL)")
	proxies := fs.String("trusted-proxies", env("QIJIAN_TRUSTED_PROXIES", ""), "comma-separated IPs or CIDRs of trusted reverse proxies (QIJIAN_TRUSTED_PROXIES)")
	retain := fs.String("retain", env("QIJIAN_RETAIN", "168h"), "how long done work is kept (QIJIAN_RETAIN)")
	drain := fs.String("drain", env("QIJIAN_DRAIN", "2s"), "how long a stopping web process drains (QIJIAN_DRAIN)")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", env("QIJIAN_METRICS_ADDR", ""), "where /metrics is served, apart from the public listener; empty: nowhere (QIJIAN_METRICS_ADDR)")
	fs.StringVar(&c.LogFile, "log-file", env("QIJIAN_LOG_FILE", ""), "log file, rotated; empty: standard error (QIJIAN_LOG_FILE)")
	clockStart := env("QIJIAN_CLOCK_START", "")
	periodicEvery := env("QIJIAN_PERIODIC_EVERY", "")
	logMax := env("QIJIAN_LOG_MAX_MB", "100")
	logBackups := env("QIJIAN_LOG_BACKUPS", "5")
	uploadQuota := env("QIJIAN_UPLOAD_QUOTA_MB", "200")
	submitPerMinute := env("QIJIAN_SUBMIT_PER_MINUTE", "30")
	maxConns := env("QIJIAN_MAX_CONNS", "4096")
	maxPerAddr := env("QIJIAN_MAX_CONNS_PER_ADDR", "128")
	secret := env("QIJIAN_SECRET", "")
	c.DemoPassword = env("QIJIAN_DEMO_PASSWORD", "")
	c.OIDCIssuer, c.OIDCClientID, c.OIDCClientSecret = env("QIJIAN_OIDC_ISSUER", ""), env("QIJIAN_OIDC_CLIENT_ID", ""), env("QIJIAN_OIDC_CLIENT_SECRET", "")
	c.OIDCUSCCClaim = env("QIJIAN_OIDC_USCC_CLAIM", "uscc")
	if err := fs.Parse(args); err != nil {
		return nil, &Error{Var: "flags", Err: err}
	}
	for _, p := range strings.Split(*proxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	var err error
	if c.Retain, err = time.ParseDuration(*retain); err != nil || c.Retain < time.Hour {
		return nil, &Error{"QIJIAN_RETAIN", errors.New("must be a duration of at least 1h, e.g. 168h")}
	}
	if c.Drain, err = time.ParseDuration(*drain); err != nil || c.Drain < 0 || c.Drain > time.Minute {
		return nil, &Error{"QIJIAN_DRAIN", errors.New("must be a duration from 0s to 1m, e.g. 2s")}
	}
	if periodicEvery != "" {
		if c.PeriodicEvery, err = time.ParseDuration(periodicEvery); err != nil || c.PeriodicEvery < time.Second || c.PeriodicEvery > time.Hour {
			return nil, &Error{"QIJIAN_PERIODIC_EVERY", errors.New("must be a duration from 1s to 1h, e.g. 3s (tests and rehearsals only)")}
		}
	}
	if clockStart != "" {
		if c.ClockStart, err = time.Parse(time.RFC3339, clockStart); err != nil {
			return nil, &Error{"QIJIAN_CLOCK_START", errors.New("must be an RFC 3339 time, e.g. 2026-03-02T08:00:00+08:00")}
		}
	}
	if c.LogMaxMB, err = strconv.Atoi(logMax); err != nil || c.LogMaxMB < 1 {
		return nil, &Error{"QIJIAN_LOG_MAX_MB", errors.New("must be a whole number of megabytes, at least 1")}
	}
	if c.LogBackups, err = strconv.Atoi(logBackups); err != nil || c.LogBackups < 0 {
		return nil, &Error{"QIJIAN_LOG_BACKUPS", errors.New("must be a whole number, 0 or more")}
	}
	if c.SubmitPerMinute, err = strconv.Atoi(submitPerMinute); err != nil || c.SubmitPerMinute < 1 {
		return nil, &Error{"QIJIAN_SUBMIT_PER_MINUTE", errors.New("must be a whole number, at least 1")}
	}
	if mb, err := strconv.Atoi(uploadQuota); err != nil || mb < 1 || mb > 1<<20 {
		return nil, &Error{"QIJIAN_UPLOAD_QUOTA_MB", errors.New("must be a whole number of megabytes, at least 1")}
	} else {
		c.UploadQuota = int64(mb) << 20
	}
	if err := c.loadPool(env); err != nil {
		return nil, err
	}
	if c.MaxConns, err = strconv.Atoi(maxConns); err != nil || c.MaxConns < 16 {
		return nil, &Error{"QIJIAN_MAX_CONNS", errors.New("must be a whole number, at least 16")}
	}
	if c.MaxConnsPerAddr, err = strconv.Atoi(maxPerAddr); err != nil || c.MaxConnsPerAddr < 1 || c.MaxConnsPerAddr > c.MaxConns {
		return nil, &Error{"QIJIAN_MAX_CONNS_PER_ADDR", errors.New("must be a whole number from 1 to QIJIAN_MAX_CONNS")}
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	if c.OIDCIssuer != "" {
		if u, err := url.Parse(c.OIDCIssuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, &Error{"QIJIAN_OIDC_ISSUER", errors.New("must be the platform's issuer URL, e.g. https://id.zj.gov.cn")}
		}
		if c.OIDCClientID == "" || c.OIDCClientSecret == "" {
			return nil, &Error{"QIJIAN_OIDC_CLIENT_ID", errors.New("QIJIAN_OIDC_CLIENT_ID and QIJIAN_OIDC_CLIENT_SECRET are needed with QIJIAN_OIDC_ISSUER")}
		}
	}
	if err := c.loadSecret(secret); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Config) check() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return &Error{"QIJIAN_ADDR", fmt.Errorf("not a host:port address: %w", err)}
	}
	if c.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil || c.MetricsAddr == c.Addr {
			return &Error{"QIJIAN_METRICS_ADDR", errors.New("must be a host:port address other than QIJIAN_ADDR, e.g. 127.0.0.1:9090")}
		}
	}
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return &Error{"QIJIAN_DATA_DIR", fmt.Errorf("cannot create: %w", err)}
	}
	probe, err := os.CreateTemp(c.DataDir, ".write-check-*")
	if err != nil {
		return &Error{"QIJIAN_DATA_DIR", fmt.Errorf("not writable: %w", err)}
	}
	probe.Close()
	os.Remove(probe.Name())
	if c.DatabaseURL != "" {
		u, err := url.Parse(c.DatabaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
			return &Error{"QIJIAN_DATABASE_URL", errors.New("must be empty (SQLite) or a postgres://host/db URL")}
		}
	}
	if c.RedisURL != "" {
		u, err := url.Parse(c.RedisURL)
		if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
			return &Error{"QIJIAN_REDIS_URL", errors.New("must be empty (in-process) or a redis://host:port URL")}
		}
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.Addr
	} else if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &Error{"QIJIAN_PUBLIC_URL", errors.New("must be an http:// or https:// address")}
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	for _, p := range c.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				return &Error{"QIJIAN_TRUSTED_PROXIES", fmt.Errorf("%q is neither an IP address nor a CIDR range", p)}
			}
		}
	}
	if c.SMTPURL != "" {
		u, err := url.Parse(c.SMTPURL)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" || u.Query().Get("from") == "" {
			return &Error{"QIJIAN_SMTP_URL", errors.New("must be smtp://[user:pass@]host:port?from=address (or smtps://)")}
		}
	}
	return nil
}

// loadSecret takes QIJIAN_SECRET, or the one kept in the data dir, or makes and keeps a new one.
func (c *Config) loadSecret(fromEnv string) error {
	if fromEnv != "" {
		if len(fromEnv) < 32 {
			return &Error{"QIJIAN_SECRET", errors.New("must be at least 32 characters")}
		}
		c.Secret = []byte(fromEnv)
		return nil
	}
	path := filepath.Join(c.DataDir, "secret")
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		c.Secret = []byte(strings.TrimSpace(string(b)))
		return nil
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return &Error{"QIJIAN_SECRET", err}
	}
	s := hex.EncodeToString(buf)
	// Created exclusively: processes starting together on a shared data dir (a web and a worker)
	// keep one secret, the first one's; the others read it.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		for range 50 {
			if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= 32 {
				c.Secret = []byte(strings.TrimSpace(string(b)))
				return nil
			}
			time.Sleep(20 * time.Millisecond) // the other process is still writing it
		}
		return &Error{"QIJIAN_SECRET", fmt.Errorf("the kept secret in the data dir is unreadable or too short: %s", path)}
	}
	if err != nil {
		return &Error{"QIJIAN_SECRET", fmt.Errorf("cannot keep generated secret in data dir: %w", err)}
	}
	_, werr := f.WriteString(s + "\n")
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return &Error{"QIJIAN_SECRET", fmt.Errorf("cannot keep generated secret in data dir: %w", werr)}
	}
	c.Secret = []byte(s)
	return nil
}

// SQLitePath is where the embedded database lives.
func (c *Config) SQLitePath() string { return filepath.Join(c.DataDir, "qijian.db") }

// loadPool reads the database pool's size and bounds; each is optional.
func (c *Config) loadPool(env func(k, def string) string) error {
	if v := env("QIJIAN_DB_MAX_CONNS", ""); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return &Error{"QIJIAN_DB_MAX_CONNS", errors.New("must be a whole number from 1 to 1000")}
		}
		c.DBMaxConns = n
	}
	for _, d := range []struct {
		name     string
		to       *time.Duration
		min, max time.Duration
	}{
		{"QIJIAN_DB_IDLE", &c.DBIdle, time.Second, time.Hour},
		{"QIJIAN_DB_STATEMENT_TIMEOUT", &c.DBStatementTimeout, 100 * time.Millisecond, time.Hour},
		{"QIJIAN_DB_LOCK_TIMEOUT", &c.DBLockTimeout, 100 * time.Millisecond, time.Hour},
	} {
		v := env(d.name, "")
		if v == "" {
			continue
		}
		t, err := time.ParseDuration(v)
		if err != nil || t < d.min || t > d.max {
			return &Error{d.name, fmt.Errorf("must be a duration from %s to %s, e.g. 5s", d.min, d.max)}
		}
		*d.to = t
	}
	return nil
}
