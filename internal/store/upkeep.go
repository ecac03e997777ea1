package store

import (
	"context"
	"errors"
	"time"
)

// periodicRun is the lease of one period of a periodic job (migration 0025).
type periodicRun struct {
	Job       string    `gorm:"primaryKey"`
	Period    time.Time `gorm:"primaryKey"`
	StartedAt time.Time
}

func (periodicRun) TableName() string { return "periodic_runs" }

// ClaimPeriod takes the lease of job's period starting at period: true for exactly one caller
// however many workers tick, so each period of a periodic job runs once.
func (s *Store) ClaimPeriod(ctx context.Context, job string, period, now time.Time) (bool, error) {
	err := s.DB(ctx).Create(&periodicRun{Job: job, Period: period.UTC(), StartedAt: now.UTC()}).Error
	if err = mapErr("claim period", err); errors.Is(err, ErrConflict) {
		return false, nil
	}
	return err == nil, err
}

// Pruned counts what a retention pass deleted.
type Pruned struct {
	Outbox, Deliveries, IdempotencyKeys, PeriodicRuns int64
}

// pruneBatch bounds one DELETE, so that a large backlog is pruned in short statements that do not
// hold locks for long.
const pruneBatch = 5000

// Prune deletes what is only kept for a while: outbox rows done before cutoff (their effects
// committed long ago; the audit chain and the order events are the record), outside deliveries
// sent or given up before it, idempotency keys older than it (a retry after that files anew) and
// periodic jobs' old leases. Each table goes in batches, oldest ids first.
func (s *Store) Prune(ctx context.Context, cutoff time.Time) (Pruned, error) {
	var p Pruned
	var err error
	if p.Outbox, err = s.pruneTable(ctx, "outbox", "id", "done_at IS NOT NULL AND done_at < ?", cutoff); err != nil {
		return p, err
	}
	if p.Deliveries, err = s.pruneTable(ctx, "message_deliveries", "id", "status IN ('sent', 'failed', 'unknown') AND created_at < ?", cutoff); err != nil {
		return p, err
	}
	if p.IdempotencyKeys, err = s.pruneByCreated(ctx, "idempotency_keys", cutoff); err != nil {
		return p, err
	}
	var n int64
	if n, err = s.pruneByCreated(ctx, "request_keys", cutoff); err != nil {
		return p, err
	}
	p.IdempotencyKeys += n
	res := s.DB(ctx).Where("started_at < ?", cutoff).Delete(&periodicRun{})
	p.PeriodicRuns = res.RowsAffected
	return p, mapErr("prune periodic runs", res.Error)
}

// pruneTable deletes the rows of table matching where, a batch of the lowest ids at a time.
func (s *Store) pruneTable(ctx context.Context, table, id, where string, arg any) (int64, error) {
	var total int64
	for {
		res := s.DB(ctx).Exec("DELETE FROM "+table+" WHERE "+id+" IN (SELECT "+id+" FROM "+table+" WHERE "+where+" ORDER BY "+id+" LIMIT ?)", arg, pruneBatch)
		if res.Error != nil {
			return total, mapErr("prune "+table, res.Error)
		}
		total += res.RowsAffected
		if res.RowsAffected < pruneBatch || ctx.Err() != nil {
			return total, nil
		}
	}
}

// pruneByCreated deletes the rows of a table keyed by more than an id, by their creation time.
func (s *Store) pruneByCreated(ctx context.Context, table string, cutoff time.Time) (int64, error) {
	res := s.DB(ctx).Exec("DELETE FROM "+table+" WHERE created_at < ?", cutoff)
	return res.RowsAffected, mapErr("prune "+table, res.Error)
}

// UnrelayLost hands back to the relay every row the queue was given but has not done: after an
// embedded queue starts empty (every restart) they are all lost, and waiting for the sweep would
// let timers fire minutes late. The task ids keep a row that was not lost from running twice.
func (s *Store) UnrelayLost(ctx context.Context) (int64, error) {
	res := s.DB(ctx).Model(&OutboxRow{}).Where("done_at IS NULL AND failed_at IS NULL AND relayed_at IS NOT NULL").Update("relayed_at", nil)
	return res.RowsAffected, mapErr("unrelay lost", res.Error)
}

// Redrive hands back to the relay a row whose task the queue archived (retries used up, or a
// type this worker did not know), counting it.
func (s *Store) Redrive(ctx context.Context, id uint64) error {
	return mapErr("redrive", s.DB(ctx).Model(&OutboxRow{}).Where("id = ? AND done_at IS NULL", id).
		Updates(map[string]any{"relayed_at": nil, "redrives": gormExpr("redrives + 1")}).Error)
}

// FailForGood marks a row the sweep will not hand back again; the admin lists it.
func (s *Store) FailForGood(ctx context.Context, id uint64, at time.Time) error {
	return mapErr("fail outbox", s.DB(ctx).Model(&OutboxRow{}).Where("id = ? AND done_at IS NULL", id).Update("failed_at", at).Error)
}

// FailedOutbox lists the rows that failed for good, newest first.
func (s *Store) FailedOutbox(ctx context.Context, limit int) ([]OutboxRow, error) {
	var out []OutboxRow
	err := s.DB(ctx).Where("failed_at IS NOT NULL AND done_at IS NULL").Order("failed_at DESC").Limit(limit).Find(&out).Error
	return out, mapErr("failed outbox", err)
}

// RetryFailed hands a failed row back to the relay (an admin fixed the cause).
func (s *Store) RetryFailed(ctx context.Context, id uint64) error {
	res := s.DB(ctx).Model(&OutboxRow{}).Where("id = ? AND failed_at IS NOT NULL AND done_at IS NULL", id).
		Updates(map[string]any{"failed_at": nil, "relayed_at": nil, "redrives": 0})
	if res.Error == nil && res.RowsAffected == 0 {
		return mapErr("retry outbox", ErrNotFound)
	}
	return mapErr("retry outbox", res.Error)
}

// DeliveryUnknown is a delivery that was handed to its gateway but whose outcome was never
// recorded (the process stopped, or the database was away, right after the send). It is not
// sent again: a person told twice is worse than an admin seeing one to check.
const DeliveryUnknown = "unknown" // fits the column's 10 characters

// ReconcileSending settles deliveries left "sending" since before createdBefore: a send takes
// seconds and its retries minutes, so such a row's process is gone. They become unknown.
func (s *Store) ReconcileSending(ctx context.Context, createdBefore time.Time) (int64, error) {
	res := s.DB(ctx).Model(&Delivery{}).Where("status = ? AND created_at < ?", DeliverySending, createdBefore).
		Updates(map[string]any{"status": DeliveryUnknown, "last_error": "handed to the gateway; the outcome was not recorded"})
	return res.RowsAffected, mapErr("reconcile deliveries", res.Error)
}
