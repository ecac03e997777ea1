package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"
)

// common holds the flags both subcommands share.
type common struct {
	adminURL string // a PostgreSQL URL the bench may CREATE and DROP databases through
	redisURL string // the Redis server; the bench picks its own database number on it
	redisDB  int    // 0: pick an empty one in 15..1
	keep     bool   // keep the database and temp dir afterwards
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// freshDB is a database the bench created and drops at the end; nothing else is touched.
type freshDB struct {
	adminURL string
	Name     string
	URL      string
}

func createDB(ctx context.Context, adminURL string) (*freshDB, error) {
	name := "qijian_bench_" + randHex(5)
	c, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return nil, fmt.Errorf("postgres admin connection: %w", err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return nil, fmt.Errorf("create database %s: %w", name, err)
	}
	u, err := url.Parse(adminURL)
	if err != nil {
		return nil, err
	}
	u.Path = "/" + name
	return &freshDB{adminURL: adminURL, Name: name, URL: u.String()}, nil
}

// adminExec runs one statement on the admin connection (the maintenance database, never ours).
func (d *freshDB) adminExec(ctx context.Context, sql string, args ...any) error {
	c, err := pgx.Connect(ctx, d.adminURL)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	_, err = c.Exec(ctx, sql, args...)
	return err
}

func (d *freshDB) drop() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Connections may be refused (a fault step) when the bench stops early: undo that first.
	_ = d.adminExec(ctx, "ALTER DATABASE "+d.Name+" ALLOW_CONNECTIONS true")
	return d.adminExec(ctx, "DROP DATABASE IF EXISTS "+d.Name+" WITH (FORCE)")
}

// pickRedis chooses the bench's Redis database: the one asked for, or the highest-numbered empty
// one other than 0. It returns the URL of that database.
func pickRedis(ctx context.Context, base string, want int) (string, int, error) {
	opt, err := redis.ParseURL(base)
	if err != nil {
		return "", 0, err
	}
	u := strings.TrimSuffix(strings.SplitN(base, "?", 2)[0], "/")
	if i := strings.LastIndex(u, "/"); i > len("redis://") {
		u = u[:i]
	}
	try := []int{want}
	if want == 0 {
		try = nil
		for n := 15; n >= 1; n-- {
			try = append(try, n)
		}
	}
	for _, n := range try {
		if n <= 0 || n > 15 {
			return "", 0, fmt.Errorf("-redis-db %d: must be 1..15", n)
		}
		o := *opt
		o.DB = n
		c := redis.NewClient(&o)
		size, err := c.DBSize(ctx).Result()
		c.Close()
		if err != nil {
			return "", 0, fmt.Errorf("redis: %w", err)
		}
		if size == 0 || want != 0 {
			return fmt.Sprintf("%s/%d", u, n), n, nil
		}
	}
	return "", 0, errors.New("redis: no empty database among 1..15; pass -redis-db")
}

// flushRedis empties the bench's own Redis database (the URL names it), at the end of a run.
func flushRedis(redisURL string) error {
	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		return err
	}
	if opt.DB == 0 {
		return errors.New("refusing to flush Redis database 0")
	}
	c := redis.NewClient(opt)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return c.FlushDB(ctx).Err()
}

// moduleRoot is the directory of go.mod (the bench runs from anywhere inside the module).
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	p := strings.TrimSpace(string(out))
	if p == "" || p == os.DevNull {
		return "", errors.New("not inside the qijian module")
	}
	return filepath.Dir(p), nil
}

// buildBinary builds cmd/qijian into dir.
func buildBinary(ctx context.Context, dir string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "qijian")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/qijian")
	cmd.Dir = root
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/qijian: %v\n%s", err, buf.String())
	}
	return bin, nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// proc is one child process of the qijian binary (web or worker) that the bench starts, kills by
// its own pid and restarts.
type proc struct {
	name string
	bin  string
	args []string
	env  []string
	log  string // file the output goes to (appended across restarts)

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

func (p *proc) start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	fmt.Fprintf(f, "---- %s start %s\n", p.name, time.Now().Format(time.RFC3339Nano))
	cmd := exec.Command(p.bin, p.args...)
	cmd.Env = p.env
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("start %s: %w", p.name, err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		f.Close()
		close(done)
	}()
	p.cmd, p.done = cmd, done
	return nil
}

func (p *proc) pid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil || p.cmd.Process == nil {
		return 0
	}
	return p.cmd.Process.Pid
}

// kill9 sends SIGKILL to this process (by its pid only) and waits for it to be gone.
func (p *proc) kill9() {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGKILL)
	<-done
}

// stop asks the process to end (SIGTERM), then kills it after 15 s.
func (p *proc) stop() {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	if cmd == nil {
		return
	}
	select {
	case <-done:
		return
	default:
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Signal(syscall.SIGKILL)
		<-done
	}
}

func (p *proc) running() bool {
	p.mu.Lock()
	done := p.done
	p.mu.Unlock()
	if done == nil {
		return false
	}
	select {
	case <-done:
		return false
	default:
		return true
	}
}

// tail returns the last n bytes of the process log.
func (p *proc) tail(n int) string {
	b, err := os.ReadFile(p.log)
	if err != nil {
		return ""
	}
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// execSQL runs statements on the bench's own database.
func execSQL(ctx context.Context, dbURL, sql string, args ...any) error {
	c, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	_, err = c.Exec(ctx, sql, args...)
	return err
}

// pgConnArgs turns a postgres:// URL into psql-style -h -p -U flags (pgbench's).
func pgConnArgs(dbURL string) ([]string, error) {
	u, err := url.Parse(dbURL)
	if err != nil {
		return nil, err
	}
	host, port := u.Hostname(), u.Port()
	if host == "" {
		host = "127.0.0.1"
	}
	if port == "" {
		port = "5432"
	}
	args := []string{"-h", host, "-p", port}
	if u.User != nil && u.User.Username() != "" {
		args = append(args, "-U", u.User.Username())
	}
	if pw, ok := u.User.Password(); ok {
		os.Setenv("PGPASSWORD", pw)
	}
	return args, nil
}
