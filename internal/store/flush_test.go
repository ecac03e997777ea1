package store

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

// The commit-time INSERT leaves out ids the database assigns, keeps ids reserved ahead, numbers
// placeholders across sets, sends each column as a binary array of its type, fills a zero
// creation time as gorm's Create would, and has the same text for any number of rows (so
// PostgreSQL keeps it prepared).
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
		`SELECT c0,c1,c2,c3,c4,c5,c6,c7,c8,c9 ` +
		`FROM unnest($1::bigint[],$2::bigint[],$3::text[],$4::bigint[],$5::timestamptz[],$6::timestamptz[],$7::timestamptz[],$8::timestamptz[],$9::timestamptz[],$10::timestamptz[]) AS u(c0,c1,c2,c3,c4,c5,c6,c7,c8,c9)) ` +
		`INSERT INTO "outbox" ("task_type","payload","created_at","run_at","relayed_at","done_at","attempts","last_error") ` +
		`SELECT c0,c1,c2,c3,c4,c5,c6,c7 ` +
		`FROM unnest($11::text[],$12::text[],$13::timestamptz[],$14::timestamptz[],$15::timestamptz[],$16::timestamptz[],$17::bigint[],$18::text[]) AS u(c0,c1,c2,c3,c4,c5,c6,c7)`
	if sql != want {
		t.Fatalf("sql:\n%s\nwant:\n%s", sql, want)
	}
	if len(vars) != 18 {
		t.Fatalf("vars: %v", vars)
	}
	// Each column is a binary array of its own type, a nil pointer a NULL element.
	if ids, ok := vars[0].(binCol[pgtype.Int8]); !ok || len(ids) != 1 || ids[0] != (pgtype.Int8{Int64: 7, Valid: true}) {
		t.Fatalf("ids: %#v", vars[0])
	}
	if tasks, ok := vars[10].(binCol[pgtype.Text]); !ok || len(tasks) != 2 || tasks[0].String != "a" || tasks[1].String != "b" {
		t.Fatalf("task types: %#v", vars[10])
	}
	if met, ok := vars[9].(binCol[pgtype.Timestamptz]); !ok || met[0].Valid {
		t.Fatalf("a nil time is not NULL: %#v", vars[9])
	}
	if due, ok := vars[5].(binCol[pgtype.Timestamptz]); !ok || !due[0].Valid || !due[0].Time.Equal(at) {
		t.Fatalf("due: %#v", vars[5])
	}
	if created := vars[12].(binCol[pgtype.Timestamptz]); !created[0].Time.Equal(at) || created[1].Time.IsZero() {
		t.Fatalf("a zero created_at is not filled: %#v", created)
	}
	// A column whose type differs from its Go type's goes as an array literal, cast in the SELECT.
	type doc struct {
		ID   uint   `gorm:"primaryKey"`
		Body string `gorm:"type:jsonb"`
	}
	sqlDoc, varsDoc, err := st.combinedInsert([]any{[]doc{{ID: 1, Body: `{"a":"b\\c"}`}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `INSERT INTO "docs" ("id","body") SELECT c0,c1::jsonb FROM unnest($1::bigint[],$2::text::text[]) AS u(c0,c1)`; sqlDoc != want {
		t.Fatalf("sql:\n%s\nwant:\n%s", sqlDoc, want)
	}
	if varsDoc[1] != `{"{\"a\":\"b\\\\c\"}"}` {
		t.Fatalf("array literal: %v", varsDoc[1])
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
