package store

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
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
	for _, set := range append(b.later, b.outbox, b.audit, b.notes) {
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

// combinedInsert builds WITH q1 AS (INSERT …), q2 AS (INSERT …) INSERT … from each set's own
// INSERT, as gorm would write it, with its placeholders renumbered.
func (s *Store) combinedInsert(sets []any) (string, []any, error) {
	var sb strings.Builder
	var vars []any
	for i, set := range sets {
		stmt := s.db.Session(&gorm.Session{DryRun: true, SkipDefaultTransaction: true}).Create(set).Statement
		if stmt.Error != nil {
			return "", nil, mapErr("flush", stmt.Error)
		}
		one := renumber(stmt.SQL.String(), len(vars))
		vars = append(vars, stmt.Vars...)
		switch {
		case i == 0 && len(sets) > 1:
			fmt.Fprintf(&sb, "WITH q%d AS (%s)", i, one)
		case i < len(sets)-1:
			fmt.Fprintf(&sb, ", q%d AS (%s)", i, one)
		default:
			sb.WriteString(" ")
			sb.WriteString(one)
		}
	}
	return sb.String(), vars, nil
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

// renumber shifts the $n placeholders of a gorm-built statement by off. Such a statement holds
// only identifiers and placeholders, never a literal with a "$" in it. (A regexp did this at
// a twentieth of the submit path's CPU.)
func renumber(sql string, off int) string {
	if off == 0 {
		return sql
	}
	b := make([]byte, 0, len(sql)+len(sql)/8)
	for i := 0; i < len(sql); i++ {
		c := sql[i]
		if c != '$' || i+1 == len(sql) || sql[i+1] < '0' || sql[i+1] > '9' {
			b = append(b, c)
			continue
		}
		j := i + 1
		n := 0
		for ; j < len(sql) && sql[j] >= '0' && sql[j] <= '9'; j++ {
			n = n*10 + int(sql[j]-'0')
		}
		b = append(b, '$')
		b = strconv.AppendInt(b, int64(n+off), 10)
		i = j - 1
	}
	return string(b)
}
