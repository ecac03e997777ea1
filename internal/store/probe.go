package store

import (
	"context"
	"fmt"
	"time"
)

// Probe proves the database takes a write now, within timeout: one committed upsert of a
// one-row table (probes). A ping answers while the disk is full, the database is read-only or
// another transaction holds the write lock; this does not. The wait for a lock is bounded too:
// lock_timeout and statement_timeout on PostgreSQL, the connection's busy timeout on SQLite.
func (s *Store) Probe(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return mapErr("probe", err)
	}
	defer conn.Close()
	ms := timeout.Milliseconds()
	const upsert = "INSERT INTO probes (name, at) VALUES ('ready', $1) ON CONFLICT (name) DO UPDATE SET at = excluded.at"
	if s.Dialect == "postgres" {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return mapErr("probe", err)
		}
		defer tx.Rollback()
		for _, q := range []string{fmt.Sprintf("SET LOCAL lock_timeout = %d", ms), fmt.Sprintf("SET LOCAL statement_timeout = %d", ms)} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return mapErr("probe", err)
			}
		}
		if _, err := tx.ExecContext(ctx, upsert, time.Now().UTC()); err != nil {
			return mapErr("probe", err)
		}
		return mapErr("probe", tx.Commit())
	}
	// SQLite: the busy timeout is the connection's; the probe's is short, and the pool's is
	// put back before the connection returns to the pool.
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", ms)); err != nil {
		return mapErr("probe", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("PRAGMA busy_timeout = %d", s.busyTimeout().Milliseconds()))
	_, err = conn.ExecContext(ctx, upsert, time.Now().UTC())
	return mapErr("probe", err)
}
