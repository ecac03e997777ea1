package portal_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"qijian/internal/app"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	legacyrouter "github.com/getkin/kin-openapi/routers/legacy"

	"qijian/internal/clock"
	"qijian/internal/demo"
	"qijian/internal/store"
	"qijian/internal/testkit"
	"qijian/portal"
)

const demoPassword = "demo-password-123"

type env struct {
	t       *testing.T
	docOnce sync.Once
	router  routers.Router
	st      *store.Store
	clk     *clock.Fake
	srv     *portal.Server
}

type okPinger struct{}

func (okPinger) Ping(context.Context) error { return nil }

func newEnv(t *testing.T, opts ...func(*portal.Deps)) *env { return newEnvTB(t, t, opts...) }

// newEnvB is newEnv for benchmarks (no per-request test helpers are used there).
func newEnvB(b *testing.B) *env {
	return newEnvTB(b, nil, func(d *portal.Deps) {
		d.SubmitPerMinute, d.LoginPerMinute = 1<<30, 1<<30
		d.App = app.New(d.App.Store, d.App.Calendar, clock.Real{}, d.Secret)
	})
}

func newEnvTB(t testing.TB, tt *testing.T, opts ...func(*portal.Deps)) *env {
	t.Helper()
	st := testkit.Store(t)
	clk := clock.NewFake(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	if _, err := demo.Load(context.Background(), st, demoPassword, clk.Now()); err != nil {
		t.Fatal(err)
	}
	e := &env{t: tt, st: st, clk: clk}
	secret := []byte("0123456789abcdef0123456789abcdef")
	svc, err := app.Open(context.Background(), st, clk, secret)
	if err != nil {
		t.Fatal(err)
	}
	d := portal.Deps{App: svc, Queue: okPinger{}, Secret: secret,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), LoginPerMinute: 1000, DataDir: t.TempDir()}
	for _, o := range opts {
		o(&d)
	}
	e.srv = portal.New(d)
	return e
}

// browser keeps cookies across requests, like a person's browser.
type browser struct {
	e       *env
	cookies map[string]string
}

func (e *env) browser() *browser { return &browser{e: e, cookies: map[string]string{}} }

type resp struct {
	Status int
	Body   string
	Header http.Header
}

func (b *browser) do(method, path string, form url.Values, hdr ...string) resp {
	b.e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := b.e.srv.App().Test(req, 10000)
	if err != nil {
		b.e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	for _, c := range res.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	return resp{Status: res.StatusCode, Body: string(raw), Header: res.Header}
}

var csrfRe = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrf fetches a page and returns the token its forms carry.
func (b *browser) csrf(path string) string {
	b.e.t.Helper()
	r := b.do("GET", path, nil)
	m := csrfRe.FindStringSubmatch(r.Body)
	if m == nil {
		b.e.t.Fatalf("no CSRF token on %s (status %d)", path, r.Status)
	}
	return m[1]
}

func (b *browser) post(path, csrfFrom string, form url.Values) resp {
	b.e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", b.csrf(csrfFrom))
	return b.do("POST", path, form)
}

func (b *browser) login(user, pw string) resp {
	b.e.t.Helper()
	return b.post("/login", "/login", url.Values{"username": {user}, "password": {pw}})
}

// api calls the JSON API with an optional bearer token.
func (e *env) api(method, path, token string, body any, hdr ...string) (int, map[string]any) {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		if s, ok := body.(string); ok {
			rd = strings.NewReader(s)
		} else {
			b, _ := json.Marshal(body)
			rd = strings.NewReader(string(b))
		}
	}
	req := httptest.NewRequest(method, path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	var reqBody []byte
	if rd != nil {
		reqBody, _ = io.ReadAll(rd)
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	res, err := e.srv.App().Test(req, 10000)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	e.conforms(req, reqBody, res, raw)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return res.StatusCode, out
}

// conforms checks an API answer against the OpenAPI document the server generated: every API
// call a test makes proves that the document describes what the handler really wrote.
func (e *env) conforms(req *http.Request, reqBody []byte, res *http.Response, body []byte) {
	e.t.Helper()
	if !strings.HasPrefix(req.URL.Path, "/api/v1/") {
		return
	}
	e.docOnce.Do(func() {
		doc, err := openapi3.NewLoader().LoadFromData(e.srv.OpenAPI())
		if err != nil {
			e.t.Fatalf("openapi: %v", err)
		}
		doc.Servers = openapi3.Servers{{URL: "http://example.com/api/v1"}}
		if e.router, err = legacyrouter.NewRouter(doc); err != nil {
			e.t.Fatalf("openapi router: %v", err)
		}
	})
	u := *req.URL
	u.Scheme, u.Host = "http", "example.com"
	r2 := req.Clone(context.Background())
	r2.URL = &u
	r2.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := e.router.FindRoute(r2)
	if err != nil {
		return // an unknown path or method: the 404 or 405 is the test's to check
	}
	in := &openapi3filter.RequestValidationInput{Request: r2, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, ExcludeRequestBody: true}}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true}}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		e.t.Errorf("%s %s answered %d with a body the OpenAPI document does not describe: %v\n%s", req.Method, req.URL.Path, res.StatusCode, err, body)
	}
}

func (e *env) token(user string) string {
	e.t.Helper()
	code, out := e.api("POST", "/api/v1/auth/token", "", map[string]string{"username": user, "password": demoPassword})
	if code != 200 {
		e.t.Fatalf("token for %s: %d %v", user, code, out)
	}
	return out["token"].(string)
}

func fields(out map[string]any) map[string]any {
	if e, ok := out["error"].(map[string]any); ok {
		if f, ok := e["fields"].(map[string]any); ok {
			return f
		}
	}
	return nil
}
