package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"qijian/internal/audit"
	"qijian/internal/store"
	"qijian/internal/testkit"
)

func lazyOrder(id uint64, number string) []store.WorkOrder {
	return []store.WorkOrder{{ID: id, Number: number, Type: "conduct", Description: "x", Status: "submitted", Channel: "12345", CountyCode: "330302", EnterpriseID: 1}}
}

func count(t *testing.T, st *store.Store, table string) int64 {
	t.Helper()
	var n int64
	if err := st.Gorm().Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// A lazy transaction is still one: buffered rows land together or not at all, whether it sent
// a statement of its own (then BEGIN … COMMIT) or none (then the commit's one INSERT alone).
func TestLazyTxIsAllOrNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testkit.Store(t)
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	write := func(ctx context.Context, id uint64, number string) error {
		if err := st.QueueInsert(ctx, lazyOrder(id, number)); err != nil {
			return err
		}
		if err := st.QueueNotification(ctx, store.Notification{UserID: 1, Kind: "k", Title: number, CreatedAt: at}); err != nil {
			return err
		}
		return st.QueueAudit(ctx, audit.Event{At: at, ActorID: 1, ActorRole: "enterprise", Action: "order.submit", ObjectType: "order", ObjectID: id})
	}
	// No statement of its own: committed by the INSERT alone, and the after-commit hooks run.
	ran := false
	err := st.WithLazyTx(ctx, func(ctx context.Context) error {
		if !store.InTx(ctx) {
			t.Fatal("a lazy transaction's context does not say it is in one")
		}
		store.AfterCommit(ctx, func(context.Context) { ran = true })
		return write(ctx, 101, "QJ-LAZY-1")
	})
	if err != nil || !ran || count(t, st, "work_orders") != 1 || count(t, st, "notifications") != 1 {
		t.Fatalf("lazy commit: %v, hook ran %v, %d orders, %d notifications", err, ran, count(t, st, "work_orders"), count(t, st, "notifications"))
	}
	// The INSERT fails on its last-but-one table (the number is taken): nothing of it lands.
	err = st.WithLazyTx(ctx, func(ctx context.Context) error { return write(ctx, 102, "QJ-LAZY-1") })
	if !errors.Is(err, store.ErrConflict) || count(t, st, "work_orders") != 1 || count(t, st, "notifications") != 1 {
		t.Fatalf("a failed INSERT left rows: %v, %d orders, %d notifications", err, count(t, st, "work_orders"), count(t, st, "notifications"))
	}
	// A statement of its own, then an error: its write is rolled back with the buffer.
	boom := errors.New("boom")
	err = st.WithLazyTx(ctx, func(ctx context.Context) error {
		if err := st.DB(ctx).Exec("UPDATE work_orders SET description = 'changed'").Error; err != nil {
			return err
		}
		if err := write(ctx, 103, "QJ-LAZY-3"); err != nil {
			return err
		}
		return boom
	})
	var desc string
	st.Gorm().Raw("SELECT description FROM work_orders").Scan(&desc)
	if !errors.Is(err, boom) || desc != "x" || count(t, st, "work_orders") != 1 {
		t.Fatalf("a failed lazy transaction kept its writes: %v, description %q, %d orders", err, desc, count(t, st, "work_orders"))
	}
	// A statement of its own, then success: both land.
	err = st.WithLazyTx(ctx, func(ctx context.Context) error {
		if err := st.DB(ctx).Exec("UPDATE work_orders SET description = 'changed'").Error; err != nil {
			return err
		}
		return write(ctx, 104, "QJ-LAZY-4")
	})
	st.Gorm().Raw("SELECT description FROM work_orders WHERE id = 101").Scan(&desc)
	if err != nil || desc != "changed" || count(t, st, "work_orders") != 2 {
		t.Fatalf("a lazy transaction with a statement: %v, description %q, %d orders", err, desc, count(t, st, "work_orders"))
	}
	// A panic after a statement rolls it back and goes on up.
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the panic was swallowed")
			}
		}()
		_ = st.WithLazyTx(ctx, func(ctx context.Context) error {
			st.DB(ctx).Exec("UPDATE work_orders SET description = 'panicked'")
			panic("boom")
		})
	}()
	st.Gorm().Raw("SELECT description FROM work_orders WHERE id = 101").Scan(&desc)
	if desc != "changed" {
		t.Fatalf("a panicking lazy transaction kept its write: %q", desc)
	}
}

// Taking ids, even when the pool must be refilled from the sequences, does not begin a lazy
// transaction: nextval is not undone by a rollback, so it goes through the pool, and a batch
// that reads nothing else still commits as its one INSERT.
func TestIDRefillLeavesALazyTxUnbegun(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testkit.Store(t)
	if st.Dialect != "postgres" {
		t.Skip("PostgreSQL only (SQLite's lazy transaction is a plain one): set QIJIAN_TEST_DATABASE_URL")
	}
	for round := range 3 { // the first takes a refill; a large want forces one again
		err := st.WithLazyTx(ctx, func(ctx context.Context) error {
			ids, err := st.ReserveIDs(ctx, store.IDWant{Table: "work_orders", N: 1 + 300*round})
			if err != nil {
				return err
			}
			if store.TxBegun(ctx) {
				t.Errorf("round %d: taking ids began the lazy transaction", round)
			}
			return st.QueueInsert(ctx, lazyOrder(ids[0][0], "QJ-REFILL-"+string(rune('A'+round))))
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, st, "work_orders"); n != 3 {
		t.Fatalf("%d orders written, want 3", n)
	}
}
