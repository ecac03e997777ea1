package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"qijian/internal/demo"
	"qijian/internal/store"
	"qijian/internal/testkit"
)

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestBadConfigurationNamesTheVariable(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	os.WriteFile(file, []byte("x"), 0o600)
	cases := []struct {
		name, cmd string
		env       map[string]string
		want      string
	}{
		{"database url not postgres", "migrate", map[string]string{"QIJIAN_DATABASE_URL": "mysql://x/y"}, "QIJIAN_DATABASE_URL"},
		{"database unreachable", "migrate", map[string]string{"QIJIAN_DATABASE_URL": "postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=2"}, "QIJIAN_DATABASE_URL"},
		{"redis url garbage", "serve", map[string]string{"QIJIAN_REDIS_URL": "::nonsense"}, "QIJIAN_REDIS_URL"},
		{"redis unreachable", "serve", map[string]string{"QIJIAN_REDIS_URL": "redis://127.0.0.1:1"}, "QIJIAN_REDIS_URL"},
		{"data dir is a file", "migrate", map[string]string{"QIJIAN_DATA_DIR": file}, "QIJIAN_DATA_DIR"},
		{"bad address", "serve", map[string]string{"QIJIAN_ADDR": "no-port"}, "QIJIAN_ADDR"},
		{"short secret", "migrate", map[string]string{"QIJIAN_SECRET": "short"}, "QIJIAN_SECRET"},
		{"smtp without from", "migrate", map[string]string{"QIJIAN_SMTP_URL": "smtp://mail.example:587"}, "QIJIAN_SMTP_URL"},
		{"smtp wrong scheme", "migrate", map[string]string{"QIJIAN_SMTP_URL": "http://mail.example?from=a@b"}, "QIJIAN_SMTP_URL"},
		{"public url not http", "migrate", map[string]string{"QIJIAN_PUBLIC_URL": "ftp://x"}, "QIJIAN_PUBLIC_URL"},
		{"metrics on the public address", "migrate", map[string]string{"QIJIAN_METRICS_ADDR": "127.0.0.1:8080", "QIJIAN_ADDR": "127.0.0.1:8080"}, "QIJIAN_METRICS_ADDR"},
		{"metrics address without port", "migrate", map[string]string{"QIJIAN_METRICS_ADDR": "localhost"}, "QIJIAN_METRICS_ADDR"},
		{"per-address connections over the total", "migrate", map[string]string{"QIJIAN_MAX_CONNS": "100", "QIJIAN_MAX_CONNS_PER_ADDR": "200"}, "QIJIAN_MAX_CONNS_PER_ADDR"},
		{"connections not a number", "migrate", map[string]string{"QIJIAN_MAX_CONNS": "many"}, "QIJIAN_MAX_CONNS"},
		{"short demo password", "demo", map[string]string{"QIJIAN_DEMO_PASSWORD": "short"}, "QIJIAN_DEMO_PASSWORD"},
		{"web without redis", "web", map[string]string{}, "QIJIAN_REDIS_URL"},
		{"worker without redis", "worker", map[string]string{}, "QIJIAN_REDIS_URL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, ok := tc.env["QIJIAN_DATA_DIR"]; !ok {
				tc.env["QIJIAN_DATA_DIR"] = t.TempDir()
			}
			tc.env["QIJIAN_ADDR"] = firstNonEmpty(tc.env["QIJIAN_ADDR"], "127.0.0.1:0")
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			err := run(ctx, []string{tc.cmd}, envOf(tc.env), io.Discard, io.Discard)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want+":") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("got %v, want one line starting with %s:", err, tc.want)
			}
		})
	}
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// serverEnv is the environment for a real start: embedded by default, or PostgreSQL and Redis
// when the test servers are set.
func serverEnv(t *testing.T) map[string]string {
	// No drain pause at the end of each test's serve. The process clock starts on an ordinary
	// Monday morning whatever day the test runs, so slots, reminders and notices meet the same
	// working days (a real clock failed the booking journey two hours before a slot).
	m := map[string]string{"QIJIAN_DATA_DIR": t.TempDir(), "QIJIAN_ADDR": "127.0.0.1:0", "QIJIAN_DRAIN": "0s",
		"QIJIAN_CLOCK_START": testClockStart.Format(time.RFC3339), startedKey: time.Now().Format(time.RFC3339Nano)}
	if testkit.PostgresURL() != "" {
		m["QIJIAN_DATABASE_URL"] = testkit.FreshPostgresURL(t)
	}
	if testkit.RedisURL() != "" {
		m["QIJIAN_REDIS_URL"] = testkit.RedisTestURL(t)
	}
	return m
}

// testClockStart is where the processes' clock starts in these tests: Monday 2026-03-02 05:00
// in Wenzhou: the day's first slot (09:00) has its 2-hour reminder beyond the relay's hour ahead,
// so the booking journey can bring it forward.
var testClockStart = time.Date(2026, 3, 2, 5, 0, 0, 0, time.FixedZone("CST", 8*3600))

// startedKey keeps, in a test's environment map, when it was made (no process reads it).
const startedKey = "_test_started"

// serverNow is at least the processes' clock of env's test (they start their shifted clock after
// the environment was made): times computed from it are never early for the server.
func serverNow(env map[string]string) time.Time {
	started, _ := time.Parse(time.RFC3339Nano, env[startedKey])
	return testClockStart.Add(time.Since(started))
}

var (
	urlRe = regexp.MustCompile(`Qijian portal: (http://\S+/)`)
	pwRe  = regexp.MustCompile(`password: (\S+)`)
)

// startServe runs `qijian serve --demo` and returns its base URL and the demo password.
func startServe(t *testing.T, env map[string]string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuf{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--demo"}, envOf(env), out, io.Discard) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v", err)
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		s := out.String()
		if u, p := urlRe.FindStringSubmatch(s), pwRe.FindStringSubmatch(s); u != nil && p != nil && strings.Contains(s, "admin") {
			return u[1], p[1]
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v\n%s", err, s)
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("serve printed no URL and logins:\n%s", out.String())
	return "", ""
}

func getJSON(t *testing.T, method, url, token string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

func TestServeWithDemoData(t *testing.T) {
	env := serverEnv(t)
	mln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	env["QIJIAN_METRICS_ADDR"] = mln.Addr().String()
	mln.Close()
	base, pw := startServe(t, env)
	if code, out := getJSON(t, "GET", base+"readyz", "", nil); code != 200 {
		t.Fatalf("readyz: %d %v", code, out)
	}
	// /metrics is on its own address only.
	if res, err := http.Get(base + "metrics"); err != nil || res.StatusCode != 404 {
		t.Fatalf("/metrics on the public address: %v %v", res, err)
	}
	res, err := http.Get("http://" + env["QIJIAN_METRICS_ADDR"] + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(raw), "qijian_http_requests_total") {
		t.Fatalf("/metrics on QIJIAN_METRICS_ADDR: %d %.200s", res.StatusCode, raw)
	}
	for _, u := range []string{"ent-a", "ent-b", "liaison-lc", "liaison-city", "officer-scj", "obs-chamber", "provider-1", "operator-12345", "admin"} {
		code, out := getJSON(t, "POST", base+"api/v1/auth/token", "", map[string]string{"username": u, "password": pw})
		if code != 200 {
			t.Fatalf("token for %s: %d %v", u, code, out)
		}
		if code, me := getJSON(t, "GET", base+"api/v1/me", out["token"].(string), nil); code != 200 || me["username"] != u {
			t.Fatalf("/me for %s: %d %v", u, code, me)
		}
	}
	// The welcome notification of a new enterprise goes through outbox, queue and worker.
	reg := map[string]string{"uscc": demo.USCC("330302", 999), "name": "温州端到端测试有限公司", "county": "330302", "industry": "food", "contact_name": "李四", "mobile": "13900000000", "username": "e2e-co", "password": "a-long-password"}
	if code, out := getJSON(t, "POST", base+"api/v1/auth/register", "", reg); code != 202 {
		t.Fatalf("register: %d %v", code, out)
	}
	_, tok := getJSON(t, "POST", base+"api/v1/auth/token", "", map[string]string{"username": "e2e-co", "password": "a-long-password"})
	deadline := time.Now().Add(20 * time.Second)
	for {
		code, out := getJSON(t, "GET", base+"api/v1/notifications", tok["token"].(string), nil)
		items, _ := out["items"].([]any)
		if code == 200 && len(items) == 1 {
			if items[0].(map[string]any)["kind"] != "welcome" {
				t.Fatalf("notification: %v", items[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("welcome notification never arrived: %d %v", code, out)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestDemoIsIdempotentAndMigrateReports(t *testing.T) {
	env := serverEnv(t)
	env["QIJIAN_DEMO_PASSWORD"] = "fixed-demo-password"
	for i := 0; i < 2; i++ {
		var out bytes.Buffer
		if err := run(context.Background(), []string{"demo"}, envOf(env), &out, io.Discard); err != nil {
			t.Fatalf("demo run %d: %v", i+1, err)
		}
		if !strings.Contains(out.String(), "fixed-demo-password") || !strings.Contains(out.String(), "obs-chamber") {
			t.Fatalf("demo output: %s", out.String())
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"migrate"}, envOf(env), &out, io.Discard); err != nil || !strings.Contains(out.String(), "0 applied") {
		t.Fatalf("migrate after demo: %v %s", err, out.String())
	}
}

func TestAuditVerifyCommand(t *testing.T) {
	env := serverEnv(t)
	env["QIJIAN_DEMO_PASSWORD"] = "audit-demo-password"
	if err := run(context.Background(), []string{"demo"}, envOf(env), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	// Registering an enterprise writes an audit entry, beside those the demo's stories wrote.
	var before bytes.Buffer
	var n0 int
	if err := run(context.Background(), []string{"audit", "verify"}, envOf(env), &before, io.Discard); err != nil {
		t.Fatalf("verify the demo: %v %q", err, before.String())
	} else if _, err := fmt.Sscanf(before.String(), "audit: %d entries", &n0); err != nil {
		t.Fatalf("verify counted %q", before.String())
	}
	base, _ := startServe(t, env)
	reg := map[string]string{"uscc": demo.USCC("330302", 4343), "name": "温州审计测试有限公司", "county": "330302", "industry": "food", "contact_name": "钱七", "mobile": "13500000000", "username": "audit-co", "password": "a-long-password"}
	if code, out := getJSON(t, "POST", base+"api/v1/auth/register", "", reg); code != 202 {
		t.Fatalf("register: %d %v", code, out)
	}
	var out bytes.Buffer
	var n int
	if err := run(context.Background(), []string{"audit", "verify"}, envOf(env), &out, io.Discard); err != nil || !strings.Contains(out.String(), " entries, chain intact") {
		t.Fatalf("verify: %v %q", err, out.String())
	} else if _, err := fmt.Sscanf(out.String(), "audit: %d entries", &n); err != nil || n < n0+1 {
		t.Fatalf("verify counted %q", out.String())
	}
	if err := run(context.Background(), []string{"audit"}, envOf(env), io.Discard, io.Discard); err == nil {
		t.Fatal("audit without verify accepted")
	}
	st, err := store.Open(context.Background(), env["QIJIAN_DATABASE_URL"], filepath.Join(env["QIJIAN_DATA_DIR"], "qijian.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Gorm().Exec("UPDATE audit_events SET actor_role = 'admin' WHERE id = 1").Error; err != nil {
		t.Fatal(err)
	}
	err = run(context.Background(), []string{"audit", "verify"}, envOf(env), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "entry 1") {
		t.Fatalf("a tampered row: %v", err)
	}
	// A broken chain exits 1, as the README says; 2 is for a start that failed.
	var ex *exitError
	if !errors.As(err, &ex) || ex.code != 1 {
		t.Fatalf("a broken chain's exit status: %v, want 1", err)
	}
}

// TestWorkerHealthcheck: the worker's container probe answers 0 while its queue server runs and
// 1 once it has stopped.
func TestWorkerHealthcheck(t *testing.T) {
	env := serverEnv(t)
	if env["QIJIAN_REDIS_URL"] == "" {
		m := miniredis.RunT(t)
		env["QIJIAN_REDIS_URL"] = "redis://" + m.Addr()
	}
	if err := run(context.Background(), []string{"healthcheck", "worker"}, envOf(env), io.Discard, io.Discard); err == nil {
		t.Fatal("healthy before any worker ran")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"worker"}, envOf(env), io.Discard, io.Discard) }()
	healthy := false
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && !healthy; time.Sleep(100 * time.Millisecond) {
		healthy = run(context.Background(), []string{"healthcheck", "worker"}, envOf(env), io.Discard, io.Discard) == nil
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("worker: %v", err)
	}
	if !healthy {
		t.Fatal("the running worker never answered healthy")
	}
	err := run(context.Background(), []string{"healthcheck", "worker"}, envOf(env), io.Discard, io.Discard)
	var ex *exitError
	if !errors.As(err, &ex) || ex.code != 1 {
		t.Fatalf("after the worker stopped: %v, want exit 1", err)
	}
}
