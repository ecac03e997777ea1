package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"qijian/internal/store"
	"qijian/internal/testkit"
)

// In strict mode (testkit's), a gorm read, update or delete of a table inside the transaction
// that buffered rows for it fails naming the table, in a plain or a lazy transaction, and is
// remembered even when the caller drops the error; other tables, and the same table outside
// the transaction or after it commits, read as usual.
func TestStrictModeRefusesReadsOfBufferedTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testkit.Store(t)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	refused := func(err error, table string) bool {
		return err != nil && strings.Contains(err.Error(), "strict mode: "+table+" is read")
	}
	for _, tx := range []struct {
		name string
		run  func(context.Context, func(context.Context) error) error
	}{{"WithTx", st.WithTx}, {"WithLazyTx", st.WithLazyTx}} {
		t.Run(tx.name, func(t *testing.T) {
			sentinel := errors.New("rolled back on purpose")
			err := tx.run(ctx, func(ctx context.Context) error {
				if err := st.QueueNotification(ctx, store.Notification{UserID: 1, Kind: "k", Title: "t", CreatedAt: at}); err != nil {
					return err
				}
				if err := st.QueueInsert(ctx, lazyOrder(901, "QJ-STRICT")); err != nil {
					return err
				}
				if _, err := st.Notifications(ctx, 1, 10); !refused(err, "notifications") {
					t.Errorf("a read of buffered notifications: %v", err)
				}
				var n int64
				if err := st.DB(ctx).Model(&store.WorkOrder{}).Count(&n).Error; !refused(err, "work_orders") {
					t.Errorf("a count of buffered orders: %v", err)
				}
				if err := st.DB(ctx).Model(&store.WorkOrder{}).Where("id = ?", 1).Update("status", "x").Error; !refused(err, "work_orders") {
					t.Errorf("an update of buffered orders: %v", err)
				}
				if err := st.DB(ctx).Where("id = ?", 1).Delete(&store.WorkOrder{}).Error; !refused(err, "work_orders") {
					t.Errorf("a delete of buffered orders: %v", err)
				}
				if _, err := st.OrderDeadlines(ctx, 901); err != nil {
					t.Errorf("a table with nothing buffered: %v", err)
				}
				return sentinel
			})
			if !errors.Is(err, sentinel) {
				t.Fatal(err)
			}
			if got := st.StrictViolations(); len(got) != 4 {
				t.Fatalf("%d violations remembered, want 4: %v", len(got), got)
			}
			if got := st.StrictViolations(); len(got) != 0 {
				t.Fatalf("violations not forgotten once returned: %v", got)
			}
		})
	}
	// Outside a transaction, and after the commit, the rows are there to read.
	err := st.WithTx(ctx, func(ctx context.Context) error {
		return st.QueueNotification(ctx, store.Notification{UserID: 1, Kind: "k", Title: "t", CreatedAt: at})
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := st.Notifications(ctx, 1, 10); err != nil || len(n) != 1 {
		t.Fatalf("after the commit: %v %v", n, err)
	}
	// Strict mode off (production): the read goes through and misses the buffered row.
	st.SetStrict(false)
	defer st.SetStrict(true)
	err = st.WithTx(ctx, func(ctx context.Context) error {
		if err := st.QueueNotification(ctx, store.Notification{UserID: 1, Kind: "k", Title: "t2", CreatedAt: at}); err != nil {
			return err
		}
		n, err := st.Notifications(ctx, 1, 10)
		if err != nil || len(n) != 1 {
			t.Errorf("strict mode off: %v %v", n, err)
		}
		return err
	})
	if err != nil || len(st.StrictViolations()) != 0 {
		t.Fatalf("strict mode off: %v", err)
	}
}

// QueueInsert takes only the buffered models, as slices.
func TestQueueInsertRefusesUnbufferedModels(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testkit.Store(t)
	err := st.WithTx(ctx, func(ctx context.Context) error {
		return st.QueueInsert(ctx, []store.RoutingRule{{Type: "x"}})
	})
	if err == nil || !strings.Contains(err.Error(), "store.RoutingRule is not a buffered model") {
		t.Fatalf("an unlisted model: %v", err)
	}
	if err := st.QueueInsert(ctx, &store.Deadline{OrderID: 1}); err == nil || !strings.Contains(err.Error(), "want a slice") {
		t.Fatalf("a single row: %v", err)
	}
	if err := st.QueueInsert(ctx, []store.Deadline(nil)); err != nil {
		t.Fatalf("no rows: %v", err)
	}
}
