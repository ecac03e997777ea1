package pgbulk_test

import (
	"context"
	"database/sql"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm/schema"

	"qijian/internal/store/pgbulk"
	"qijian/internal/testkit"
)

// kinds has a column of each type that takes the text path (an array literal cast in the
// SELECT) beside binary ones: none of the store's models has one today, so this keeps that path
// honest.
type kinds struct {
	ID      uint64 `gorm:"primaryKey"`
	Doc     string `gorm:"type:jsonb"`
	Small   int    `gorm:"type:integer"`
	Short   string `gorm:"type:varchar(40)"`
	Blob    []byte
	Note    sql.NullString
	Seen    sql.NullTime
	Count   sql.NullInt64
	Ratio   float64
	Flag    *bool
	Created time.Time `gorm:"autoCreateTime"`
}

// On PostgreSQL, rows written by the builder read back exactly as those gorm's Create writes,
// text-path columns included: quotes and backslashes in jsonb and varchar, bytes, Valuers and
// their NULLs, times through a Valuer (appendTimestamp's text) at the microsecond.
func TestInsertMatchesCreateOnPostgres(t *testing.T) {
	t.Parallel()
	if testkit.PostgresURL() == "" {
		t.Skip("PostgreSQL only: set QIJIAN_TEST_DATABASE_URL")
	}
	ctx := context.Background()
	byCreate, byBuilder := testkit.RawStore(t), testkit.RawStore(t)
	cst := time.FixedZone("CST", 8*3600)
	at := time.Date(2026, 3, 2, 9, 30, 0, 123456789, cst)
	yes := true
	rows := func() []kinds {
		return []kinds{
			{ID: 1, Doc: `{"a":"b\"c\\d","e":[1,{"f":null}]}`, Small: -7, Short: `引号"和\反斜杠`, Blob: []byte{0, 1, 0xfe, '"', '\\'},
				Note: sql.NullString{String: "NULL", Valid: true}, Seen: sql.NullTime{Time: at, Valid: true}, Count: sql.NullInt64{Int64: 1 << 40, Valid: true},
				Ratio: 0.1, Flag: &yes, Created: at},
			{ID: 2, Doc: `"x"`, Blob: []byte{}, Ratio: -1e300, Created: at.Add(time.Nanosecond)},
		}
	}
	if err := byCreate.Gorm().Migrator().CreateTable(&kinds{}); err != nil {
		t.Fatal(err)
	}
	if err := byBuilder.Gorm().Migrator().CreateTable(&kinds{}); err != nil {
		t.Fatal(err)
	}
	if err := byCreate.Gorm().Create(rows()).Error; err != nil {
		t.Fatal(err)
	}
	sch, err := schema.Parse(&kinds{}, &sync.Map{}, byBuilder.Gorm().NamingStrategy)
	if err != nil {
		t.Fatal(err)
	}
	if err := pgbulk.Check(sch); err != nil {
		t.Fatal(err)
	}
	var b pgbulk.Builder
	text, args, err := b.Insert([]pgbulk.Table{{Schema: sch, Rows: rows()}}, time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	pool := byBuilder.Gorm().Statement.ConnPool
	if _, err := pool.ExecContext(ctx, text, append([]any{pgx.QueryExecModeCacheStatement}, args...)...); err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	var want, got []map[string]any
	if err := byCreate.Gorm().Table("kinds").Order("id").Find(&want).Error; err != nil {
		t.Fatal(err)
	}
	if err := byBuilder.Gorm().Table("kinds").Order("id").Find(&got).Error; err != nil {
		t.Fatal(err)
	}
	if len(want) != 2 || len(got) != 2 {
		t.Fatalf("%d and %d rows", len(want), len(got))
	}
	for i := range want {
		for col, w := range want[i] {
			if g := got[i][col]; !reflect.DeepEqual(g, w) {
				t.Errorf("row %d %s: %#v, Create wrote %#v", i, col, g, w)
			}
		}
	}
}
