package workflows

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"qijian/internal/errs"
	"qijian/internal/store"
)

// Periodic task types.
const (
	TypeSweep               = "outbox:sweep"
	TypePurgeSession        = "sessions:purge"
	TypePrune               = "outbox:prune"
	TypeReconcileDeliveries = "deliveries:reconcile"
)

// Periodic is a scheduled job the worker runs once per period, however many workers run: every
// worker's scheduler enqueues its tick, and the first to take the period's lease in the
// database (store.ClaimPeriod) runs it; the others skip. (asynq's Unique frees its lock when the
// task ends, so two schedulers ran each job twice.)
type Periodic struct {
	Type  string
	Every time.Duration
	Run   func(ctx context.Context) error
}

// RunWorker runs the asynq server, the scheduler and the relay until ctx ends.
func (e *Engine) RunWorker(ctx context.Context, concurrency int, periodic ...Periodic) error {
	periodic = append([]Periodic{{Type: TypeSweep, Every: time.Minute, Run: func(ctx context.Context) error {
		_, err := e.SweepOnce(ctx)
		return err
	}}}, periodic...)
	if e.PeriodicEvery > 0 {
		for i := range periodic {
			periodic[i].Every = e.PeriodicEvery
		}
	}

	mux := asynq.NewServeMux()
	for typ := range e.effects {
		mux.HandleFunc(typ, e.HandleOutboxTask)
	}
	for _, p := range periodic {
		mux.HandleFunc(p.Type, func(ctx context.Context, _ *asynq.Task) error { return e.RunPeriodic(ctx, p) })
	}
	srv := asynq.NewServer(e.q.Opt, asynq.Config{
		Concurrency:     concurrency,
		Queues:          map[string]int{QueueName: 1},
		Logger:          slogAdapter{e.log},
		LogLevel:        asynq.WarnLevel,
		ShutdownTimeout: 10 * time.Second,
		// Delayed tasks (timers) move to pending within a second of their time.
		DelayedTaskCheckInterval: time.Second,
		RetryDelayFunc:           RetryDelay,
	})
	if err := srv.Start(mux); err != nil {
		return fmt.Errorf("workflows: start server: %w", err)
	}
	sched := asynq.NewScheduler(e.q.Opt, &asynq.SchedulerOpts{Logger: slogAdapter{e.log}, LogLevel: asynq.WarnLevel})
	for _, p := range periodic {
		if _, err := sched.Register("@every "+p.Every.String(), asynq.NewTask(p.Type, nil), asynq.Queue(QueueName), asynq.MaxRetry(0), asynq.Timeout(p.Every)); err != nil {
			srv.Shutdown()
			return fmt.Errorf("workflows: schedule %s: %w", p.Type, err)
		}
	}
	if err := sched.Start(); err != nil {
		srv.Shutdown()
		return fmt.Errorf("workflows: start scheduler: %w", err)
	}
	e.RunRelay(ctx)
	sched.Shutdown()
	srv.Shutdown()
	return nil
}

// RunPeriodic runs p if this tick takes its period's lease: once per period however many workers tick.
func (e *Engine) RunPeriodic(ctx context.Context, p Periodic) error {
	now := e.clk.Now()
	period := now.Truncate(p.Every)
	mine, err := e.st.ClaimPeriod(ctx, p.Type, period, now)
	if err != nil || !mine {
		return err
	}
	err = p.Run(ctx)
	// One line per period of each job, from the worker that ran it: evidence that the schedule
	// runs, and (the fault suite counts them) that it runs once however many workers tick.
	e.log.Info("periodic job ran", "job", p.Type, "period", period.UTC().Format(time.RFC3339), "took_ms", e.clk.Now().Sub(now).Milliseconds(), "err", err)
	return err
}

// RetryDelay is how long a failed task waits before its next try. A task that failed because the
// database or the queue was away retries soon, on a short capped backoff (1 s, 2 s, 4 s … 15 s),
// so that everything owed runs within seconds of the outage's end; asynq's own exponential
// backoff had breaches and messages come up to seven minutes late after a full disk was freed.
// A task whose worker died under it (killed, its lease expired) was not at fault either: it
// retries as soon (the fault suite's drain waited a minute on asynq's backoff after a kill -9).
// Any other failure keeps asynq's backoff.
func RetryDelay(n int, err error, t *asynq.Task) time.Duration {
	if unavailable(err) || errors.Is(err, asynq.ErrLeaseExpired) {
		return min(time.Second<<min(n, 4), 15*time.Second)
	}
	return asynq.DefaultRetryDelayFunc(n, err, t)
}

// unavailable tells an outage (the database away, full or read-only, a lock timeout) from a
// fault of the task.
func unavailable(err error) bool { return errors.Is(err, errs.Unavailable) || store.Unavailable(err) }

// slogAdapter lets asynq log through slog.
type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) Debug(args ...any) { a.l.Debug(fmt.Sprint(args...)) }
func (a slogAdapter) Info(args ...any)  { a.l.Info(fmt.Sprint(args...)) }
func (a slogAdapter) Warn(args ...any)  { a.l.Warn(fmt.Sprint(args...)) }
func (a slogAdapter) Error(args ...any) { a.l.Error(fmt.Sprint(args...)) }
func (a slogAdapter) Fatal(args ...any) { a.l.Error(fmt.Sprint(args...)) }
