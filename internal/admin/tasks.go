package admin

import (
	"context"
	"fmt"
	"time"

	"qijian/internal/account"
)

// FailedTask is an outbox task that failed for good: the queue exhausted its retries or could
// not run it, and the sweep re-drove it as often as it does. Its payload is not shown (it may
// name people); its error is masked like the outbox's.
type FailedTask struct {
	ID                 uint64
	Type               string
	CreatedAt, RunAt   time.Time
	FailedAt           time.Time
	Attempts, Redrives int
	LastError          string
}

// FailedTasksLimit is how many of the newest failed tasks the admin's list shows.
const FailedTasksLimit = 200

// FailedTasks lists the tasks that failed for good, newest first, for an admin to look into.
func (s *Service) FailedTasks(ctx context.Context, a account.Actor) ([]FailedTask, error) {
	if err := allow(a, account.ReadOutbox); err != nil {
		return nil, err
	}
	rows, err := s.St.FailedOutbox(ctx, FailedTasksLimit)
	if err != nil {
		return nil, fmt.Errorf("admin: failed tasks: %w", err)
	}
	out := make([]FailedTask, len(rows))
	for i, r := range rows {
		out[i] = FailedTask{ID: r.ID, Type: r.TaskType, CreatedAt: r.CreatedAt, RunAt: r.RunAt, Attempts: r.Attempts, Redrives: r.Redrives,
			LastError: masked(Delivery{LastError: r.LastError}, nil).LastError}
		if r.FailedAt != nil {
			out[i].FailedAt = *r.FailedAt
		}
	}
	return out, nil
}

// RetryTask hands a failed task back to the relay once its cause is fixed (the queue runs it
// again as new), and audits who did, in the same transaction. A task that is not failed (done,
// retried already, or unknown) is not found.
func (s *Service) RetryTask(ctx context.Context, a account.Actor, id uint64) error {
	if err := allow(a, account.ManageWorkflow); err != nil {
		return err
	}
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		if err := s.St.RetryFailed(ctx, id); err != nil {
			return notFound("task", err)
		}
		return s.record(ctx, a, "task.retry", "outbox", id, nil)
	})
	if err != nil {
		return fmt.Errorf("admin: retry task %d: %w", id, err)
	}
	return nil
}
