package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The commit-time INSERT leaves out ids the database assigns, keeps ids reserved ahead, numbers
// placeholders across sets, and fills a zero creation time as gorm's Create would.
func TestCombinedInsertSQL(t *testing.T) {
	st, err := Open(context.Background(), "", filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	due := []Deadline{{ID: 7, OrderID: 3, Stage: "accept", Round: 1, StartedAt: at, DueAt: at, RemindAt: at}}
	out := []OutboxRow{{TaskType: "a", Payload: "{}", CreatedAt: at, RunAt: at}, {TaskType: "b", Payload: "{}", RunAt: at}}
	sql, vars, err := st.combinedInsert([]any{due, out})
	if err != nil {
		t.Fatal(err)
	}
	want := `WITH q0 AS (INSERT INTO "order_deadlines" ("id","order_id","stage","round","started_at","due_at","remind_at","reminded_at","breached_at","met_at") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)) ` +
		`INSERT INTO "outbox" ("task_type","payload","created_at","run_at","relayed_at","done_at","attempts","last_error") VALUES ($11,$12,$13,$14,$15,$16,$17,$18),($19,$20,$21,$22,$23,$24,$25,$26)`
	if sql != want {
		t.Fatalf("sql:\n%s\nwant:\n%s", sql, want)
	}
	if len(vars) != 26 || vars[0] != uint64(7) || vars[10] != "a" || vars[12] != at {
		t.Fatalf("vars: %v", vars)
	}
	if c, ok := vars[20].(time.Time); !ok || c.IsZero() || !strings.Contains(sql, "$21") {
		t.Fatalf("a zero created_at is not filled: %v", vars[20])
	}
}
