package workflows

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
)

// Periodic task types.
const (
	TypeSweep        = "outbox:sweep"
	TypePurgeSession = "sessions:purge"
)

// Periodic is a scheduled job the worker runs.
type Periodic struct {
	Type string
	Spec string // cron spec, e.g. "@every 1m"
	Run  func(ctx context.Context) error
}

// RunWorker runs the asynq server, the scheduler and the relay until ctx ends.
func (e *Engine) RunWorker(ctx context.Context, concurrency int, periodic ...Periodic) error {
	periodic = append([]Periodic{{Type: TypeSweep, Spec: "@every 1m", Run: func(ctx context.Context) error {
		_, err := e.SweepOnce(ctx)
		return err
	}}}, periodic...)

	mux := asynq.NewServeMux()
	for typ := range e.effects {
		mux.HandleFunc(typ, e.HandleOutboxTask)
	}
	for _, p := range periodic {
		run := p.Run
		mux.HandleFunc(p.Type, func(ctx context.Context, _ *asynq.Task) error { return run(ctx) })
	}
	srv := asynq.NewServer(e.q.Opt, asynq.Config{
		Concurrency:     concurrency,
		Queues:          map[string]int{QueueName: 1},
		Logger:          slogAdapter{e.log},
		LogLevel:        asynq.WarnLevel,
		ShutdownTimeout: 10 * time.Second,
		// Delayed tasks (timers) move to pending within a second of their time.
		DelayedTaskCheckInterval: time.Second,
	})
	if err := srv.Start(mux); err != nil {
		return fmt.Errorf("workflows: start server: %w", err)
	}
	sched := asynq.NewScheduler(e.q.Opt, &asynq.SchedulerOpts{Logger: slogAdapter{e.log}, LogLevel: asynq.WarnLevel})
	for _, p := range periodic {
		// Unique keeps several schedulers (several worker processes) from piling up copies.
		if _, err := sched.Register(p.Spec, asynq.NewTask(p.Type, nil), asynq.Queue(QueueName), asynq.Unique(50*time.Second), asynq.MaxRetry(0)); err != nil {
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

// slogAdapter lets asynq log through slog.
type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) Debug(args ...any) { a.l.Debug(fmt.Sprint(args...)) }
func (a slogAdapter) Info(args ...any)  { a.l.Info(fmt.Sprint(args...)) }
func (a slogAdapter) Warn(args ...any)  { a.l.Warn(fmt.Sprint(args...)) }
func (a slogAdapter) Error(args ...any) { a.l.Error(fmt.Sprint(args...)) }
func (a slogAdapter) Fatal(args ...any) { a.l.Error(fmt.Sprint(args...)) }
