package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"qijian/internal/store/pgbulk"
)

// QueueInsert adds rows (a slice of one of the bufferedModels, their ids already set where
// others point at them, e.g. by ReserveIDs) to ctx's transaction's buffer: they are inserted
// with the outbox, inbox and audit rows just before it commits, and are not written back into
// (no ids or creation times filled in). Nothing in the transaction may read their table before
// then (strict mode makes such a read fail). Outside a transaction they are inserted at once.
func (s *Store) QueueInsert(ctx context.Context, rows any) error {
	t, n, err := s.bufferedTable(rows)
	if err != nil || n == 0 {
		return err
	}
	if buf, ok := ctx.Value(outboxKey{}).(*txBuffer); ok {
		buf.later = append(buf.later, t)
		return nil
	}
	if err := s.DB(ctx).Create(rows).Error; err != nil {
		return mapErr("insert", err)
	}
	if t.Schema.Table == "outbox" {
		s.outboxWritten()
	}
	return nil
}

// flush writes a transaction's buffered rows.
func (s *Store) flush(ctx context.Context, b *txBuffer) error {
	return s.flushOn(ctx, s.DB(ctx), b)
}

// flushOn is flush through db: the transaction's, or (WithLazyTx, on PostgreSQL) the pool's.
func (s *Store) flushOn(ctx context.Context, db *gorm.DB, b *txBuffer) error {
	tables := b.tables(s)
	if len(tables) == 0 {
		return nil
	}
	return s.insertTables(ctx, db, tables)
}

// insertTables writes the tables' rows through db. On PostgreSQL they go as pgbulk's one
// statement (each table's INSERT a data-modifying CTE of the last), so the whole buffer costs
// one round trip; on SQLite, which is in-process, through gorm's Create, a statement per table.
// Either way the caches that read those tables are emptied (wrote).
func (s *Store) insertTables(ctx context.Context, db *gorm.DB, tables []pgbulk.Table) error {
	if s.Dialect == "postgres" {
		sql, vars, err := s.bulk.Insert(tables, s.db.NowFunc())
		if err != nil {
			return fmt.Errorf("store: flush: %w", err)
		}
		// Straight to the connection (gorm's Exec would take the $n for its own). Each column goes
		// as one array, so the text depends only on which tables and columns are written, not on
		// how many rows: pgx prepares it once per connection and keeps its plan, where a VALUES
		// list per batch was parsed and planned anew every time.
		args := append([]any{pgx.QueryExecModeCacheStatement}, vars...)
		if _, err := db.Statement.ConnPool.ExecContext(ctx, sql, args...); err != nil {
			return mapErr("flush", err)
		}
	} else {
		for _, t := range tables {
			if err := db.CreateInBatches(t.Rows, 500).Error; err != nil {
				return mapErr("flush", err)
			}
		}
	}
	for _, t := range tables {
		s.wrote(ctx, t.Schema.Table)
	}
	return nil
}
