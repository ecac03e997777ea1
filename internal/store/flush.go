package store

import (
	"context"
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

// maxFlushVars keeps one combined statement well under PostgreSQL's 65,535 parameters.
const maxFlushVars = 30000

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
	if s.Dialect == "postgres" && len(sets) > 1 {
		sql, vars, err := s.combinedInsert(sets)
		if err != nil {
			return err
		}
		if len(vars) <= maxFlushVars {
			// Straight to the transaction's connection: gorm's Exec would take the $n for text.
			// The text changes with every batch's make-up, so it is sent unprepared (one round
			// trip) rather than prepared and cached per connection (two, and a full cache).
			args := append([]any{pgx.QueryExecModeExec}, vars...)
			if _, err := s.DB(ctx).Statement.ConnPool.ExecContext(ctx, sql, args...); err != nil {
				return mapErr("flush", err)
			}
			return nil
		}
	}
	for _, set := range sets {
		if err := s.DB(ctx).CreateInBatches(set, 500).Error; err != nil {
			return mapErr("flush", err)
		}
	}
	return nil
}

// combinedInsert builds WITH q0 AS (INSERT …), q1 AS (INSERT …) INSERT … from the sets.
func (s *Store) combinedInsert(sets []any) (string, []any, error) {
	var sb strings.Builder
	var vars []any
	for i, set := range sets {
		switch {
		case i == 0:
			sb.WriteString("WITH q0 AS (")
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

// insertSQL appends to sb the INSERT of set (a slice of models or of pointers to models) with
// placeholders numbered after vars, and returns vars with the set's values added. It writes what
// gorm's Create would, from the same parsed schema, without the callbacks and clause building
// that cost the submit path a twelfth of its CPU: every creatable column, the auto-increment id
// only when the rows carry ids, and creation times filled in where zero.
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
	sb.WriteString(") VALUES ")
	now := time.Now().UTC()
	for i := 0; i < rows.Len(); i++ {
		row := rows.Index(i)
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteByte('(')
		for j, f := range cols {
			v, zero := f.ValueOf(ctx, row)
			if zero && (f.AutoCreateTime > 0 || f.AutoUpdateTime > 0) && f.FieldType == reflect.TypeOf(now) {
				v = now
			}
			vars = append(vars, v)
			if j > 0 {
				sb.WriteByte(',')
			}
			sb.WriteByte('$')
			sb.WriteString(strconv.Itoa(len(vars)))
		}
		sb.WriteByte(')')
	}
	return vars, nil
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
