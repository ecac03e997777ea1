package portal_test

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"net/url"
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
	// A web process does not need the queue to serve: Redis down is in the detail, not the status.
	down := newEnv(t, func(d *portal.Deps) { d.Queue = downPinger{} })
	if code, out := down.api("GET", "/readyz", "", nil); code != 200 || out["checks"].(map[string]any)["queue"] != "unavailable" {
		t.Fatalf("readyz with the queue down: %d %v, want 200 with the queue unavailable in the detail", code, out)
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
	if r := b.do("GET", "/metrics", nil); r.Status != 404 || strings.Contains(r.Body, "qijian_") {
		t.Errorf("/metrics on the public listener: %d", r.Status)
	}
	res, err := e.srv.MetricsApp().Test(httptest.NewRequest("GET", "/metrics", nil), 10000)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	r := resp{Status: res.StatusCode, Body: string(raw)}
	for _, want := range []string{
		`qijian_http_requests_total{method="GET",route="/login",status="200"} 1`,
		`qijian_http_requests_total{method="GET",route="other",status="404"} 2`, // and the public /metrics,
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
	if r := b.post("/lang/en", "/login", url.Values{"next": {"/login"}}); r.Status != 303 || r.Header.Get("Location") != "/login" {
		t.Errorf("the English switch: %d %q", r.Status, r.Header.Get("Location"))
	}
	r = b.do("GET", "/login", nil)
	if !strings.Contains(r.Body, `lang="en"`) || !strings.Contains(r.Body, "Log in") {
		t.Error("the English switch did not take")
	}
	if r := b.post("/lang/en", "/login", url.Values{"next": {"//evil.example"}}); r.Header.Get("Location") != "/" {
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
