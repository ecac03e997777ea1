package store

import (
	"context"
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm/schema"
)

// InsertLater adds rows (a slice of models whose ids are already set, e.g. by ReserveIDs) to
// ctx's transaction's buffer: they are inserted with the outbox, inbox and audit rows just before
// it commits. Nothing in the transaction may read them back before then. Outside a transaction
// they are inserted at once.
func (s *Store) InsertLater(ctx context.Context, rows any) error {
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
		if _, err := s.DB(ctx).Statement.ConnPool.ExecContext(ctx, sql, args...); err != nil {
			return mapErr("flush", err)
		}
		return nil
	}
	for _, set := range sets {
		if err := s.DB(ctx).CreateInBatches(set, 500).Error; err != nil {
			return mapErr("flush", err)
		}
	}
	return nil
}

// combinedInsert builds WITH q0 AS (INSERT …), q1 AS (INSERT …) INSERT … from the sets, one
// text[] argument per column.
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
// INSERT … SELECT … FROM unnest($n::text[], …), each column's values one array of text (NULL
// for nil), cast to the column's type in the SELECT; it returns vars with the arrays added. It
// writes what gorm's Create would, from the same parsed schema, without the callbacks and clause
// building that cost the submit path a twelfth of its CPU: every creatable column, the
// auto-increment id only when the rows carry ids, and creation times filled in where zero.
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
	fmt.Fprintf(sb, `INSERT INTO %q (`, sch.Table)
	for j, f := range cols {
		if j > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(sb, "%q", f.DBName)
	}
	sb.WriteString(") SELECT ")
	for j, f := range cols {
		if j > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(sb, "c%d::%s", j, sqlType(f))
	}
	sb.WriteString(" FROM unnest(")
	now := time.Now().UTC()
	first := len(vars)
	for j, f := range cols {
		vals := make([]*string, rows.Len())
		for i := range vals {
			v, zero := f.ValueOf(ctx, rows.Index(i))
			if zero && (f.AutoCreateTime > 0 || f.AutoUpdateTime > 0) && f.FieldType == reflect.TypeOf(now) {
				v = now
			}
			if vals[i], err = pgText(v); err != nil {
				return nil, fmt.Errorf("store: flush: %s.%s: %w", sch.Table, f.DBName, err)
			}
		}
		vars = append(vars, vals)
		if j > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(sb, "$%d::text[]", first+j+1)
	}
	sb.WriteString(") AS u(")
	for j := range cols {
		if j > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(sb, "c%d", j)
	}
	sb.WriteByte(')')
	return vars, nil
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

// pgText is v in PostgreSQL's text form, nil for NULL. Times go as UTC cut to the microsecond,
// as pgx's binary form does (PostgreSQL would round text's extra digits instead).
func pgText(v any) (*string, error) {
	if vr, ok := v.(driver.Valuer); ok {
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
			return nil, nil
		}
		var err error
		if v, err = vr.Value(); err != nil {
			return nil, err
		}
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil, nil
		}
		rv = rv.Elem()
	}
	if !rv.IsValid() {
		return nil, nil
	}
	var s string
	switch x := rv.Interface().(type) {
	case time.Time:
		s = x.UTC().Truncate(time.Microsecond).Format("2006-01-02 15:04:05.999999") + "+00"
	case []byte:
		s = `\x` + hex.EncodeToString(x)
	default:
		switch rv.Kind() {
		case reflect.String:
			s = rv.String()
		case reflect.Bool:
			s = strconv.FormatBool(rv.Bool())
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			s = strconv.FormatInt(rv.Int(), 10)
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			s = strconv.FormatUint(rv.Uint(), 10)
		case reflect.Float32, reflect.Float64:
			s = strconv.FormatFloat(rv.Float(), 'g', -1, 64)
		default:
			return nil, fmt.Errorf("no text form for %T", v)
		}
	}
	return &s, nil
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
