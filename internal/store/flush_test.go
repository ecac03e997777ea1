package store

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The commit-time INSERT leaves out ids the database assigns, keeps ids reserved ahead, numbers
// placeholders across sets, fills a zero creation time as gorm's Create would, and has the same
// text for any number of rows (so PostgreSQL keeps it prepared).
func TestCombinedInsertSQL(t *testing.T) {
	st, err := Open(context.Background(), "", filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := time.Date(2026, 3, 2, 9, 0, 0, 123456789, time.FixedZone("CST", 8*3600))
	due := []Deadline{{ID: 7, OrderID: 3, Stage: "accept", Round: 1, StartedAt: at, DueAt: at, RemindAt: at}}
	out := []OutboxRow{{TaskType: "a", Payload: "{}", CreatedAt: at, RunAt: at}, {TaskType: "b", Payload: "{}", RunAt: at}}
	sql, vars, err := st.combinedInsert([]any{due, out})
	if err != nil {
		t.Fatal(err)
	}
	want := `WITH q0 AS (INSERT INTO "order_deadlines" ("id","order_id","stage","round","started_at","due_at","remind_at","reminded_at","breached_at","met_at") ` +
		`SELECT c0::bigint,c1::bigint,c2::text,c3::bigint,c4::timestamptz,c5::timestamptz,c6::timestamptz,c7::timestamptz,c8::timestamptz,c9::timestamptz ` +
		`FROM unnest($1::text::text[],$2::text::text[],$3::text::text[],$4::text::text[],$5::text::text[],$6::text::text[],$7::text::text[],$8::text::text[],$9::text::text[],$10::text::text[]) AS u(c0,c1,c2,c3,c4,c5,c6,c7,c8,c9)) ` +
		`INSERT INTO "outbox" ("task_type","payload","created_at","run_at","relayed_at","done_at","attempts","last_error") ` +
		`SELECT c0::text,c1::text,c2::timestamptz,c3::timestamptz,c4::timestamptz,c5::timestamptz,c6::bigint,c7::text ` +
		`FROM unnest($11::text::text[],$12::text::text[],$13::text::text[],$14::text::text[],$15::text::text[],$16::text::text[],$17::text::text[],$18::text::text[]) AS u(c0,c1,c2,c3,c4,c5,c6,c7)`
	if sql != want {
		t.Fatalf("sql:\n%s\nwant:\n%s", sql, want)
	}
	if len(vars) != 18 || vars[0] != `{"7"}` || vars[10] != `{"a","b"}` || vars[7] != `{NULL}` {
		t.Fatalf("vars: %v", vars)
	}
	// Times go as UTC, cut (not rounded) to the microsecond, as pgx's binary form does.
	if vars[4] != `{"2026-03-02 01:00:00.123456+00"}` {
		t.Fatalf("a time's text: %q", vars[4])
	}
	if c := vars[12].(string); !strings.HasPrefix(c, `{"2026-03-02 01:00:00.123456+00","`) || strings.Contains(c, "0001-01-01") {
		t.Fatalf("a zero created_at is not filled: %v", c)
	}
	// Quotes and backslashes are escaped inside an element; NULL as text stays quoted.
	if got := string(appendEscaped(nil, `a"b\c`)); got != `a\"b\\c` {
		t.Fatalf("escaped: %s", got)
	}
	out3 := append(out, OutboxRow{TaskType: "c", RunAt: at})
	sql3, _, err := st.combinedInsert([]any{due, out3})
	if err != nil || sql3 != sql {
		t.Fatalf("the text changes with the number of rows (%v):\n%s", err, sql3)
	}
}

// appendTimestamp writes what time's own formatting wrote before it, for any instant and zone.
func TestAppendTimestampMatchesTimeFormat(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("CST", 8*3600), time.FixedZone("W", -5*3600-1800)}
	r := rand.New(rand.NewPCG(1, 2))
	times := []time.Time{{}, time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(2026, 11, 29, 8, 0, 0, 1000, time.UTC), time.Date(2026, 11, 29, 8, 0, 0, 999, time.UTC), time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC)}
	for range 2000 {
		times = append(times, time.Unix(r.Int64N(5e9)-1e9, r.Int64N(1e9)))
	}
	for _, tm := range times {
		for _, z := range zones {
			tz := tm.In(z)
			want := tz.UTC().Truncate(time.Microsecond).Format("2006-01-02 15:04:05.999999") + "+00"
			if got := string(appendTimestamp(nil, tz)); got != want {
				t.Fatalf("%v: %q, want %q", tz, got, want)
			}
		}
	}
}
