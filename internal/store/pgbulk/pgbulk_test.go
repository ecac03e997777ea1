package pgbulk

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"gorm.io/gorm/schema"
)

// The shapes of two of the store's buffered models, as the builder sees them.
type deadline struct {
	ID         uint64 `gorm:"primaryKey"`
	OrderID    uint64
	Stage      string
	Round      int
	StartedAt  time.Time
	DueAt      time.Time
	RemindAt   time.Time
	RemindedAt *time.Time
	BreachedAt *time.Time
	MetAt      *time.Time
}

func (deadline) TableName() string { return "order_deadlines" }

type outbox struct {
	ID        uint64 `gorm:"primaryKey"`
	TaskType  string
	Payload   string
	CreatedAt time.Time
	RunAt     time.Time
	RelayedAt *time.Time
	DoneAt    *time.Time
	Attempts  int
	LastError string
}

func (outbox) TableName() string { return "outbox" }

func parse(t *testing.T, model any) *schema.Schema {
	t.Helper()
	sch, err := schema.Parse(model, &sync.Map{}, schema.NamingStrategy{})
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// The INSERT leaves out ids the database assigns, keeps ids taken ahead, numbers placeholders
// across tables, sends each column as a binary array of its type, fills a zero creation time as
// gorm's Create would, and has the same text for any number of rows (so PostgreSQL keeps it
// prepared).
func TestInsertSQLAndArgs(t *testing.T) {
	t.Parallel()
	var b Builder
	dsch, osch := parse(t, &deadline{}), parse(t, &outbox{})
	at := time.Date(2026, 3, 2, 9, 0, 0, 123456789, time.FixedZone("CST", 8*3600))
	now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	due := []deadline{{ID: 7, OrderID: 3, Stage: "accept", Round: 1, StartedAt: at, DueAt: at, RemindAt: at}}
	out := []*outbox{{TaskType: "a", Payload: "{}", CreatedAt: at, RunAt: at}, {TaskType: "b", Payload: "{}", RunAt: at}}
	sql, args, err := b.Insert([]Table{{dsch, due}, {osch, out}}, now)
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
	if len(args) != 18 {
		t.Fatalf("%d args, want 18: %v", len(args), args)
	}
	if ids, ok := args[0].(binCol[pgtype.Int8]); !ok || len(ids) != 1 || ids[0] != (pgtype.Int8{Int64: 7, Valid: true}) {
		t.Fatalf("ids: %#v", args[0])
	}
	if stage, ok := args[2].(binCol[pgtype.Text]); !ok || stage[0] != (pgtype.Text{String: "accept", Valid: true}) {
		t.Fatalf("stage: %#v", args[2])
	}
	if tasks, ok := args[10].(binCol[pgtype.Text]); !ok || len(tasks) != 2 || tasks[0].String != "a" || tasks[1].String != "b" {
		t.Fatalf("task types: %#v", args[10])
	}
	if met, ok := args[9].(binCol[pgtype.Timestamptz]); !ok || met[0].Valid {
		t.Fatalf("a nil time is not NULL: %#v", args[9])
	}
	if due, ok := args[5].(binCol[pgtype.Timestamptz]); !ok || !due[0].Valid || !due[0].Time.Equal(at) {
		t.Fatalf("due: %#v", args[5])
	}
	if created := args[12].(binCol[pgtype.Timestamptz]); !created[0].Time.Equal(at) || !created[1].Time.Equal(now) {
		t.Fatalf("a zero created_at is not filled with now: %#v", created)
	}
	if !out[1].CreatedAt.IsZero() {
		t.Fatal("the builder wrote into the caller's rows")
	}
	if attempts := args[16].(binCol[pgtype.Int8]); attempts[1] != (pgtype.Int8{Int64: 0, Valid: true}) {
		t.Fatalf("a zero int is not 0: %#v", attempts)
	}
	out3 := append(out, &outbox{TaskType: "c", RunAt: at})
	sql3, args3, err := b.Insert([]Table{{dsch, due}, {osch, &out3}}, now)
	if err != nil || sql3 != sql || len(args3[10].(binCol[pgtype.Text])) != 3 {
		t.Fatalf("the text changes with the number of rows (%v):\n%s", err, sql3)
	}
	// One table alone is a plain INSERT, its placeholders from $1.
	sql1, _, err := b.Insert([]Table{{osch, out}}, now)
	if err != nil || !strings.HasPrefix(sql1, `INSERT INTO "outbox" (`) || !strings.Contains(sql1, "unnest($1::text[],") {
		t.Fatalf("one table: %v\n%s", err, sql1)
	}
}

// Rows that carry their ids send them; a mix of given and zero ids is refused, where gorm's
// Create would send DEFAULT for the zero ones.
func TestInsertIDs(t *testing.T) {
	t.Parallel()
	var b Builder
	osch := parse(t, &outbox{})
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	sql, args, err := b.Insert([]Table{{osch, []outbox{{ID: 1 << 40, TaskType: "a", RunAt: at}}}}, at)
	if err != nil || !strings.HasPrefix(sql, `INSERT INTO "outbox" ("id","task_type"`) || args[0].(binCol[pgtype.Int8])[0].Int64 != 1<<40 {
		t.Fatalf("given ids: %v %s %#v", err, sql, args)
	}
	_, _, err = b.Insert([]Table{{osch, []outbox{{ID: 5, RunAt: at}, {RunAt: at}}}}, at)
	if err == nil || !strings.Contains(err.Error(), "some rows carry their id") {
		t.Fatalf("a mix of ids: %v", err)
	}
	if _, _, err := b.Insert([]Table{{osch, []outbox{}}}, at); err == nil {
		t.Fatal("an empty slice is accepted")
	}
}

type big struct {
	ID uint64 `gorm:"primaryKey"`
	N  uint64
}

// An unsigned value beyond bigint is an error naming the column, not a wrap to a negative.
func TestInsertRefusesUnsignedBeyondBigint(t *testing.T) {
	t.Parallel()
	var b Builder
	_, _, err := b.Insert([]Table{{parse(t, &big{}), []big{{ID: 1, N: 1 << 63}}}}, time.Now())
	if err == nil || !strings.Contains(err.Error(), "bigs.n") {
		t.Fatalf("want an error naming bigs.n: %v", err)
	}
}

type doc struct {
	ID    uint   `gorm:"primaryKey"`
	Body  string `gorm:"type:jsonb"`
	Small int    `gorm:"type:integer"`
	Blob  []byte
	Note  *string `gorm:"type:varchar(20)"`
}

// A column whose type differs from its Go type's goes as an array literal, cast in the SELECT:
// quotes and backslashes escaped inside an element, NULL bare and the word "NULL" quoted.
func TestInsertTextPath(t *testing.T) {
	t.Parallel()
	var b Builder
	null := "NULL"
	rows := []doc{{ID: 1, Body: `{"a":"b\\c"}`, Small: -3, Blob: []byte{0, 0xff}, Note: &null}, {ID: 2, Body: "{}"}}
	sql, args, err := b.Insert([]Table{{parse(t, &doc{}), rows}}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	want := `INSERT INTO "docs" ("id","body","small","blob","note") SELECT c0,c1::jsonb,c2::integer,c3::bytea,c4::varchar(20) ` +
		`FROM unnest($1::bigint[],$2::text::text[],$3::text::text[],$4::text::text[],$5::text::text[]) AS u(c0,c1,c2,c3,c4)`
	if sql != want {
		t.Fatalf("sql:\n%s\nwant:\n%s", sql, want)
	}
	for i, w := range []string{`{"{\"a\":\"b\\\\c\"}","{}"}`, `{"-3","0"}`, `{"\\x00ff","\\x"}`, `{"NULL",NULL}`} {
		if args[i+1] != w {
			t.Errorf("column %d: %v, want %v", i+1, args[i+1], w)
		}
	}
}
