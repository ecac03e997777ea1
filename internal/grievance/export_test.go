package grievance

import (
	"context"

	"qijian/internal/account"
	"qijian/internal/store"
)

// Together is a filing for FileTogether, already past the caller checks.
type Together struct {
	By           account.Actor
	EnterpriseID uint
	F            Filing
	Key          string
}

// Outcome is what one filing of a batch came to.
type Outcome struct {
	Order  *store.WorkOrder
	Replay uint64
	Err    error
}

// FileTogether queues the filings at once and runs them as the group commit would when they
// all arrive while a batch is in flight: one batch (up to maxBatch).
func (s *Service) FileTogether(ctx context.Context, in []Together) []Outcome {
	batch := make([]*filing, len(in))
	for i, r := range in {
		batch[i] = &filing{ctx: ctx, by: r.By, entID: r.EnterpriseID, f: r.F, key: r.Key, done: make(chan struct{})}
	}
	s.batch.mu.Lock()
	s.batch.queue = append(s.batch.queue, batch...)
	s.batch.leaders++
	s.batch.mu.Unlock()
	s.leadBatches()
	out := make([]Outcome, len(batch))
	for i, r := range batch {
		out[i] = Outcome{r.order, r.replay, r.err}
	}
	return out
}

// FailCreate makes s's writing of an order that matches fail inside its transaction. Set it
// before s files anything.
func FailCreate(s *Service, match func(o *store.WorkOrder) bool) {
	s.failCreate = match
}

// Reclaims tells how many batches were written again, claiming their keys first, because the
// first write found a key used before.
func (s *Service) Reclaims() int64 { return s.batch.reclaims.Load() }

// StartLeader is startLeader: whether a filing just queued starts a batch of its own.
func StartLeader(running, max, queued int) bool { return startLeader(running, max, queued) }
