// Package pgbulk builds the store's commit-time INSERT for PostgreSQL: every table a transaction
// buffered in one statement, each table's INSERT a data-modifying CTE of the next, each column
// one array parameter. It is a pure function of the tables' gorm schemas and rows (it opens no
// connection), so its SQL and arguments are tested without a database, and Check refuses, before
// any row is written, a model whose gorm tags it would not honour as gorm's Create does.
package pgbulk

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/jackc/pgx/v5/pgtype"
	"gorm.io/gorm/schema"
)

// Table is one table's rows: its gorm schema (passed by Check) and a non-empty slice of the
// schema's model, or of pointers to it, or a pointer to such a slice.
type Table struct {
	Schema *schema.Schema
	Rows   any
}

// Builder builds INSERTs. It keeps each table shape's text and column kinds, so that the text
// and the work of choosing each column's encoding are done once per shape; it is safe for
// concurrent use and is meant to live as long as the pool.
type Builder struct {
	shapes sync.Map // shapeKey → *shape
}

// Insert is the statement that inserts every table's rows, in order, and its arguments:
// WITH q0 AS (INSERT …), q1 AS (INSERT …) INSERT …, with one argument per column (see
// Builder.table). now fills the creation and update times left zero, as gorm's NowFunc does.
//
// The text depends only on which tables and columns are written, never on how many rows, so
// PostgreSQL prepares it once per connection and keeps its plan (pgx's
// QueryExecModeCacheStatement), where a VALUES list was parsed and planned anew for every batch.
func (b *Builder) Insert(tables []Table, now time.Time) (string, []any, error) {
	var sb strings.Builder
	var args []any
	for i, t := range tables {
		switch {
		case i == 0 && len(tables) > 1:
			sb.WriteString("WITH q0 AS (")
		case i == 0:
		case i < len(tables)-1:
			fmt.Fprintf(&sb, "), q%d AS (", i)
		default:
			sb.WriteString(") ")
		}
		var err error
		if args, err = b.table(&sb, args, t, now); err != nil {
			return "", nil, err
		}
	}
	return sb.String(), args, nil
}

// table appends to sb the INSERT of t's rows as INSERT … SELECT … FROM unnest($n::bigint[],
// $m::text[], …): each column's values go as one array parameter, in binary for the column
// types PostgreSQL can take so (integers, text, booleans, floats, times), and as an array literal
// in one text parameter, cast in the SELECT, for any other. It returns args with those
// parameters added. It writes what gorm's Create would (Check refuses what it would not): every
// creatable column, the auto-increment id only when the rows carry ids, and the creation and
// update times filled in where zero; unlike Create it does not write them back into the rows.
//
// Binary arrays spare PostgreSQL parsing every value's text: array_in and the casts were a sixth
// of its CPU in the submissions of go run ./bench load. Each binary column is a slice of pgtype
// values whose elements pgx encodes through pointers, without reflection or an allocation each
// (a []*string went through pgx's reflection: a tenth of the submit path's CPU).
func (b *Builder) table(sb *strings.Builder, args []any, t Table, now time.Time) ([]any, error) {
	sch := t.Schema
	rows := reflect.Indirect(reflect.ValueOf(t.Rows))
	if rows.Kind() != reflect.Slice || rows.Len() == 0 {
		return nil, fmt.Errorf("pgbulk: %s: want a non-empty slice, got %T", sch.Table, t.Rows)
	}
	withID, err := carriesIDs(sch, rows)
	if err != nil {
		return nil, err
	}
	sh, err := b.shapeOf(sch, withID, len(args))
	if err != nil {
		return nil, err
	}
	sb.WriteString(sh.text)
	n := rows.Len()
	for j, f := range sh.cols {
		autoTime := f.AutoCreateTime > 0 || f.AutoUpdateTime > 0
		// value is row i's field, pointers followed; ok is false for a nil pointer (NULL).
		value := func(i int) (v reflect.Value, ok bool) {
			v = reflect.Indirect(rows.Index(i)).FieldByIndex(f.StructField.Index)
			for v.Kind() == reflect.Pointer {
				if v.IsNil() {
					return v, false
				}
				v = v.Elem()
			}
			return v, true
		}
		var col any
		var err error
		switch sh.bin[j] {
		case "bigint":
			col, err = binColumn(n, value, func(v reflect.Value) (pgtype.Int8, error) {
				x, err := int64Of(v)
				return pgtype.Int8{Int64: x, Valid: true}, err
			})
		case "text":
			col, err = binColumn(n, value, func(v reflect.Value) (pgtype.Text, error) { return pgtype.Text{String: v.String(), Valid: true}, nil })
		case "boolean":
			col, err = binColumn(n, value, func(v reflect.Value) (pgtype.Bool, error) { return pgtype.Bool{Bool: v.Bool(), Valid: true}, nil })
		case "double precision":
			col, err = binColumn(n, value, func(v reflect.Value) (pgtype.Float8, error) {
				return pgtype.Float8{Float64: v.Float(), Valid: true}, nil
			})
		case "timestamptz":
			col, err = binColumn(n, value, func(v reflect.Value) (pgtype.Timestamptz, error) {
				t := timeOf(v)
				if autoTime && t == (time.Time{}) { // gorm's test: the zero value, not IsZero
					t = now
				}
				return pgtype.Timestamptz{Time: t, Valid: true}, nil
			})
		default:
			// A buffer per column, never written again once it becomes the parameter's string,
			// so the string shares its bytes instead of copying them.
			buf := append(make([]byte, 0, 32*n+2), '{')
			for i := 0; i < n; i++ {
				if i > 0 {
					buf = append(buf, ',')
				}
				v := reflect.Indirect(rows.Index(i)).FieldByIndex(f.StructField.Index)
				if autoTime && v.Type() == timeType && timeOf(v) == (time.Time{}) {
					v = reflect.ValueOf(now)
				}
				if buf, err = appendArrayElem(buf, v); err != nil {
					break
				}
			}
			buf = append(buf, '}')
			col = unsafe.String(unsafe.SliceData(buf), len(buf))
		}
		if err != nil {
			return nil, fmt.Errorf("pgbulk: %s.%s: %w", sch.Table, f.DBName, err)
		}
		args = append(args, col)
	}
	return args, nil
}

// carriesIDs tells whether the rows carry their database-numbered ids (ids taken ahead, as
// ReserveIDs does) or leave them to the database. gorm's Create sends DEFAULT for a zero id
// beside another row's given one; one array per column cannot, so a mix is an error.
func carriesIDs(sch *schema.Schema, rows reflect.Value) (bool, error) {
	f := numbered(sch)
	if f == nil {
		return true, nil
	}
	ctx := context.Background()
	_, zero := f.ValueOf(ctx, rows.Index(0))
	for i := 1; i < rows.Len(); i++ {
		if _, z := f.ValueOf(ctx, rows.Index(i)); z != zero {
			return false, fmt.Errorf("pgbulk: %s: some rows carry their %s and some do not", sch.Table, f.DBName)
		}
	}
	return !zero, nil
}

// numbered is the column the database numbers when a row leaves it zero (the auto-increment
// primary key), or nil.
func numbered(sch *schema.Schema) *schema.Field {
	for _, f := range sch.Fields {
		if f.DBName != "" && f.Creatable && (f.AutoIncrement || (f.PrimaryKey && f.HasDefaultValue)) {
			return f
		}
	}
	return nil
}

// shapeKey keys the kept shapes: a schema, whether its rows carry their ids, the first
// placeholder's number less one.
type shapeKey struct {
	sch    *schema.Schema
	withID bool
	first  int
}

// shape is the INSERT text of a table's columns with placeholders from first+1, its columns,
// and each column's binary type ("" for the text path).
type shape struct {
	text string
	cols []*schema.Field
	bin  []string
}

// shapeOf is the shape for a table's rows, worked out (and the schema checked) once per key.
func (b *Builder) shapeOf(sch *schema.Schema, withID bool, first int) (*shape, error) {
	key := shapeKey{sch, withID, first}
	if sh, ok := b.shapes.Load(key); ok {
		return sh.(*shape), nil
	}
	if err := Check(sch); err != nil {
		return nil, err
	}
	id := numbered(sch)
	var cols []*schema.Field
	for _, f := range sch.Fields {
		if f.DBName == "" || !f.Creatable || (f == id && !withID) {
			continue
		}
		cols = append(cols, f)
	}
	bin := make([]string, len(cols))
	for j, f := range cols {
		bin[j] = binType(f)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, `INSERT INTO %q (`, sch.Table)
	for j, f := range cols {
		if j > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, "%q", f.DBName)
	}
	sb.WriteString(") SELECT ")
	for j, f := range cols {
		if j > 0 {
			sb.WriteByte(',')
		}
		if bin[j] != "" {
			fmt.Fprintf(&sb, "c%d", j) // already of its type; assignment narrows it (integer, varchar(n))
		} else {
			fmt.Fprintf(&sb, "c%d::%s", j, sqlType(f))
		}
	}
	sb.WriteString(" FROM unnest(")
	for j := range cols {
		if j > 0 {
			sb.WriteByte(',')
		}
		if bt := bin[j]; bt != "" {
			fmt.Fprintf(&sb, "$%d::%s[]", first+j+1, bt)
		} else {
			fmt.Fprintf(&sb, "$%d::text::text[]", first+j+1)
		}
	}
	sb.WriteString(") AS u(")
	for j := range cols {
		if j > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, "c%d", j)
	}
	sb.WriteByte(')')
	sh := &shape{sb.String(), cols, bin}
	b.shapes.Store(key, sh)
	return sh, nil
}
