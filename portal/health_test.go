package portal_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"qijian/portal"
)

type downPinger struct{}

func (downPinger) Ping(context.Context) error { return errors.New("down") }

type depth struct{}

func (depth) Depth() (map[string]int, error) { return map[string]int{"pending": 3}, nil }

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(d *portal.Deps) { d.Stats = depth{} })
	if code, out := e.api("GET", "/healthz", "", nil); code != 200 || out["status"] != "ok" {
		t.Fatalf("healthz: %d %v", code, out)
	}
	if code, out := e.api("GET", "/readyz", "", nil); code != 200 || out["status"] != "ok" {
		t.Fatalf("readyz: %d %v", code, out)
	}
	down := newEnv(t, func(d *portal.Deps) { d.Queue = downPinger{} })
	if code, out := down.api("GET", "/readyz", "", nil); code != 503 || out["checks"].(map[string]any)["queue"] != "unavailable" {
		t.Fatalf("readyz with the queue down: %d %v", code, out)
	}
	closed := newEnv(t)
	closed.st.Close()
	if code, out := closed.api("GET", "/readyz", "", nil); code != 503 || out["checks"].(map[string]any)["database"] != "unavailable" {
		t.Fatalf("readyz with the database closed: %d %v", code, out)
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(d *portal.Deps) { d.Stats = depth{} })
	b := e.browser()
	b.do("GET", "/login", nil)
	b.do("GET", "/no-such-page", nil)
	r := b.do("GET", "/metrics", nil)
	for _, want := range []string{
		`qijian_http_requests_total{method="GET",route="/login",status="200"} 1`,
		`qijian_http_requests_total{method="GET",route="other",status="404"} 1`,
		`qijian_http_request_duration_seconds_bucket{method="GET",route="/login"`,
		`qijian_queue_tasks{state="pending"} 3`,
		`qijian_outbox_pending 0`,
		`qijian_filing_batches_total 0`,
		`qijian_filings_written_total 0`,
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestSecurityHeadersAndLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	r := b.do("GET", "/login", nil)
	for h, want := range map[string]string{"Content-Security-Policy": "frame-ancestors 'none'", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"} {
		if !strings.Contains(r.Header.Get(h), want) {
			t.Errorf("%s: %q, want %q", h, r.Header.Get(h), want)
		}
	}
	if !strings.Contains(r.Body, `lang="zh-CN"`) || !strings.Contains(r.Body, "登录") {
		t.Error("default language is not Chinese")
	}
	b.do("GET", "/lang/en?next=/login", nil)
	r = b.do("GET", "/login", nil)
	if !strings.Contains(r.Body, `lang="en"`) || !strings.Contains(r.Body, "Log in") {
		t.Error("the English switch did not take")
	}
	if r := b.do("GET", "/lang/en?next=//evil.example", nil); r.Header.Get("Location") != "/" {
		t.Errorf("open redirect through /lang: %q", r.Header.Get("Location"))
	}
}

func TestWelcomeReachesInboxOnlyForItsOwner(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	code, _ := e.api("POST", "/api/v1/auth/register", "", validRegistration(3))
	if code != 202 {
		t.Fatal(code)
	}
	// Someone without SMS or email gets the welcome in the registration's own transaction.
	if rows, _ := e.st.UnrelayedOutbox(t.Context(), e.clk.Now(), 10); len(rows) != 0 {
		t.Fatalf("outbox rows: %d, want none", len(rows))
	}
	b := e.browser()
	b.login("newcod", "a-long-password")
	if r := b.do("GET", "/inbox", nil); !strings.Contains(r.Body, "欢迎使用企检服务平台") {
		t.Fatal("welcome not in the new enterprise's inbox")
	}
	other := e.browser()
	other.login("ent-a", demoPassword)
	if r := other.do("GET", "/inbox", nil); strings.Contains(r.Body, "欢迎使用企检服务平台") {
		t.Fatal("another enterprise sees the welcome")
	}
}
