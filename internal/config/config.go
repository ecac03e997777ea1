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
	"strings"
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
	secret := env("QIJIAN_SECRET", "")
	c.DemoPassword = env("QIJIAN_DEMO_PASSWORD", "")
	if err := fs.Parse(args); err != nil {
		return nil, &Error{Var: "flags", Err: err}
	}
	for _, p := range strings.Split(*proxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}
	if err := c.check(); err != nil {
		return nil, err
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
	if err := os.WriteFile(path, []byte(s+"\n"), 0o600); err != nil {
		return &Error{"QIJIAN_SECRET", fmt.Errorf("cannot keep generated secret in data dir: %w", err)}
	}
	c.Secret = []byte(s)
	return nil
}

// SQLitePath is where the embedded database lives.
func (c *Config) SQLitePath() string { return filepath.Join(c.DataDir, "qijian.db") }
