package workflows_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"qijian/internal/clock"
	"qijian/internal/errs"
	"qijian/internal/store"
	"qijian/internal/testkit"
	"qijian/workflows"
)

func quietEngine(t *testing.T, st *store.Store, q *workflows.Queue, clk clock.Clock) *workflows.Engine {
	t.Helper()
	return workflows.NewEngine(st, q, clk, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// TestPeriodicRunsOncePerPeriod: two workers' schedulers both tick; the job runs once a period.
func TestPeriodicRunsOncePerPeriod(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testkit.Store(t)
	clk := clock.NewFake(time.Date(2026, 3, 2, 9, 0, 10, 0, time.UTC))
	a, b := quietEngine(t, st, nil, clk), quietEngine(t, testkit.Reopen(t, st), nil, clk)
	runs := 0
	p := workflows.Periodic{Type: "test:job", Every: time.Minute, Run: func(context.Context) error { runs++; return nil }}
	for _, e := range []*workflows.Engine{a, b, a} {
		if err := e.RunPeriodic(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if runs != 1 {
		t.Fatalf("three ticks in one minute ran the job %d times, want 1", runs)
	}
	clk.Advance(40 * time.Second) // 09:00:50, same period
	_ = b.RunPeriodic(ctx, p)
	clk.Advance(20 * time.Second) // 09:01:10, the next period
	_ = b.RunPeriodic(ctx, p)
	_ = a.RunPeriodic(ctx, p)
	if runs != 2 {
		t.Fatalf("after the next period: %d runs, want 2", runs)
	}
}

// TestPeriodicRunIsLoggedOnce: the worker that takes a period's lease logs one "periodic job
// ran" line with the job and the period (the fault suite counts them across two workers); the
// one that skips logs nothing.
func TestPeriodicRunIsLoggedOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testkit.Store(t)
	clk := clock.NewFake(time.Date(2026, 3, 2, 9, 0, 10, 0, time.UTC))
	var la, lb bytes.Buffer
	a := workflows.NewEngine(st, nil, clk, slog.New(slog.NewTextHandler(&la, nil)))
	b := workflows.NewEngine(testkit.Reopen(t, st), nil, clk, slog.New(slog.NewTextHandler(&lb, nil)))
	p := workflows.Periodic{Type: "test:logged", Every: 3 * time.Second, Run: func(context.Context) error { return nil }}
	for _, e := range []*workflows.Engine{a, b} {
		if err := e.RunPeriodic(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	logs := la.String() + lb.String()
	if n := strings.Count(logs, `msg="periodic job ran" job=test:logged period=2026-03-02T09:00:09Z`); n != 1 {
		t.Fatalf("two ticks in one period logged %d runs, want 1:\n%s", n, logs)
	}
}

// TestRetryDelayIsShortForOutages: a task that failed because the database was away comes back
// within seconds; any other failure keeps asynq's backoff.
func TestRetryDelayIsShortForOutages(t *testing.T) {
	t.Parallel()
	task := asynq.NewTask("x", nil)
	outage := fmt.Errorf("effect: %w", &errs.Error{Kind: errs.Unavailable, Code: "unavailable"})
	for n, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 15 * time.Second} {
		if got := workflows.RetryDelay(n, outage, task); got != want {
			t.Errorf("retry %d after an outage: %v, want %v", n, got, want)
		}
	}
	if got := workflows.RetryDelay(11, outage, task); got != 15*time.Second {
		t.Errorf("retry 11 after an outage: %v, want the 15 s cap", got)
	}
	if got := workflows.RetryDelay(0, asynq.ErrLeaseExpired, task); got != time.Second {
		t.Errorf("retry after the worker died under the task: %v, want 1 s", got)
	}
	if got := workflows.RetryDelay(11, errors.New("a bug"), task); got < time.Minute {
		t.Errorf("retry 11 after a fault: %v, want asynq's long backoff", got)
	}
}

// TestSweepRedrivesArchivedTasks: a task the queue archived (retries used up, or a type the
// worker did not know) is handed back by the sweep, at most three times; then it has failed for
// good and is listed for the admin instead of silently never running.
func TestSweepRedrivesArchivedTasks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testkit.Store(t)
	q := testkit.Queue(t)
	clk := clock.NewFake(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	e := quietEngine(t, st, q, clk)
	if err := st.QueueOutbox(ctx, "test:unknown", map[string]int{"n": 1}, clk.Now(), clk.Now()); err != nil {
		t.Fatal(err)
	}
	for round := 1; round <= 4; round++ {
		if n, err := e.RelayOnce(ctx); err != nil || n != 1 {
			t.Fatalf("round %d: relay %d, %v", round, n, err)
		}
		rows, _ := st.FailedOutbox(ctx, 10)
		if len(rows) != 0 {
			t.Fatalf("round %d: failed for good too early", round)
		}
		if err := q.Inspector.ArchiveTask(workflows.QueueName, "outbox-1"); err != nil {
			t.Fatalf("round %d: archive: %v", round, err)
		}
		clk.Advance(2 * time.Minute)
		n, err := e.SweepOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case round <= 3 && n != 1:
			t.Fatalf("round %d: the sweep handed back %d archived rows, want 1", round, n)
		case round == 4 && n != 0:
			t.Fatalf("round 4: handed back %d, want 0 (failed for good)", n)
		}
	}
	rows, err := st.FailedOutbox(ctx, 10)
	if err != nil || len(rows) != 1 || rows[0].Redrives != 3 {
		t.Fatalf("failed for good: %v %v", rows, err)
	}
	clk.Advance(2 * time.Minute)
	if n, _ := e.SweepOnce(ctx); n != 0 {
		t.Fatalf("a row failed for good came back: %d", n)
	}
	if err := st.RetryFailed(ctx, rows[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := q.Inspector.DeleteTask(workflows.QueueName, "outbox-1"); err != nil {
		t.Fatal(err)
	}
	if n, err := e.RelayOnce(ctx); err != nil || n != 1 {
		t.Fatalf("after the admin's retry: relay %d, %v", n, err)
	}
}

// TestRecoverLostHandsBackAtOnce: after an embedded queue restarts empty, every row it held is
// handed back to the relay at once, not 500 a minute by the sweep.
func TestRecoverLostHandsBackAtOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testkit.Store(t)
	q := testkit.Queue(t)
	clk := clock.NewFake(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	e := quietEngine(t, st, q, clk)
	err := st.WithTx(ctx, func(ctx context.Context) error {
		for i := range 1200 {
			if err := st.QueueOutbox(ctx, "test:timer", map[string]int{"i": i}, clk.Now(), clk.Now().Add(time.Duration(i)*time.Second)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := e.RelayOnce(ctx); err != nil || n != 1200 {
		t.Fatalf("relay: %d, %v", n, err)
	}
	_ = q.FlushAll(ctx) // the restart
	if n, err := e.RecoverLost(ctx); err != nil || n != 1200 {
		t.Fatalf("recovered %d, %v; want 1200", n, err)
	}
	if n, err := e.RelayOnce(ctx); err != nil || n != 1200 {
		t.Fatalf("relayed again %d, %v; want all 1200 in one pass", n, err)
	}
}

// TestPruneKeepsWhatIsOwed: done rows older than the retention go, in batches; undone and recent
// rows stay.
func TestPruneKeepsWhatIsOwed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testkit.Store(t)
	now := time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)
	old := now.Add(-10 * 24 * time.Hour)
	err := st.WithTx(ctx, func(ctx context.Context) error {
		for i := range 6000 {
			if err := st.QueueOutbox(ctx, "test:x", map[string]int{"i": i}, old, old); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Ids 1–5500 done long ago (more than one prune batch), 5501–5750 yesterday, the rest owed.
	db := st.Gorm().Model(&store.OutboxRow{})
	if err := db.Where("id <= 5500").Updates(map[string]any{"relayed_at": old, "done_at": old}).Error; err != nil {
		t.Fatal(err)
	}
	if err := st.Gorm().Model(&store.OutboxRow{}).Where("id > 5500 AND id <= 5750").Updates(map[string]any{"relayed_at": old, "done_at": now.Add(-24 * time.Hour)}).Error; err != nil {
		t.Fatal(err)
	}
	p, err := st.Prune(ctx, now.Add(-7*24*time.Hour))
	if err != nil || p.Outbox != 5500 {
		t.Fatalf("pruned %+v, %v; want the 5500 done before the cutoff", p, err)
	}
	left, _ := st.OutboxPending(ctx)
	if left != 250 {
		t.Fatalf("undone rows left: %d, want 250", left)
	}
	if _, err := st.OutboxByID(ctx, 5600); err != nil {
		t.Fatalf("a row done yesterday was pruned: %v", err)
	}
	if p, err := st.Prune(ctx, now.Add(-7*24*time.Hour)); err != nil || p.Outbox != 0 {
		t.Fatalf("a second prune: %+v, %v", p, err)
	}
}

// TestReconcileSettlesStuckDeliveries: a delivery left "sending" (its process gone after the
// send) becomes unknown after the bound, and is not sent again.
func TestReconcileSettlesStuckDeliveries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testkit.Store(t)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i, created := range []time.Time{now.Add(-3 * time.Hour), now.Add(-time.Minute)} {
		d := &store.Delivery{SourceID: uint64(i + 1), Channel: "sms", UserID: 1, Kind: "k", Recipient: "13800000000", Status: store.DeliveryQueued, CreatedAt: created}
		if err := st.CreateDelivery(ctx, d); err != nil {
			t.Fatal(err)
		}
		if _, ok, err := st.ClaimDelivery(ctx, d.ID); err != nil || !ok {
			t.Fatal(ok, err)
		}
	}
	n, err := st.ReconcileSending(ctx, now.Add(-time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("reconciled %d, %v; want the one stuck for hours", n, err)
	}
	rows, _ := st.Deliveries(ctx, "", 10)
	got := map[uint64]string{}
	for _, d := range rows {
		got[d.SourceID] = d.Status
	}
	if got[1] != store.DeliveryUnknown || got[2] != store.DeliverySending {
		t.Fatalf("statuses: %v", got)
	}
	if _, ok, _ := st.ClaimDelivery(ctx, rows[len(rows)-1].ID); ok {
		t.Fatal("a delivery of unknown outcome was claimed to be sent again")
	}
}
