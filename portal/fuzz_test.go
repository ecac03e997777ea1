package portal_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"qijian/internal/app"
	"qijian/internal/calendar"

	"qijian/internal/clock"
	"qijian/internal/testkit"
	"qijian/portal"
)

// FuzzRegisterBody: no request body makes the registration API fail with a 5xx or create
// anything it should not; it answers 202 (received), or a 4xx.
func FuzzRegisterBody(f *testing.F) {
	for _, s := range []string{`{}`, `{"uscc":12}`, `[1,2]`, `{"a":{"b":{"c":[[[[]]]]}}}`, `{"uscc":"91350100M000100Y43","name":"测试","county":"330302","industry":"food","contact_name":"x","mobile":"13800000000","username":"fuzz-co","password":"a-long-password"}`, "\x00", `{"name":"` + string(make([]byte, 300)) + `"}`} {
		f.Add([]byte(s))
	}
	st := testkit.Store(f)
	secret := []byte("0123456789abcdef0123456789abcdef")
	srv := portal.New(portal.Deps{App: app.New(st, calendar.New(), clock.Real{}, secret), Queue: okPinger{}, Secret: secret,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), LoginPerMinute: 1 << 30})
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest("POST", "/api/v1/auth/register", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		res, err := srv.App().Test(req, 10000)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode >= 500 || (res.StatusCode != 202 && res.StatusCode < 400) {
			t.Fatalf("body %q: status %d", body, res.StatusCode)
		}
	})
}
