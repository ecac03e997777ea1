package store

import (
	"context"
	"encoding/json"
	"time"
)

// OutboxRow is work that must follow a commit: written in the same transaction as the change that
// causes it, then relayed to the queue. The row, not the queue, is the record that it is owed.
type OutboxRow struct {
	ID        uint64 `gorm:"primaryKey"`
	TaskType  string
	Payload   string
	CreatedAt time.Time
	RunAt     time.Time
	RelayedAt *time.Time
	DoneAt    *time.Time
	Attempts  int
	LastError string
	Redrives  int        // times the sweep handed it back after the queue gave up on it
	FailedAt  *time.Time // the sweep gave up too: an operator must look (admin's failed tasks)
}

// TableName maps the row to its table.
func (OutboxRow) TableName() string { return "outbox" }

// QueueOutbox queues a task row that runs no earlier than runAt. Inside a transaction the row
// is buffered and written just before the transaction commits (see flush), so it has no id yet
// and nothing in the transaction can read it; outside one it is written at once.
func (s *Store) QueueOutbox(ctx context.Context, taskType string, payload any, now, runAt time.Time) error {
	row, err := outboxRow(taskType, payload, now, runAt)
	if err != nil {
		return err
	}
	if buf, ok := ctx.Value(outboxKey{}).(*txBuffer); ok {
		buf.outbox = append(buf.outbox, row)
		return nil
	}
	if err := s.DB(ctx).Create(&row).Error; err != nil {
		return mapErr("add outbox", err)
	}
	s.outboxWritten()
	return nil
}

// InsertOutbox writes a task row now, in ctx's transaction if it carries one, and returns its
// id: for the rare caller that needs the id (tests that claim the row themselves).
func (s *Store) InsertOutbox(ctx context.Context, taskType string, payload any, now, runAt time.Time) (uint64, error) {
	row, err := outboxRow(taskType, payload, now, runAt)
	if err != nil {
		return 0, err
	}
	if err := s.DB(ctx).Create(&row).Error; err != nil {
		return 0, mapErr("add outbox", err)
	}
	return row.ID, nil
}

func outboxRow(taskType string, payload any, now, runAt time.Time) (OutboxRow, error) {
	b, err := json.Marshal(payload)
	if err != nil {
		return OutboxRow{}, mapErr("outbox payload", err)
	}
	return OutboxRow{TaskType: taskType, Payload: string(b), CreatedAt: now, RunAt: runAt}, nil
}

// UnrelayedOutbox lists rows not yet handed to the queue that are due before horizon.
func (s *Store) UnrelayedOutbox(ctx context.Context, horizon time.Time, limit int) ([]OutboxRow, error) {
	var out []OutboxRow
	// In the order of idx_outbox_unrelayed (run_at, id): ordered by id alone, PostgreSQL walked
	// the primary key past every timer not yet due (37 ms a poll with 200,000 rows).
	err := s.DB(ctx).Where("done_at IS NULL AND relayed_at IS NULL AND run_at <= ?", horizon).
		Order("run_at, id").Limit(limit).Find(&out).Error
	return out, mapErr("unrelayed outbox", err)
}

// MarkRelayed records that the queue took these rows.
func (s *Store) MarkRelayed(ctx context.Context, ids []uint64, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	return mapErr("mark relayed", s.DB(ctx).Model(&OutboxRow{}).Where("id IN ?", ids).
		Updates(map[string]any{"relayed_at": at, "attempts": gormExpr("attempts + 1")}).Error)
}

// StaleOutbox lists rows after id afterID handed to the queue, due before dueBefore and still not
// done: the queue may have lost them.
func (s *Store) StaleOutbox(ctx context.Context, dueBefore time.Time, afterID uint64, limit int) ([]OutboxRow, error) {
	var out []OutboxRow
	err := s.DB(ctx).Where("id > ? AND done_at IS NULL AND failed_at IS NULL AND relayed_at IS NOT NULL AND relayed_at < ? AND run_at < ?", afterID, dueBefore, dueBefore).
		Order("id").Limit(limit).Find(&out).Error
	return out, mapErr("stale outbox", err)
}

// Unrelay hands a row back to the relay, because the queue lost it.
func (s *Store) Unrelay(ctx context.Context, id uint64) error {
	return mapErr("unrelay", s.DB(ctx).Model(&OutboxRow{}).Where("id = ? AND done_at IS NULL", id).Update("relayed_at", nil).Error)
}

// ClaimOutbox marks a row done inside ctx's transaction. It answers false when the row is already
// done, so a duplicate delivery of the task does nothing: the effect and this mark commit together.
func (s *Store) ClaimOutbox(ctx context.Context, id uint64, at time.Time) (*OutboxRow, bool, error) {
	res := s.DB(ctx).Model(&OutboxRow{}).Where("id = ? AND done_at IS NULL", id).Update("done_at", at)
	if res.Error != nil {
		return nil, false, mapErr("claim outbox", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, false, nil
	}
	var row OutboxRow
	if err := s.DB(ctx).First(&row, id).Error; err != nil {
		return nil, false, mapErr("claim outbox", err)
	}
	return &row, true, nil
}

// RecordOutboxError keeps the last failure for operators.
func (s *Store) RecordOutboxError(ctx context.Context, id uint64, msg string) error {
	if len(msg) > 500 {
		msg = msg[:500]
	}
	return mapErr("outbox error", s.DB(ctx).Model(&OutboxRow{}).Where("id = ?", id).Update("last_error", msg).Error)
}

// OutboxCounts reports pending (not done) rows, for metrics.
func (s *Store) OutboxPending(ctx context.Context) (int64, error) {
	// Counted as its two partial indexes' rows (not relayed; relayed, not done), so neither count
	// reads the done rows.
	var unrelayed, open int64
	if err := s.DB(ctx).Model(&OutboxRow{}).Where("done_at IS NULL AND relayed_at IS NULL").Count(&unrelayed).Error; err != nil {
		return 0, mapErr("outbox pending", err)
	}
	err := s.DB(ctx).Model(&OutboxRow{}).Where("done_at IS NULL AND relayed_at IS NOT NULL").Count(&open).Error
	return unrelayed + open, mapErr("outbox pending", err)
}

// OutboxByID reads one row.
func (s *Store) OutboxByID(ctx context.Context, id uint64) (*OutboxRow, error) {
	var row OutboxRow
	err := s.DB(ctx).First(&row, id).Error
	return &row, mapErr("outbox row", err)
}
