package pgbulk

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
)

type withDefault struct {
	ID     uint64 `gorm:"primaryKey"`
	Status string `gorm:"default:new"`
}

type withHook struct{ ID uint64 }

func (*withHook) BeforeCreate(*gorm.DB) error { return nil }

type withAfterSave struct{ ID uint64 }

func (*withAfterSave) AfterSave(*gorm.DB) error { return nil }

type withSerializer struct {
	ID   uint64
	Tags []string `gorm:"serializer:json"`
}

type withUnixTime struct {
	ID        uint64
	CreatedAt int64
}

type withMilliTime struct {
	ID      uint64
	Stamped int64 `gorm:"autoCreateTime:milli"`
}

type withPointerTime struct {
	ID        uint64
	CreatedAt *time.Time
}

type withMap struct {
	ID    uint64
	Attrs map[string]string `gorm:"type:jsonb"`
}

type withLocalTime struct {
	ID uint64
	At time.Time `gorm:"type:timestamp"`
}

type owner struct {
	ID    uint64
	Items []item
}

type item struct {
	ID      uint64
	OwnerID uint64
}

// Inner is exported: gorm embeds no unexported struct.
type Inner struct{ Remark string }

type withEmbeddedPointer struct {
	ID uint64
	*Inner
}

type withSecondCounter struct {
	ID  uint64
	Seq int64 `gorm:"autoIncrement"`
}

// Supported: what the store's models use, and Valuers, embedded structs, read-only and ignored
// fields.
type fine struct {
	ID        uint64 `gorm:"primaryKey"`
	Name      string
	Note      sql.NullString
	Seen      sql.NullTime
	Body      string `gorm:"type:jsonb"`
	Blob      []byte
	Ratio     float64
	Flag      *bool
	Derived   string `gorm:"->"`
	Ignored   string `gorm:"-"`
	CreatedAt time.Time
	UpdatedAt time.Time
	Inner
}

// Check names the model and the field (or the hook) that the builder would not honour, and
// passes the shapes it does.
func TestCheck(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		model any
		want  string // "" for none
	}{
		{&fine{}, ""},
		{&deadline{}, ""},
		{&withDefault{}, "field Status (column status): has a default: tag"},
		{&withHook{}, "withHook (table with_hooks): has a BeforeCreate hook"},
		{&withAfterSave{}, "has an AfterSave hook"},
		{&withSerializer{}, "field Tags (column tags): has a serializer"},
		{&withUnixTime{}, "field CreatedAt (column created_at): autoCreateTime or autoUpdateTime on a int64"},
		{&withMilliTime{}, "field Stamped (column stamped): autoCreateTime"},
		{&withPointerTime{}, "field CreatedAt (column created_at): autoCreateTime or autoUpdateTime on a *time.Time"},
		{&withMap{}, "field Attrs (column attrs): map[string]string has no database form"},
		{&withLocalTime{}, "field At (column at): a time in a timestamp column"},
		{&owner{}, "owner (table owners): has associations"},
		{&withEmbeddedPointer{}, "field Remark (column remark): is in an embedded struct behind a pointer"},
		{&withSecondCounter{}, "field Seq (column seq): is a second auto-increment column"},
	} {
		err := Check(parse(t, tc.model))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%T: refused: %v", tc.model, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%T: %v, want an error with %q", tc.model, err, tc.want)
		}
	}
}

// Insert checks a shape before it builds it, so a model the store did not check is refused too.
func TestInsertChecks(t *testing.T) {
	t.Parallel()
	var b Builder
	_, _, err := b.Insert([]Table{{parse(t, &withDefault{}), []withDefault{{ID: 1}}}}, time.Now())
	if err == nil || !strings.Contains(err.Error(), "default:") {
		t.Fatalf("a default: tag went through: %v", err)
	}
}
