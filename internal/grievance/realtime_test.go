package grievance_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"qijian/internal/clock"
	"qijian/internal/grievance"
	"qijian/internal/store"
	"qijian/internal/testkit"
	"qijian/notify"
	"qijian/workflows"
)

// TestRealTimeDeadlineFiresOnceThroughTheQueue: a deadline a few seconds away, real clock, real
// queue and worker; it escalates the order exactly once, not before it is due.
func TestRealTimeDeadlineFiresOnceThroughTheQueue(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	f.svc.Clock = clock.Real{}
	o := f.file("ent-a", illegal, "")
	// Pull the accept deadline in to three seconds from now, and its timers with it.
	due := time.Now().Add(3 * time.Second)
	dls, _ := f.St.OpenDeadlines(ctx, o.ID)
	for _, d := range dls {
		if d.Stage == "accept" {
			d.DueAt, d.RemindAt = due, due.Add(-time.Second)
			if err := f.St.SaveDeadline(ctx, &d); err != nil {
				t.Fatal(err)
			}
		}
	}
	f.St.Gorm().Exec("DELETE FROM outbox WHERE task_type = ?", grievance.TaskDeadline)
	for _, d := range dls {
		if d.Stage == "accept" {
			f.St.QueueOutbox(ctx, grievance.TaskDeadline, map[string]any{"deadline_id": d.ID, "kind": "breach"}, time.Now(), due)
			f.St.QueueOutbox(ctx, grievance.TaskDeadline, map[string]any{"deadline_id": d.ID, "kind": "breach"}, time.Now(), due) // a duplicate timer
		}
	}
	q := testkit.Queue(t)
	e := workflows.NewEngine(f.St, q, clock.Real{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	e.Register(grievance.TaskDeadline, f.svc.HandleTimer)
	e.Register(notify.TaskDeliver, func(ctx context.Context, row *store.OutboxRow) error {
		return notify.Deliver(ctx, f.St, row, time.Now())
	})
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- e.RunWorker(wctx, 4) }()
	defer func() { cancel(); <-done }()

	time.Sleep(time.Until(due) - 500*time.Millisecond)
	if got, _ := f.St.Order(ctx, o.ID, false); got.Level != 0 {
		t.Fatal("escalated before the deadline")
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, _ := f.St.Order(ctx, o.ID, false)
		if got.Level == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not escalated 7 s after the deadline: level %d", got.Level)
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(1500 * time.Millisecond) // let the duplicate timer run too
	got, _ := f.St.Order(ctx, o.ID, false)
	ev, _ := f.St.OrderEvents(ctx, o.ID)
	n := 0
	for _, e := range ev {
		if e.Action == "escalate" {
			n++
		}
	}
	if got.Level != 1 || n != 1 {
		t.Fatalf("level %d after %d escalations, want exactly one", got.Level, n)
	}
}
