package workflows

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/hibiken/asynq"

	"qijian/internal/clock"
	"qijian/internal/store"
)

// Effect carries out one outbox row. It runs inside the transaction that marks the row done,
// so the effect and the mark commit together: a repeated delivery of the task finds the row
// done and does nothing.
type Effect func(ctx context.Context, row *store.OutboxRow) error

// outboxPayload is what travels in Redis: ids only, the row holds the rest.
type outboxPayload struct {
	OutboxID uint64 `json:"outbox_id"`
}

// Timing of the relay and the sweep.
const (
	relayInterval = 500 * time.Millisecond
	relayHorizon  = time.Hour   // timers further out stay rows until they come near
	staleAfter    = time.Minute // a relayed, due, undone row older than this is checked
	maxRetry      = 12
)

// Engine relays the outbox to the queue, runs the tasks and sweeps up what the queue lost.
type Engine struct {
	st      *store.Store
	q       *Queue
	clk     clock.Clock
	log     *slog.Logger
	effects map[string]Effect
	kick    chan struct{}
	// PeriodicEvery, when set, replaces every periodic job's period (tests and rehearsals only).
	PeriodicEvery time.Duration
}

// NewEngine builds an engine; register effects before running it.
func NewEngine(st *store.Store, q *Queue, clk clock.Clock, log *slog.Logger) *Engine {
	return &Engine{st: st, q: q, clk: clk, log: log, effects: map[string]Effect{}, kick: make(chan struct{}, 1)}
}

// Register names the effect of a task type.
func (e *Engine) Register(taskType string, fn Effect) { e.effects[taskType] = fn }

// Kick wakes the relay now instead of at its next tick (after a commit in the same process).
func (e *Engine) Kick() {
	select {
	case e.kick <- struct{}{}:
	default:
	}
}

func taskID(id uint64) string { return "outbox-" + strconv.FormatUint(id, 10) }

// RelayOnce hands unrelayed rows to the queue, a batch at a time until none are left or a
// batch fails, and returns how many it handed over. Enqueues run a few at a time and each batch
// is marked in one statement: the relay must keep up with the rows submissions write.
func (e *Engine) RelayOnce(ctx context.Context) (int, error) {
	total := 0
	for {
		n, full, err := e.relayBatch(ctx)
		total += n
		if err != nil || !full {
			return total, err
		}
	}
}

const relayBatch = 500

func (e *Engine) relayBatch(ctx context.Context) (n int, full bool, err error) {
	now := e.clk.Now()
	rows, err := e.st.UnrelayedOutbox(ctx, now.Add(relayHorizon), relayBatch)
	if err != nil {
		return 0, false, fmt.Errorf("workflows: relay: %w", err)
	}
	if len(rows) == 0 {
		return 0, false, nil
	}
	// The client registers a queue's name once per process; after Redis lost its data (a flush,
	// a restart without persistence) monitoring and the sweep's inspector would not see the queue.
	if err := e.q.Register(ctx); err != nil {
		return 0, false, fmt.Errorf("workflows: relay: %w", err)
	}
	ok := make([]bool, len(rows))
	errs := make([]error, len(rows))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := range rows {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			r := rows[i]
			b, _ := json.Marshal(outboxPayload{OutboxID: r.ID})
			opts := []asynq.Option{asynq.TaskID(taskID(r.ID)), asynq.Queue(QueueName), asynq.MaxRetry(maxRetry), asynq.Timeout(time.Minute)}
			if r.RunAt.After(now) {
				// A delay from this engine's now, not an instant: the queue keeps real time,
				// and the engine's clock may be shifted (QIJIAN_CLOCK_START) or fake.
				opts = append(opts, asynq.ProcessIn(r.RunAt.Sub(now)))
			}
			_, err := e.q.Client.EnqueueContext(ctx, asynq.NewTask(r.TaskType, b), opts...)
			if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
				errs[i] = fmt.Errorf("workflows: relay outbox %d: %w", r.ID, err)
				return
			}
			ok[i] = true
		}(i)
	}
	wg.Wait()
	ids := make([]uint64, 0, len(rows))
	for i, r := range rows {
		if ok[i] {
			ids = append(ids, r.ID)
		}
	}
	// A crash before this mark only re-enqueues: the task id makes that a no-op.
	if err := e.st.MarkRelayed(ctx, ids, now); err != nil {
		return 0, false, fmt.Errorf("workflows: relay: %w", err)
	}
	return len(ids), len(rows) == relayBatch && len(ids) == len(rows), errors.Join(errs...)
}

// SweepOnce finds relayed rows that are due, not done, and no longer in the queue, and hands
// them back to the relay; it goes through the whole backlog in batches. A row whose task the
// queue archived (its retries used up, or a type the worker did not know during a rolling
// deploy) is handed back too, up to maxRedrives times; then it has failed for good and waits for
// an operator (it is listed for the admin). It returns how many rows it handed back.
func (e *Engine) SweepOnce(ctx context.Context) (int, error) {
	now := e.clk.Now()
	n := 0
	var after uint64
	for {
		rows, err := e.st.StaleOutbox(ctx, now.Add(-staleAfter), after, sweepBatch)
		if err != nil {
			return n, fmt.Errorf("workflows: sweep: %w", err)
		}
		for _, r := range rows {
			done, err := e.sweepRow(ctx, r, now)
			if err != nil {
				return n, err
			}
			if done {
				n++
			}
		}
		if len(rows) < sweepBatch {
			break
		}
		after = rows[len(rows)-1].ID
	}
	if n > 0 {
		e.log.Warn("outbox sweep handed back tasks the queue lost or gave up on", "count", n)
		e.Kick()
	}
	return n, nil
}

// sweepBatch is how many stale rows the sweep reads at a time.
const sweepBatch = 500

// maxRedrives is how often the sweep hands back a row the queue archived before it gives up.
const maxRedrives = 3

// sweepRow hands r back to the relay if the queue lost or archived its task.
func (e *Engine) sweepRow(ctx context.Context, r store.OutboxRow, now time.Time) (bool, error) {
	info, err := e.q.Inspector.GetTaskInfo(QueueName, taskID(r.ID))
	switch {
	case err == nil && info.State != asynq.TaskStateArchived:
		return false, nil // still queued, running or retrying: the queue has it
	case err == nil: // archived: the queue gave up on it
		if r.Redrives >= maxRedrives {
			e.log.Error("outbox task failed for good", "outbox", r.ID, "type", r.TaskType, "redrives", r.Redrives)
			return false, e.st.FailForGood(ctx, r.ID, now)
		}
		if err := e.q.Inspector.DeleteTask(QueueName, taskID(r.ID)); err != nil && !errors.Is(err, asynq.ErrTaskNotFound) {
			return false, fmt.Errorf("workflows: sweep: delete archived outbox %d: %w", r.ID, err)
		}
		if err := e.st.Redrive(ctx, r.ID); err != nil {
			return false, fmt.Errorf("workflows: sweep: %w", err)
		}
		return true, nil
	case errors.Is(err, asynq.ErrTaskNotFound), errors.Is(err, asynq.ErrQueueNotFound):
		if err := e.st.Unrelay(ctx, r.ID); err != nil {
			return false, fmt.Errorf("workflows: sweep: %w", err)
		}
		return true, nil
	default:
		return false, fmt.Errorf("workflows: sweep: inspect outbox %d: %w", r.ID, err)
	}
}

// RecoverLost hands back every relayed, undone row at once: for a queue known to have started
// empty (the in-process Redis, at every start of serve). The relay then sends them at its batch
// speed, where the minute's sweep would have taken them 500 at a time.
func (e *Engine) RecoverLost(ctx context.Context) (int64, error) {
	n, err := e.st.UnrelayLost(ctx)
	if err != nil {
		return 0, fmt.Errorf("workflows: recover lost tasks: %w", err)
	}
	if n > 0 {
		e.log.Info("outbox: the queue started empty; handed back its rows", "count", n)
		e.Kick()
	}
	return n, nil
}

// HandleOutboxTask runs an outbox task: claim the row and apply its effect in one transaction.
func (e *Engine) HandleOutboxTask(ctx context.Context, t *asynq.Task) error {
	var p outboxPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.OutboxID == 0 {
		return fmt.Errorf("workflows: bad payload for %s: %w", t.Type(), asynq.SkipRetry)
	}
	fn, ok := e.effects[t.Type()]
	if !ok {
		return fmt.Errorf("workflows: no effect for %s: %w", t.Type(), asynq.SkipRetry)
	}
	err := e.st.WithTx(ctx, func(ctx context.Context) error {
		row, claimed, err := e.st.ClaimOutbox(ctx, p.OutboxID, e.clk.Now())
		if err != nil || !claimed {
			return err
		}
		return fn(ctx, row)
	})
	if err != nil {
		_ = e.st.RecordOutboxError(context.WithoutCancel(ctx), p.OutboxID, err.Error())
		return fmt.Errorf("workflows: %s outbox %d: %w", t.Type(), p.OutboxID, err)
	}
	return nil
}

// RunRelay relays until ctx ends: at every tick and whenever kicked.
func (e *Engine) RunRelay(ctx context.Context) {
	t := time.NewTicker(relayInterval)
	defer t.Stop()
	for {
		if _, err := e.RelayOnce(ctx); err != nil && ctx.Err() == nil {
			e.log.Error("outbox relay", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-e.kick:
		}
	}
}
