package portal_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"qijian/internal/app"
	"qijian/internal/store"
	"qijian/internal/testkit"
	"qijian/portal"
)

// twin is a second portal on e's database, through a store opened with o (read-only, short
// bounds), as another process would be: it meets a database that cannot write in time.
func (e *env) twin(t *testing.T, o store.Options, opts ...func(*portal.Deps)) *portal.Server {
	t.Helper()
	other := testkit.ReopenWith(t, e.st, o)
	secret := []byte("0123456789abcdef0123456789abcdef")
	d := portal.Deps{App: app.New(other, e.srv.Services().Calendar, e.clk, secret), Queue: okPinger{}, Secret: secret,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), LoginPerMinute: 1000, SubmitPerMinute: 1000, DataDir: t.TempDir()}
	for _, f := range opts {
		f(&d)
	}
	return portal.New(d)
}

// call sends one request to srv and tells its status, its Retry-After and how long it took.
func call(t *testing.T, srv *portal.Server, method, path, token, body string, hdr ...string) (int, string, time.Duration) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	start := time.Now()
	res, err := srv.App().Test(req, 30000)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Retry-After"), time.Since(start)
}

// holdWrites takes what a writer needs and keeps it until the returned release: on SQLite the
// write lock (another connection's open write transaction), on PostgreSQL an exclusive lock on
// the tables named.
func holdWrites(t *testing.T, st *store.Store, tables ...string) (release func()) {
	t.Helper()
	tx := st.Gorm().Begin()
	if tx.Error != nil {
		t.Fatal(tx.Error)
	}
	var err error
	if st.Dialect == "postgres" {
		err = tx.Exec("LOCK TABLE " + strings.Join(tables, ", ") + " IN ACCESS EXCLUSIVE MODE").Error
	} else {
		err = tx.Exec("UPDATE probes SET at = at").Error // BEGIN IMMEDIATE took the lock; a write keeps it
	}
	if err != nil {
		tx.Rollback()
		t.Fatal(err)
	}
	done := false
	release = func() {
		if !done {
			done = true
			tx.Rollback()
		}
	}
	t.Cleanup(release)
	return release
}

// Readiness is a write, not a ping: a read-only database is not ready (and its writes answer
// 503 with Retry-After); a locked one is not ready within the probe's bound and is again once
// the lock goes; Redis down leaves a web process ready, the queue's state in the detail and in
// /metrics.
func TestReadinessIsAWriteProbe(t *testing.T) {
	t.Parallel()
	t.Run("read-only", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		tok := e.token("ent-a")
		ro := e.twin(t, store.Options{ReadOnly: true})
		if code, _, _ := call(t, ro, "GET", "/readyz", "", ""); code != 503 {
			t.Fatalf("readyz on a read-only database: %d, want 503", code)
		}
		sl := slotOf(t, e, "checkup", time.Date(2026, 3, 4, 9, 0, 0, 0, wz))
		code, retry, _ := call(t, ro, "POST", "/api/v1/bookings", tok, fmt.Sprintf(`{"slot_id":%d,"mode":"online","topic":"消防"}`, sl.ID))
		if code != 503 || retry == "" {
			t.Fatalf("a booking on a read-only database: %d Retry-After %q, want 503 with Retry-After", code, retry)
		}
		if code, _, _ := call(t, e.srv, "GET", "/readyz", "", ""); code != 200 {
			t.Fatalf("the writable process: readyz %d", code)
		}
	})
	t.Run("locked", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t)
		release := holdWrites(t, e.st, "probes")
		start := time.Now()
		code, out := e.api("GET", "/readyz", "", nil)
		if code != 503 || time.Since(start) > 4*time.Second {
			t.Fatalf("readyz with the database locked: %d %v after %v, want 503 within 4s", code, out, time.Since(start))
		}
		release()
		deadline := time.Now().Add(5 * time.Second)
		for code != 200 && time.Now().Before(deadline) {
			time.Sleep(300 * time.Millisecond)
			code, out = e.api("GET", "/readyz", "", nil)
		}
		if code != 200 {
			t.Fatalf("readyz after the lock went: %d %v", code, out)
		}
	})
	t.Run("redis down", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, func(d *portal.Deps) { d.Queue = downPinger{} })
		if code, out := e.api("GET", "/readyz", "", nil); code != 200 || out["checks"].(map[string]any)["queue"] != "unavailable" {
			t.Fatalf("readyz with Redis down: %d %v", code, out)
		}
		if body := metricsOf(t, e); !strings.Contains(body, "qijian_queue_up 0") {
			t.Fatal("/metrics does not say the queue is down")
		}
		up := newEnv(t)
		if body := metricsOf(t, up); !strings.Contains(body, "qijian_queue_up 1") {
			t.Fatal("/metrics does not say the queue is up")
		}
	})
}

// A table locked longer than a client waits answers 503 with Retry-After within the bound (the
// lock timeout, or SQLite's busy timeout), instead of hanging; once the lock goes, it books.
func TestLockedTableAnswers503WithinTheBound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	short := e.twin(t, store.Options{LockTimeout: time.Second, BusyTimeout: time.Second})
	sl := slotOf(t, e, "checkup", time.Date(2026, 3, 4, 9, 0, 0, 0, wz))
	tok := e.token("ent-a")
	body := fmt.Sprintf(`{"slot_id":%d,"mode":"online","topic":"消防"}`, sl.ID)
	release := holdWrites(t, e.st, "slots", "bookings", "work_orders")
	code, retry, took := call(t, short, "POST", "/api/v1/bookings", tok, body, "Idempotency-Key", "through-the-lock")
	if code != 503 || retry == "" || took > 5*time.Second {
		t.Fatalf("a booking on a locked table: %d Retry-After %q after %v, want 503 with Retry-After within 5s", code, retry, took)
	}
	filing := `{"type":"conduct","description":"检查人员态度粗暴","body_id":1}`
	code, retry, took = call(t, short, "POST", "/api/v1/complaints", tok, filing, "Idempotency-Key", "filed-through-the-lock")
	if code != 503 || retry == "" || took > 5*time.Second {
		t.Fatalf("a filing on a locked table: %d Retry-After %q after %v, want 503 with Retry-After within 5s", code, retry, took)
	}
	release()
	if code, _, _ := call(t, short, "POST", "/api/v1/bookings", tok, body, "Idempotency-Key", "through-the-lock"); code != 201 {
		t.Fatalf("the retry once the lock went: %d", code)
	}
	if n := e.count("bookings"); n != 1 {
		t.Fatalf("%d bookings, want 1", n)
	}
}

// The request's own deadline holds when the database's bounds are long: a request waiting on a
// lock is cancelled at it and answers 503 with Retry-After. PostgreSQL only: SQLite's wait for
// its write lock does not heed a context, so there the busy timeout is the bound (tested above).
func TestRequestDeadlineCancelsTheWait(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	if e.st.Dialect != "postgres" {
		t.Skip("SQLite's busy wait ignores the context; its busy timeout bounds it")
	}
	patient := e.twin(t, store.Options{LockTimeout: 30 * time.Second, BusyTimeout: 30 * time.Second, StatementTimeout: time.Minute},
		func(d *portal.Deps) { d.RequestTimeout = 1500 * time.Millisecond })
	sl := slotOf(t, e, "checkup", time.Date(2026, 3, 4, 9, 0, 0, 0, wz))
	tok := e.token("ent-a")
	holdWrites(t, e.st, "slots", "bookings")
	code, retry, took := call(t, patient, "POST", "/api/v1/bookings", tok, fmt.Sprintf(`{"slot_id":%d,"mode":"online","topic":"消防"}`, sl.ID))
	if code != 503 || retry == "" || took > 5*time.Second {
		t.Fatalf("a booking past the request's deadline: %d Retry-After %q after %v, want 503 with Retry-After within 5s", code, retry, took)
	}
}

// metricsOf reads /metrics where it is served: the metrics listener's app, not the public one.
func metricsOf(t *testing.T, e *env) string {
	t.Helper()
	res, err := e.srv.MetricsApp().Test(httptest.NewRequest("GET", "/metrics", nil), 10000)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	return string(raw)
}
