package workflows_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"qijian/internal/message"

	"qijian/internal/account"
	"qijian/internal/clock"
	"qijian/internal/store"
	"qijian/internal/testkit"
	"qijian/notify"
	"qijian/workflows"

	"github.com/hibiken/asynq"
)

func newUser(t *testing.T, st *store.Store) *account.User {
	t.Helper()
	u := &account.User{Username: "u1", PasswordHash: "x", Role: account.RoleEnterprise}
	if err := st.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

// queueDeliver writes a delivery task as message.Send does for someone who wants SMS or email
// (anyone else's message goes straight to the inbox, without a task to lose).
func queueDeliver(ctx context.Context, st *store.Store, now time.Time, m message.Message) error {
	err := st.QueueOutbox(ctx, notify.TaskDeliver, m, now, now)
	return err
}

func countNotifications(t *testing.T, st *store.Store, userID uint) int {
	t.Helper()
	n, err := st.Notifications(context.Background(), userID, 100)
	if err != nil {
		t.Fatal(err)
	}
	return len(n)
}

// TestOutboxSurvivesRedisFlush: the work is committed as a row, Redis is flushed after the relay
// handed it over (the queue lost it), the sweep finds it, and it is done exactly once.
func TestOutboxSurvivesRedisFlush(t *testing.T) {
	ctx := context.Background()
	st := testkit.Store(t)
	q := testkit.Queue(t)
	clk := clock.NewFake(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	e := workflows.NewEngine(st, q, clk, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var calls sync.Map
	e.Register(notify.TaskDeliver, func(ctx context.Context, row *store.OutboxRow) error {
		v, _ := calls.LoadOrStore(row.ID, new(int))
		*(v.(*int))++
		return notify.Deliver(ctx, st, row, clk.Now())
	})
	u := newUser(t, st)

	err := st.WithTx(ctx, func(ctx context.Context) error {
		return queueDeliver(ctx, st, clk.Now(), message.Message{UserID: u.ID, Kind: "test", TitleZh: "你好", TitleEn: "Hello"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := e.RelayOnce(ctx); err != nil || n != 1 {
		t.Fatalf("relay: %d, %v", n, err)
	}
	if err := q.FlushAll(ctx); err != nil { // the queue loses the task
		t.Fatal(err)
	}
	if n, _ := e.SweepOnce(ctx); n != 0 {
		t.Fatalf("sweep recovered %d before the task was stale", n)
	}
	clk.Advance(2 * time.Minute)
	if n, err := e.SweepOnce(ctx); err != nil || n != 1 {
		t.Fatalf("sweep: %d, %v; want 1 recovered", n, err)
	}
	if n, err := e.RelayOnce(ctx); err != nil || n != 1 {
		t.Fatalf("relay after sweep: %d, %v", n, err)
	}
	// Monitoring and the sweep's inspector see the queue again after Redis lost it.
	if qs, err := q.Inspector.Queues(); err != nil || !slices.Contains(qs, workflows.QueueName) {
		t.Fatalf("queues after the flush and a relay: %v, %v", qs, err)
	}

	wctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- e.RunWorker(wctx, 4) }()
	deadline := time.Now().Add(15 * time.Second)
	for countNotifications(t, st, u.ID) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := countNotifications(t, st, u.ID); got != 1 {
		t.Fatalf("notifications: %d, want exactly 1", got)
	}

	// A duplicate delivery of the same task (as after a worker crash) does nothing.
	pending, _ := st.OutboxPending(ctx)
	if pending != 0 {
		t.Fatalf("outbox pending after work: %d", pending)
	}
	task := asynq.NewTask(notify.TaskDeliver, []byte(`{"outbox_id":1}`))
	if err := e.HandleOutboxTask(ctx, task); err != nil {
		t.Fatal(err)
	}
	if got := countNotifications(t, st, u.ID); got != 1 {
		t.Fatalf("after a duplicate delivery: %d notifications, want 1", got)
	}
	clk.Advance(10 * time.Minute)
	if n, _ := e.SweepOnce(ctx); n != 0 {
		t.Fatalf("sweep re-enqueued %d finished tasks", n)
	}
	calls.Range(func(k, v any) bool {
		if *(v.(*int)) != 1 {
			t.Errorf("effect of outbox %v ran %d times", k, *(v.(*int)))
		}
		return true
	})
}

// TestOutboxRollbackSendsNothing: work written in a transaction that rolls back never happens.
func TestOutboxRollbackSendsNothing(t *testing.T) {
	ctx := context.Background()
	st := testkit.Store(t)
	u := newUser(t, st)
	_ = st.WithTx(ctx, func(ctx context.Context) error {
		_ = queueDeliver(ctx, st, time.Now(), message.Message{UserID: u.ID, Kind: "x", TitleZh: "x"})
		return context.Canceled
	})
	if n, _ := st.OutboxPending(ctx); n != 0 {
		t.Fatalf("a rolled-back send left %d outbox rows", n)
	}
}

// TestConcurrentDuplicateDeliveries: many workers handling the same task make one effect.
func TestConcurrentDuplicateDeliveries(t *testing.T) {
	ctx := context.Background()
	st := testkit.Store(t)
	q := testkit.Queue(t)
	clk := clock.Real{}
	e := workflows.NewEngine(st, q, clk, slog.New(slog.NewTextHandler(io.Discard, nil)))
	e.Register(notify.TaskDeliver, func(ctx context.Context, row *store.OutboxRow) error {
		return notify.Deliver(ctx, st, row, clk.Now())
	})
	u := newUser(t, st)
	if err := st.WithTx(ctx, func(ctx context.Context) error {
		return queueDeliver(ctx, st, clk.Now(), message.Message{UserID: u.ID, Kind: "x", TitleZh: "x"})
	}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = e.HandleOutboxTask(ctx, asynq.NewTask(notify.TaskDeliver, []byte(`{"outbox_id":1}`)))
		}()
	}
	wg.Wait()
	if got := countNotifications(t, st, u.ID); got != 1 {
		t.Fatalf("%d notifications from 10 concurrent deliveries, want 1", got)
	}
}
