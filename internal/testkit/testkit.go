// Package testkit gives each test its own migrated database and queue: a temp SQLite file and an
// in-process Redis by default, or a fresh PostgreSQL schema and a flushed Redis database when
// QIJIAN_TEST_DATABASE_URL and QIJIAN_TEST_REDIS_URL are set (as CI sets them).
package testkit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"qijian/internal/message"

	"github.com/redis/go-redis/v9"

	"qijian/internal/store"
	"qijian/migrations"
	"qijian/workflows"
)

// PostgresURL is the server tests use when set, e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable.
func PostgresURL() string { return os.Getenv("QIJIAN_TEST_DATABASE_URL") }

// RedisURL is the server tests use when set, e.g. redis://127.0.0.1:6379.
func RedisURL() string { return os.Getenv("QIJIAN_TEST_REDIS_URL") }

// CI tells whether a missing server or browser must fail the run rather than skip.
func CI() bool { return os.Getenv("CI") == "true" }

func randName(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// Store opens a fresh, migrated database for t and removes it afterwards.
func Store(t testing.TB) *store.Store {
	t.Helper()
	st := RawStore(t)
	if _, err := migrations.Apply(context.Background(), st.Gorm()); err != nil {
		t.Fatalf("testkit: migrate: %v", err)
	}
	return st
}

// RawStore opens a fresh, empty database for t (migration tests start from nothing).
func RawStore(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	if PostgresURL() != "" {
		url := FreshPostgresURL(t)
		st, err := store.Open(ctx, url, "")
		if err != nil {
			t.Fatalf("testkit: open schema: %v", err)
		}
		strict(t, st)
		t.Cleanup(func() { st.Close() })
		opened.Store(st, [2]string{url, ""})
		return st
	}
	path := filepath.Join(t.TempDir(), "test.db")
	st, err := store.Open(ctx, "", path)
	if err != nil {
		t.Fatalf("testkit: open sqlite: %v", err)
	}
	strict(t, st)
	t.Cleanup(func() { st.Close() })
	opened.Store(st, [2]string{"", path})
	return st
}

// strict turns st's strict mode on, so that a read of a table in the transaction that buffered
// rows for it fails, and fails t at its end for any such read whose error was dropped.
func strict(t testing.TB, st *store.Store) {
	st.SetStrict(true)
	t.Cleanup(func() {
		for _, err := range st.StrictViolations() {
			t.Errorf("testkit: %v", err)
		}
	})
}

// opened remembers where each test store lives, for Reopen.
var opened sync.Map // *store.Store → [2]string{database URL, SQLite path}

// Reopen opens a second store on st's database, as another process would: it shares none of
// st's caches.
func Reopen(t testing.TB, st *store.Store) *store.Store {
	t.Helper()
	where, ok := opened.Load(st)
	if !ok {
		t.Fatal("testkit: reopen: not a testkit store")
	}
	w := where.([2]string)
	other, err := store.Open(context.Background(), w[0], w[1])
	if err != nil {
		t.Fatalf("testkit: reopen: %v", err)
	}
	strict(t, other)
	t.Cleanup(func() { other.Close() })
	return other
}

// ReopenWith is Reopen with the pool and bounds of o (a short lock timeout, a read-only
// database), for tests of how the portal answers a database that cannot write in time.
func ReopenWith(t testing.TB, st *store.Store, o store.Options) *store.Store {
	t.Helper()
	where, ok := opened.Load(st)
	if !ok {
		t.Fatal("testkit: reopen: not a testkit store")
	}
	w := where.([2]string)
	other, err := store.OpenWith(context.Background(), w[0], w[1], o)
	if err != nil {
		t.Fatalf("testkit: reopen: %v", err)
	}
	t.Cleanup(func() { other.Close() })
	return other
}

// IsolatedStore is Store on a PostgreSQL database of its own (a fresh schema in the shared one
// otherwise): for a test that needs VACUUM to see no other test's open transaction, as the
// server keeps dead rows for every snapshot still open in the same database. On SQLite it is
// Store.
func IsolatedStore(t testing.TB) *store.Store {
	t.Helper()
	if PostgresURL() == "" {
		return Store(t)
	}
	ctx := context.Background()
	admin, err := store.Open(ctx, PostgresURL(), "")
	if err != nil {
		t.Fatalf("testkit: QIJIAN_TEST_DATABASE_URL is set but PostgreSQL does not answer: %v", err)
	}
	name := randName("qjt_db_")
	if err := admin.Gorm().Exec("CREATE DATABASE " + name).Error; err != nil {
		admin.Close()
		t.Fatalf("testkit: create database: %v", err)
	}
	u, err := url.Parse(PostgresURL())
	if err != nil {
		t.Fatalf("testkit: QIJIAN_TEST_DATABASE_URL: %v", err)
	}
	u.Path = "/" + name
	st, err := store.Open(ctx, u.String(), "")
	if err != nil {
		t.Fatalf("testkit: open database: %v", err)
	}
	st.SetStrict(true)
	t.Cleanup(func() {
		st.Close()
		admin.Gorm().Exec("DROP DATABASE " + name + " WITH (FORCE)")
		admin.Close()
	})
	if _, err := migrations.Apply(ctx, st.Gorm()); err != nil {
		t.Fatalf("testkit: migrate: %v", err)
	}
	return st
}

// FreshPostgresURL makes an empty schema for t on the test server and returns a URL whose
// search_path points at it; the schema is dropped when t ends.
func FreshPostgresURL(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	base := PostgresURL()
	schema := randName("qjt_")
	admin, err := store.Open(ctx, base, "")
	if err != nil {
		t.Fatalf("testkit: QIJIAN_TEST_DATABASE_URL is set but PostgreSQL does not answer: %v", err)
	}
	if err := admin.Gorm().Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("testkit: create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Gorm().Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	return withParam(base, "search_path", schema)
}

func withParam(raw, k, v string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	q.Set(k, v)
	u.RawQuery = q.Encode()
	return u.String()
}

// RedisTestURL picks a Redis database of its own for t on the real server and flushes it, or
// returns "" for an in-process Redis.
func RedisTestURL(t testing.TB) string {
	t.Helper()
	base := RedisURL()
	if base == "" {
		return ""
	}
	opt, err := redis.ParseURL(base)
	if err != nil {
		t.Fatalf("testkit: QIJIAN_TEST_REDIS_URL: %v", err)
	}
	ctx := context.Background()
	c := redis.NewClient(opt)
	defer c.Close()
	n, err := c.Incr(ctx, "qijian:test:db").Result()
	if err != nil {
		t.Fatalf("testkit: QIJIAN_TEST_REDIS_URL is set but Redis does not answer: %v", err)
	}
	db := 1 + int(n%15)
	u := strings.TrimSuffix(strings.SplitN(base, "?", 2)[0], "/")
	if i := strings.LastIndex(u, "/"); i > len("redis://") {
		u = u[:i]
	}
	u = fmt.Sprintf("%s/%d", u, db)
	opt2, _ := redis.ParseURL(u)
	c2 := redis.NewClient(opt2)
	defer c2.Close()
	if err := c2.FlushDB(ctx).Err(); err != nil {
		t.Fatalf("testkit: flush redis db %d: %v", db, err)
	}
	return u
}

// Queue opens a queue for t: the real Redis (own database) when set, else in-process.
func Queue(t testing.TB) *workflows.Queue {
	t.Helper()
	q, err := workflows.OpenQueue(context.Background(), RedisTestURL(t))
	if err != nil {
		t.Fatalf("testkit: queue: %v", err)
	}
	t.Cleanup(q.Close)
	return q
}

// Sent counts, per recipient, the messages of kind ("" for any) sent so far: those already in
// inboxes and those still queued for delivery. Tests and the fault bench use it to check that an
// event told exactly the people it should, whichever path each message took.
func Sent(ctx context.Context, st *store.Store, kind string) (map[uint]int, error) {
	out := map[uint]int{}
	var notes []store.Notification
	q := st.DB(ctx).Select("user_id", "kind")
	if kind != "" {
		q = q.Where("kind = ?", kind)
	}
	if err := q.Find(&notes).Error; err != nil {
		return nil, fmt.Errorf("testkit: sent: %w", err)
	}
	for _, n := range notes {
		out[n.UserID]++
	}
	var rows []store.OutboxRow
	if err := st.DB(ctx).Where("task_type = ? AND done_at IS NULL", message.TaskDeliver).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("testkit: sent: %w", err)
	}
	for _, r := range rows {
		var m message.Message
		if json.Unmarshal([]byte(r.Payload), &m) == nil && (kind == "" || m.Kind == kind) {
			out[m.UserID]++
		}
	}
	return out, nil
}
