package store

import (
	"context"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"gorm.io/gorm"
	"gorm.io/gorm/schema"
)

// QueueInsert adds rows (a slice of models whose ids are already set, e.g. by ReserveIDs) to
// ctx's transaction's buffer: they are inserted with the outbox, inbox and audit rows just before
// it commits. Nothing in the transaction may read them back before then. Outside a transaction
// they are inserted at once.
func (s *Store) QueueInsert(ctx context.Context, rows any) error {
	if buf, ok := ctx.Value(outboxKey{}).(*txBuffer); ok {
		buf.later = append(buf.later, rows)
		return nil
	}
	return mapErr("insert", s.DB(ctx).Create(rows).Error)
}

// flush writes a transaction's buffered rows. On PostgreSQL they go as one statement (each
// table's INSERT a data-modifying CTE of the last), so the whole buffer costs one round trip;
// on SQLite, which is in-process, one statement per table.
func (s *Store) flush(ctx context.Context, b *txBuffer) error {
	return s.flushOn(ctx, s.DB(ctx), b)
}

// flushOn is flush through db: the transaction's, or (WithLazyTx, on PostgreSQL) the pool's.
func (s *Store) flushOn(ctx context.Context, db *gorm.DB, b *txBuffer) error {
	var sets []any
	for _, set := range append(slices.Clip(b.later), b.outbox, b.audit, b.notes) {
		if reflectLen(set) > 0 {
			sets = append(sets, set)
		}
	}
	if len(sets) == 0 {
		return nil
	}
	if s.Dialect == "postgres" {
		sql, vars, err := s.combinedInsert(sets)
		if err != nil {
			return err
		}
		// Straight to the transaction's connection (gorm's Exec would take the $n for its own).
		// Each column goes as one array, so the text depends only on which tables and columns
		// are written, not on how many rows: it is prepared once per connection and its plan
		// kept, where a VALUES list per batch was parsed and planned anew every time.
		args := append([]any{pgx.QueryExecModeCacheStatement}, vars...)
		if _, err := db.Statement.ConnPool.ExecContext(ctx, sql, args...); err != nil {
			return mapErr("flush", err)
		}
		return nil
	}
	for _, set := range sets {
		if err := db.CreateInBatches(set, 500).Error; err != nil {
			return mapErr("flush", err)
		}
	}
	return nil
}

// combinedInsert builds WITH q0 AS (INSERT …), q1 AS (INSERT …) INSERT … from the sets, one
// array-literal argument per column (see insertSQL).
func (s *Store) combinedInsert(sets []any) (string, []any, error) {
	var sb strings.Builder
	var vars []any
	for i, set := range sets {
		switch {
		case i == 0 && len(sets) > 1:
			sb.WriteString("WITH q0 AS (")
		case i == 0:
		case i < len(sets)-1:
			fmt.Fprintf(&sb, "), q%d AS (", i)
		default:
			sb.WriteString(") ")
		}
		var err error
		if vars, err = s.insertSQL(&sb, vars, set); err != nil {
			return "", nil, err
		}
	}
	return sb.String(), vars, nil
}

// insertSQL appends to sb the INSERT of set (a slice of models or of pointers to models) as
// INSERT … SELECT … FROM unnest($n::bigint[], $m::text[], …): each column's values go as one
// array parameter, in binary for the column types PostgreSQL can take so (integers, text,
// booleans, floats, times), and as an array literal in one text parameter, cast in the SELECT,
// for any other. It returns vars with those parameters added. It writes what gorm's Create
// would, from the same parsed schema, without the callbacks and clause building that cost the
// submit path a twelfth of its CPU: every creatable column, the auto-increment id only when the
// rows carry ids, and creation times filled in where zero.
//
// Binary arrays spare PostgreSQL parsing every value's text: array_in and the casts were a sixth
// of its CPU in the submissions of go run ./bench load. Each binary column is a slice of pgtype
// values whose elements pgx encodes through pointers, without reflection or an allocation each
// (a []*string went through pgx's reflection: a tenth of the submit path's CPU).
func (s *Store) insertSQL(sb *strings.Builder, vars []any, set any) ([]any, error) {
	rows := reflect.Indirect(reflect.ValueOf(set))
	sch, err := schema.Parse(set, &s.schemas, s.db.NamingStrategy)
	if err != nil {
		return nil, mapErr("flush schema", err)
	}
	if rows.Kind() != reflect.Slice || rows.Len() == 0 {
		return nil, fmt.Errorf("store: flush: %s: want a non-empty slice", sch.Table)
	}
	ctx := context.Background()
	var cols []*schema.Field
	for _, f := range sch.Fields {
		if f.DBName == "" || !f.Creatable {
			continue
		}
		if f.AutoIncrement || (f.PrimaryKey && f.HasDefaultValue) {
			if _, zero := f.ValueOf(ctx, rows.Index(0)); zero {
				continue // the database numbers these rows
			}
		}
		cols = append(cols, f)
	}
	shape := s.insertShapeOf(sch, cols, len(vars))
	sb.WriteString(shape.text)
	now := time.Now().UTC()
	n := rows.Len()
	for j, f := range cols {
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
		switch shape.bin[j] {
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
				if autoTime && t.IsZero() {
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
				if autoTime && v.Type() == timeType && timeOf(v).IsZero() {
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
			return nil, fmt.Errorf("store: flush: %s.%s: %w", sch.Table, f.DBName, err)
		}
		vars = append(vars, col)
	}
	return vars, nil
}

// binColumn is a column of n rows for pgx to send in binary: each row's value through conv, the
// zero T (NULL) where value finds a nil pointer.
func binColumn[T any](n int, value func(int) (reflect.Value, bool), conv func(reflect.Value) (T, error)) (binCol[T], error) {
	col := make(binCol[T], n)
	for i := range col {
		if v, ok := value(i); ok {
			x, err := conv(v)
			if err != nil {
				return nil, err
			}
			col[i] = x
		}
	}
	return col, nil
}

// binCol is one column's values as a one-dimensional array for pgx to send in binary. Index
// hands out a pointer into the slice, which pgx encodes through the pgtype value's own methods.
type binCol[T any] []T

func (c binCol[T]) Dimensions() []pgtype.ArrayDimension {
	return []pgtype.ArrayDimension{{Length: int32(len(c)), LowerBound: 1}}
}
func (c binCol[T]) Index(i int) any { return &c[i] }
func (c binCol[T]) IndexType() any  { return new(T) }

// binType is the array element type a column's values go as in binary: its sqlType, when that
// is the one its Go type has (a type: tag naming another, e.g. jsonb, takes the text path, whose
// cast converts), or "" for the text path.
func binType(f *schema.Field) string {
	t := f.FieldType
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if implementsValuer(t) || implementsValuer(reflect.PointerTo(t)) {
		return ""
	}
	var natural string
	switch t.Kind() {
	case reflect.String:
		natural = "text"
	case reflect.Bool:
		natural = "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		natural = "bigint"
	case reflect.Float32, reflect.Float64:
		natural = "double precision"
	case reflect.Struct:
		if t == timeType {
			natural = "timestamptz"
		}
	}
	if natural == "" || sqlType(f) != natural {
		return ""
	}
	return natural
}

// int64Of is an integer field's value; an unsigned one beyond int64 is an error, not a wrap.
func int64Of(v reflect.Value) (int64, error) {
	switch v.Kind() {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if u := v.Uint(); u > math.MaxInt64 {
			return 0, fmt.Errorf("%d is beyond bigint", u)
		}
		return int64(v.Uint()), nil
	}
	return v.Int(), nil
}

// insertKey keys the kept INSERT shapes: a table, how many of its columns, the first placeholder.
type insertKey struct {
	table       string
	cols, first int
}

// insertShape is the INSERT of insertSQL for a table's columns with placeholders from first+1,
// and each column's binType.
type insertShape struct {
	text string
	bin  []string
}

// insertShapeOf is the insertShape for a table's columns from placeholder first+1, worked out
// once per key and kept.
func (s *Store) insertShapeOf(sch *schema.Schema, cols []*schema.Field, first int) *insertShape {
	key := insertKey{sch.Table, len(cols), first}
	if t, ok := s.insertShapes.Load(key); ok {
		return t.(*insertShape)
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
	shape := &insertShape{sb.String(), bin}
	s.insertShapes.Store(key, shape)
	return shape
}

// sqlType is the PostgreSQL type a column's text is cast to: the one its schema names (gorm's
// own choice for the Go type, or a type: tag). Assignment narrows it to the column's exact type
// (integer, varchar(n)) as it would a parameter.
func sqlType(f *schema.Field) string {
	switch f.DataType {
	case schema.Bool:
		return "boolean"
	case schema.Int, schema.Uint:
		return "bigint"
	case schema.Float:
		return "double precision"
	case schema.String:
		return "text"
	case schema.Time:
		return "timestamptz"
	case schema.Bytes:
		return "bytea"
	}
	return string(f.DataType)
}

var (
	timeType   = reflect.TypeFor[time.Time]()
	valuerType = reflect.TypeFor[driver.Valuer]()
)

// appendArrayElem appends v to an array literal: NULL for a nil pointer, else its text form in
// double quotes, with backslashes and quotes escaped. Times go as UTC cut to the microsecond, as
// pgx's binary form does (PostgreSQL would round text's extra digits instead).
func appendArrayElem(b []byte, v reflect.Value) ([]byte, error) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return append(b, "NULL"...), nil
		}
		if implementsValuer(v.Type()) {
			break
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.String && v.Type() != timeType && implementsValuer(v.Type()) {
		x, err := v.Interface().(driver.Valuer).Value()
		if err != nil {
			return b, err
		}
		if x == nil {
			return append(b, "NULL"...), nil
		}
		return appendArrayElem(b, reflect.ValueOf(x))
	}
	b = append(b, '"')
	switch {
	case v.Kind() == reflect.String:
		b = appendEscaped(b, v.String())
	case v.Type() == timeType:
		b = appendTimestamp(b, timeOf(v))
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8:
		b = append(b, `\\x`...)
		b = hex.AppendEncode(b, v.Bytes())
	default:
		switch v.Kind() {
		case reflect.String:
			b = appendEscaped(b, v.String())
		case reflect.Bool:
			b = strconv.AppendBool(b, v.Bool())
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			b = strconv.AppendInt(b, v.Int(), 10)
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			b = strconv.AppendUint(b, v.Uint(), 10)
		case reflect.Float32, reflect.Float64:
			b = strconv.AppendFloat(b, v.Float(), 'g', -1, 64)
		default:
			return b, fmt.Errorf("no text form for %s", v.Type())
		}
	}
	return append(b, '"'), nil
}

// appendTimestamp appends t as timestamptz text: UTC, cut to the microsecond, as pgx's binary form
// does (PostgreSQL would round text's extra digits instead). Only columns on the text path take
// it now (times go in binary), so time's own formatting will do.
func appendTimestamp(b []byte, t time.Time) []byte {
	return append(t.UTC().Truncate(time.Microsecond).AppendFormat(b, "2006-01-02 15:04:05.999999"), "+00"...)
}

// valuers caches reflect's Implements, which is slow enough to show in the submit path.
var valuers sync.Map // reflect.Type → bool

func implementsValuer(t reflect.Type) bool {
	if v, ok := valuers.Load(t); ok {
		return v.(bool)
	}
	v := t.Implements(valuerType)
	valuers.Store(t, v)
	return v
}

// appendEscaped appends s with the two characters an array literal's quoted element escapes,
// copying the runs between them whole.
func appendEscaped(b []byte, s string) []byte {
	for {
		i := strings.IndexAny(s, `"\`)
		if i < 0 {
			return append(b, s...)
		}
		b = append(append(b, s[:i]...), '\\', s[i])
		s = s[i+1:]
	}
}

// timeOf reads a time.Time field without boxing a copy of it when the field is addressable (a
// slice element's field always is).
func timeOf(v reflect.Value) time.Time {
	if v.CanAddr() {
		return *v.Addr().Interface().(*time.Time)
	}
	return v.Interface().(time.Time)
}

func reflectLen(set any) int {
	v := reflect.ValueOf(set)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Slice {
		return 1
	}
	return v.Len()
}
