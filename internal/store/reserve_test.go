package store_test

import (
	"context"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"qijian/internal/store"
	"qijian/internal/testkit"
)

// Ids reserved by successive batches are distinct and ascending within a process, and another
// process's never the same; on PostgreSQL most batches cost no query for them (idPool).
func TestReservedIDsAreDistinctAndMostlyFree(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := testkit.Store(t)
	var queries atomic.Int64
	_ = st.Gorm().Callback().Row().After("gorm:row").Register("test:count", func(*gorm.DB) { queries.Add(1) })
	seen := map[uint64]bool{}
	var last uint64
	take := func(s *store.Store, n int) {
		t.Helper()
		err := s.WithTx(ctx, func(ctx context.Context) error {
			ids, err := s.ReserveIDs(ctx, store.IDWant{Table: "work_orders", N: n}, store.IDWant{Table: "order_deadlines", N: 2 * n})
			if err != nil {
				return err
			}
			if len(ids[0]) != n || len(ids[1]) != 2*n {
				t.Fatalf("asked %d and %d ids, got %v", n, 2*n, ids)
			}
			orders := make([]store.WorkOrder, n)
			for i, id := range ids[0] {
				orders[i] = store.WorkOrder{ID: id, Number: store.OrderNumber(2026, id), Type: "conduct", Description: "x", Status: "submitted", Channel: "12345", CountyCode: "330302", EnterpriseID: 1}
			}
			if err := s.QueueInsert(ctx, orders); err != nil {
				return err
			}
			for _, id := range ids[0] {
				if seen[id] {
					t.Fatalf("order id %d handed out twice", id)
				}
				seen[id] = true
				if s == st && id <= last {
					t.Fatalf("ids not ascending: %d after %d", id, last)
				}
				if s == st {
					last = id
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	take(st, 5) // the first fills the pool
	queries.Store(0)
	for range 9 {
		take(st, 5)
	}
	if st.Dialect == "postgres" && queries.Load() != 0 {
		t.Fatalf("9 more batches of 5 orders took %d queries for their ids, want 0", queries.Load())
	}
	other := testkit.Reopen(t, st)
	for range 3 {
		take(other, 7)
		take(st, 300) // more than a refill's worth
	}
}
