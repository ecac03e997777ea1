package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"qijian/internal/audit"
	"qijian/internal/store"
	"qijian/internal/testkit"
)

func TestAuditChainVerifiesAndDetectsTampering(t *testing.T) {
	ctx := context.Background()
	st := testkit.Store(t)
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if err := st.QueueAudit(ctx, audit.Event{At: time.Now(), ActorID: uint(i), ActorRole: "enterprise", Action: "test", ObjectType: "order", ObjectID: uint64(i), Detail: `{"n":1}`}); err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	// Several chainers at once (as several processes would run them) still make one line.
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := st.ChainAudit(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	var pending int64
	st.Gorm().Table("audit_pending").Count(&pending)
	if pending != 0 {
		t.Fatalf("%d events left pending after chaining", pending)
	}
	bad, n, err := st.VerifyAudit(ctx)
	if err != nil || bad != 0 || n != 20 {
		t.Fatalf("verify: bad %d, checked %d, err %v", bad, n, err)
	}
	if err := st.Gorm().Exec(`UPDATE audit_events SET detail = '{"n":2}' WHERE id = 7`).Error; err != nil {
		t.Fatal(err)
	}
	if bad, _, _ := st.VerifyAudit(ctx); bad != 7 {
		t.Fatalf("tampered row 7: verify says %d", bad)
	}
	st.Gorm().Exec(`UPDATE audit_events SET detail = '{"n":1}' WHERE id = 7`)
	if bad, _, _ := st.VerifyAudit(ctx); bad != 0 {
		t.Fatalf("restored row: verify says %d", bad)
	}
	st.Gorm().Exec(`DELETE FROM audit_events WHERE id = 12`)
	if bad, _, _ := st.VerifyAudit(ctx); bad != 12 {
		t.Fatalf("deleted row 12: verify says %d", bad)
	}
}

func TestAuditChainDetectsTruncation(t *testing.T) {
	ctx := context.Background()
	st := testkit.Store(t)
	for i := 0; i < 3; i++ {
		if err := st.QueueAudit(ctx, audit.Event{At: time.Now(), Action: "x", ObjectType: "order", ObjectID: 1}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := st.ChainAudit(ctx); err != nil || n != 3 {
		t.Fatalf("chained %d, %v", n, err)
	}
	st.Gorm().Exec(`DELETE FROM audit_events WHERE id = 3`)
	if bad, _, _ := st.VerifyAudit(ctx); bad != 3 {
		t.Fatalf("truncated chain: verify says %d", bad)
	}
}

// More events than one chain transaction takes are chained in several, in the order they were
// written, and the chainer started in the background picks up what a commit left pending.
func TestAuditChainInBatchesInOrder(t *testing.T) {
	ctx := context.Background()
	st := testkit.Store(t)
	const n = 2500
	appendPendingAndChain(t, st, n)
	deadline := time.Now().Add(10 * time.Second)
	for {
		var pending int64
		st.Gorm().Table("audit_pending").Count(&pending)
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d events still pending", pending)
		}
		time.Sleep(20 * time.Millisecond)
	}
	var objs []uint64
	st.Gorm().Table("audit_events").Order("id").Pluck("object_id", &objs)
	if len(objs) != n {
		t.Fatalf("%d events chained, want %d", len(objs), n)
	}
	for i, o := range objs {
		if o != uint64(i+1) {
			t.Fatalf("chain entry %d is event %d: out of order", i+1, o)
		}
	}
	if bad, checked, err := st.VerifyAudit(ctx); err != nil || bad != 0 || checked != n {
		t.Fatalf("verify: bad %d, checked %d, err %v", bad, checked, err)
	}
}

// On PostgreSQL the chainer vacuums audit_pending every vacuumPendingEvery events, so the rows it
// deleted stop costing the next chains a walk past them.
func TestAuditChainerVacuumsPending(t *testing.T) {
	ctx := context.Background()
	st := testkit.IsolatedStore(t) // other tests' open transactions would keep the dead rows
	if st.Dialect != "postgres" {
		t.Skip("PostgreSQL only: set QIJIAN_TEST_DATABASE_URL")
	}
	appendPendingAndChain(t, st, 10000)
	deadline := time.Now().Add(20 * time.Second)
	for {
		// A vacuum reports its counts at once; the dead rows it found are gone.
		var vacuums, dead int64
		st.Gorm().Raw("SELECT vacuum_count, n_dead_tup FROM pg_stat_user_tables WHERE relid = 'audit_pending'::regclass").Row().Scan(&vacuums, &dead)
		if vacuums > 0 && dead == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("audit_pending: %d vacuums, %d dead rows: not vacuumed after chaining", vacuums, dead)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if bad, n, err := st.VerifyAudit(ctx); err != nil || bad != 0 || n != 10000 {
		t.Fatalf("verify: bad %d, checked %d, err %v", bad, n, err)
	}
}

// appendPendingAndChain commits n audit events (objects 1…n) in one transaction, then starts the
// background chainer until the test ends.
func appendPendingAndChain(t *testing.T, st *store.Store, n int) {
	t.Helper()
	ctx := context.Background()
	err := st.WithTx(ctx, func(ctx context.Context) error {
		for i := 1; i <= n; i++ {
			if err := st.QueueAudit(ctx, audit.Event{At: time.Now(), Action: "x", ObjectType: "order", ObjectID: uint64(i)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	t.Cleanup(stop)
	go st.RunAuditChainer(runCtx, time.Hour, func(err error) { t.Error(err) })
}
