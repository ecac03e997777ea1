// Package migrations holds the schema history: ordered, append-only steps that run the same on
// SQLite and PostgreSQL. Each step declares its own frozen table shapes, so later changes to the
// application's types never rewrite history.
package migrations

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Migration is one step of the schema history. Never edit or reorder a released step: append.
type Migration struct {
	ID string
	Up func(tx *gorm.DB) error
}

// All is the ordered history.
var All = []Migration{
	{ID: "0001_accounts", Up: up0001},
	{ID: "0002_counties", Up: up0002},
	{ID: "0003_outbox_notifications", Up: up0003},
	{ID: "0004_audit", Up: up0004},
	{ID: "0005_grievance", Up: up0005},
	{ID: "0006_queue_indexes", Up: up0006},
	{ID: "0007_evidence", Up: up0007},
	{ID: "0008_consent", Up: up0008},
	{ID: "0009_inspections", Up: up0009},
	{ID: "0010_notices_ratings", Up: up0010},
	{ID: "0011_plans", Up: up0011},
	{ID: "0012_special_records", Up: up0012},
	{ID: "0013_calendar_overrides", Up: up0013},
	{ID: "0014_messages", Up: up0014},
	{ID: "0015_bookings", Up: up0015},
	{ID: "0016_audit_pending", Up: up0016},
	{ID: "0017_inspection_records", Up: up0017},
	{ID: "0018_leaner_indexes", Up: up0018},
	{ID: "0019_unused_order_indexes", Up: up0019},
	{ID: "0020_pending_no_truncate", Up: up0020},
	{ID: "0021_order_reasons_source", Up: up0021},
	{ID: "0022_inspection_links", Up: up0022},
	{ID: "0023_service_alert_targets", Up: up0023},
	{ID: "0024_notification_mutes", Up: up0024},
	{ID: "0025_outbox_upkeep", Up: up0025},
	{ID: "0028_anonymity_uploads", Up: up0028},
	{ID: "0029_login_failures", Up: up0029},
	{ID: "0030_enterprise_claims", Up: up0030},
	{ID: "0031_verdict_edges", Up: up0031},
	{ID: "0032_request_keys", Up: up0032},
	{ID: "0033_order_sign_for", Up: up0033},
	{ID: "0034_order_steps", Up: up0034},
	{ID: "0036_joint_consent", Up: up0036},
	{ID: "0037_enterprise_grades", Up: up0037},
	{ID: "0038_supervision", Up: up0038},
	{ID: "0039_limits_clues", Up: up0039},
	{ID: "0040_merges_cohandlers", Up: up0040},
	{ID: "0041_replies_notes", Up: up0041},
	{ID: "0042_phone_intake", Up: up0042},
}

type schemaMigration struct {
	ID        string `gorm:"primaryKey;size:100"`
	AppliedAt time.Time
}

func (schemaMigration) TableName() string { return "schema_migrations" }

// Apply runs every step not yet applied, each in its own transaction, and returns the ids applied.
// On PostgreSQL an advisory lock keeps two processes starting at once from racing.
func Apply(ctx context.Context, db *gorm.DB) ([]string, error) {
	return ApplyUpTo(ctx, db, len(All))
}

// ApplyUpTo applies the first n steps (tests walk the history one step at a time).
func ApplyUpTo(ctx context.Context, db *gorm.DB, n int) ([]string, error) {
	db = db.WithContext(ctx)
	if db.Dialector.Name() == "postgres" {
		// A session-level lock needs one connection for lock, work and unlock.
		conn := db.Session(&gorm.Session{})
		sqlDB, err := conn.DB()
		if err != nil {
			return nil, fmt.Errorf("migrations: %w", err)
		}
		c, err := sqlDB.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("migrations: %w", err)
		}
		defer c.Close()
		// A process waits for another's migrations however long they take (the pool's lock and
		// statement timeouts are for requests); the connection gets its own back after.
		for _, q := range []string{"SET lock_timeout = 0", "SET statement_timeout = 0", "SELECT pg_advisory_lock(7210431)"} {
			if _, err := c.ExecContext(ctx, q); err != nil {
				return nil, fmt.Errorf("migrations: lock: %w", err)
			}
		}
		defer func() {
			wctx := context.WithoutCancel(ctx)
			c.ExecContext(wctx, "SELECT pg_advisory_unlock(7210431)")
			c.ExecContext(wctx, "RESET lock_timeout")
			c.ExecContext(wctx, "RESET statement_timeout")
		}()
	}
	if err := db.AutoMigrate(&schemaMigration{}); err != nil {
		return nil, fmt.Errorf("migrations: bookkeeping table: %w", err)
	}
	var done []schemaMigration
	if err := db.Find(&done).Error; err != nil {
		return nil, fmt.Errorf("migrations: read applied: %w", err)
	}
	applied := map[string]bool{}
	for _, m := range done {
		applied[m.ID] = true
	}
	var ran []string
	for _, m := range All[:n] {
		if applied[m.ID] {
			continue
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := unbounded(tx); err != nil {
				return err
			}
			if err := m.Up(tx); err != nil {
				return err
			}
			return tx.Create(&schemaMigration{ID: m.ID, AppliedAt: time.Now().UTC()}).Error
		})
		if err != nil {
			return ran, fmt.Errorf("migrations: %s: %w", m.ID, err)
		}
		ran = append(ran, m.ID)
	}
	return ran, nil
}

// unbounded lifts the pool's statement and lock timeouts for a step's transaction: building an
// index on a large table may take longer than any request may, and a start should wait for its
// locks rather than fail.
func unbounded(tx *gorm.DB) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	return execAll(tx, "SET LOCAL statement_timeout = 0", "SET LOCAL lock_timeout = 0")
}

// execAll runs the statements in order and stops at the first error.
func execAll(tx *gorm.DB, stmts ...string) error {
	for _, q := range stmts {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return nil
}
