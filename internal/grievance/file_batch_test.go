package grievance_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"qijian/internal/errs"
	"qijian/internal/grievance"
	"qijian/internal/idem"
	"qijian/internal/store"
)

// Filings that arrive together are written in one transaction, yet each is whole, each keeps
// its own outcome, and one filing's bad reference fails that filing only.
func TestGroupCommitWritesEachFilingWholeAndApart(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	a, b := f.Actor("ent-a"), f.Actor("ent-b")
	earlier := f.file("ent-a", illegal, "used-before")
	ordersBefore := f.count("SELECT COUNT(*) FROM work_orders")
	batchesBefore, _ := f.svc.GroupCommits()

	conduct := grievance.Filing{Type: "conduct", Description: "检查人员态度粗暴，干扰生产"}
	badBody := illegal
	badBody.BodyID = 9999
	in := []grievance.Together{
		{By: a, EnterpriseID: a.EnterpriseID, F: illegal},
		{By: b, EnterpriseID: b.EnterpriseID, F: conduct},
		{By: a, EnterpriseID: a.EnterpriseID, F: badBody},                     // 2: no such body
		{By: a, EnterpriseID: 424242, F: conduct},                             // 3: no such enterprise
		{By: a, EnterpriseID: a.EnterpriseID, F: illegal, Key: "k-1"},         // 4: first use of k-1
		{By: a, EnterpriseID: a.EnterpriseID, F: illegal, Key: "k-1"},         // 5: the same key again in the batch
		{By: a, EnterpriseID: a.EnterpriseID, F: conduct, Key: "used-before"}, // 6: a key used before, for another filing
		{By: b, EnterpriseID: b.EnterpriseID, F: illegal, Key: "k-1"},         // 7: another user's k-1 is its own
	}
	for range 12 {
		in = append(in, grievance.Together{By: b, EnterpriseID: b.EnterpriseID, F: illegal})
	}
	reclaimsBefore := f.svc.Reclaims()
	out := f.svc.FileTogether(ctx, in)

	if batches, _ := f.svc.GroupCommits(); batches-batchesBefore != 1 {
		t.Fatalf("%d filings arriving together took %d transactions, want 1", len(in), batches-batchesBefore)
	}
	if errs.FieldsOf(out[2].Err)["body_id"] == "" || out[2].Order != nil {
		t.Errorf("unknown body: %+v, want a body_id field error", out[2])
	}
	if !errors.Is(out[3].Err, store.ErrNotFound) || out[3].Order != nil {
		t.Errorf("unknown enterprise: %+v, want not found", out[3])
	}
	if out[4].Order == nil || out[5].Order != nil || out[5].Replay != out[4].Order.ID {
		t.Errorf("the same key twice in a batch: %+v then %+v, want one order and a replay of it", out[4], out[5])
	}
	if out[6].Order != nil || out[6].Replay != 0 || !errors.Is(out[6].Err, idem.ErrMismatch) {
		t.Errorf("a key used before for another filing: %+v, want the mismatch refused", out[6])
	}
	if out[7].Order == nil || out[7].Order.ID == out[4].Order.ID {
		t.Errorf("another user's key of the same text: %+v, want its own order", out[7])
	}
	created := 0
	seen := map[uint64]bool{}
	for i, r := range out {
		if r.Order == nil {
			continue
		}
		if r.Err != nil || seen[r.Order.ID] {
			t.Fatalf("filing %d: %+v", i, r)
		}
		seen[r.Order.ID] = true
		created++
		if r.Order.EnterpriseID != in[i].EnterpriseID || r.Order.Type != in[i].F.Type {
			t.Errorf("filing %d got someone else's order: %+v", i, r.Order)
		}
		f.assertWhole(r.Order.ID, in[i].F.Reasons...)
	}
	if want := len(in) - 4; created != want {
		t.Errorf("%d orders created, want %d", created, want)
	}
	if n := f.count("SELECT COUNT(*) FROM work_orders") - ordersBefore; n != int64(created) {
		t.Errorf("%d rows added for %d orders", n, created)
	}
	if n := f.svc.Reclaims() - reclaimsBefore; n != 1 {
		t.Errorf("a batch with a key used before was written %d more times, want 1 (keys claimed first)", n)
	}
	// The same filing with the key used before is the first order again.
	if again := f.file("ent-a", illegal, "used-before"); again.ID != earlier.ID {
		t.Errorf("a repeat of the first filing with its key: order %d, want %d", again.ID, earlier.ID)
	}
}

// New keys are written with the orders, in the commit's INSERT, and need no claim of their own;
// only a batch that meets a used key is written again, claiming first.
func TestGroupCommitWritesNewKeysWithTheOrders(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	a, b := f.Actor("ent-a"), f.Actor("ent-b")
	var in []grievance.Together
	for i := range 10 {
		by := a
		if i%2 == 1 {
			by = b
		}
		in = append(in, grievance.Together{By: by, EnterpriseID: by.EnterpriseID, F: illegal, Key: fmt.Sprintf("new-%d", i/2)})
	}
	out := f.svc.FileTogether(ctx, in)
	for i, r := range out {
		if r.Err != nil || r.Order == nil {
			t.Fatalf("filing %d: %+v", i, r)
		}
		f.assertWhole(r.Order.ID, in[i].F.Reasons...)
		if got := f.count(fmt.Sprintf("SELECT order_id FROM idempotency_keys WHERE user_id = %d AND key = '%s'", in[i].By.UserID, in[i].Key)); got != int64(r.Order.ID) {
			t.Errorf("filing %d: key %s stands for order %d, want %d", i, in[i].Key, got, r.Order.ID)
		}
	}
	if n := f.svc.Reclaims(); n != 0 {
		t.Errorf("a batch of new keys was written %d more times, want 0", n)
	}
	// The same keys again: each gets its order back, and nothing new is written.
	orders := f.count("SELECT COUNT(*) FROM work_orders")
	again := f.svc.FileTogether(ctx, in)
	for i, r := range again {
		if r.Err != nil || r.Order != nil || r.Replay != out[i].Order.ID {
			t.Errorf("filing %d again: %+v, want a replay of order %d", i, r, out[i].Order.ID)
		}
	}
	if n := f.count("SELECT COUNT(*) FROM work_orders"); n != orders {
		t.Errorf("replays added %d orders", n-orders)
	}
	if n := f.svc.Reclaims(); n != 1 {
		t.Errorf("a batch of used keys was written %d more times, want 1", n)
	}
}

// A write that fails inside the batch's transaction (here, forced) must not take the others
// with it: the batch is rolled back and each filing is written alone.
func TestGroupCommitRetriesAloneWhenTheBatchFails(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	a := f.Actor("ent-a")
	poison := grievance.Filing{Type: "conduct", Description: "这一条的写入会失败"}
	grievance.FailCreate(f.svc, func(o *store.WorkOrder) bool { return strings.Contains(o.Description, "写入会失败") })
	in := []grievance.Together{
		{By: a, EnterpriseID: a.EnterpriseID, F: illegal},
		{By: a, EnterpriseID: a.EnterpriseID, F: poison},
		{By: a, EnterpriseID: a.EnterpriseID, F: illegal, Key: "retry-key"},
	}
	before := f.count("SELECT COUNT(*) FROM work_orders")
	out := f.svc.FileTogether(ctx, in)
	if out[1].Err == nil || out[1].Order != nil {
		t.Fatalf("the failing filing: %+v, want its error", out[1])
	}
	for _, i := range []int{0, 2} {
		if out[i].Err != nil || out[i].Order == nil {
			t.Fatalf("filing %d beside a failing one: %+v", i, out[i])
		}
		f.assertWhole(out[i].Order.ID, in[i].F.Reasons...)
	}
	if n := f.count("SELECT COUNT(*) FROM work_orders") - before; n != 2 {
		t.Fatalf("%d orders written, want 2", n)
	}
	if n := f.count("SELECT COUNT(*) FROM idempotency_keys WHERE key = 'retry-key'"); n != 1 {
		t.Fatalf("the retried filing's key stored %d times", n)
	}
}

// A bug that panics while one filing is written fails that filing alone; the leader goroutine
// survives (a panic there would end the process) and the others are stored.
func TestGroupCommitSurvivesAPanic(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	a := f.Actor("ent-a")
	grievance.FailCreate(f.svc, func(o *store.WorkOrder) bool {
		if strings.Contains(o.Description, "引发故障") {
			panic("boom")
		}
		return false
	})
	in := []grievance.Together{
		{By: a, EnterpriseID: a.EnterpriseID, F: illegal},
		{By: a, EnterpriseID: a.EnterpriseID, F: grievance.Filing{Type: "conduct", Description: "这一条会引发故障"}},
		{By: a, EnterpriseID: a.EnterpriseID, F: illegal},
	}
	out := f.svc.FileTogether(ctx, in)
	if out[1].Err == nil || !strings.Contains(out[1].Err.Error(), "panic") || out[1].Order != nil {
		t.Fatalf("the panicking filing: %+v", out[1])
	}
	for _, i := range []int{0, 2} {
		if out[i].Err != nil || out[i].Order == nil {
			t.Fatalf("filing %d beside a panicking one: %+v", i, out[i])
		}
		f.assertWhole(out[i].Order.ID, in[i].F.Reasons...)
	}
	if o, err := f.svc.File(ctx, a, illegal, ""); err != nil || !o.Created {
		t.Fatalf("filing after the panic: %+v %v", o, err)
	}
}

// Many callers at once: every filing is stored once and whole, and they share transactions.
func TestGroupCommitUnderConcurrency(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	a := f.Actor("ent-a")
	const n = 60
	ids := make([]uint64, n)
	fails := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, err := f.svc.File(ctx, a, illegal, fmt.Sprintf("c-%d", i))
			if err == nil && !o.Created {
				err = errors.New("not created")
			}
			fails[i], ids[i] = err, o.ID
		}()
	}
	wg.Wait()
	seen := map[uint64]bool{}
	for i := range n {
		if fails[i] != nil || ids[i] == 0 || seen[ids[i]] {
			t.Fatalf("filing %d: order %d, %v", i, ids[i], fails[i])
		}
		seen[ids[i]] = true
		f.assertWhole(ids[i], illegal.Reasons...)
	}
	batches, filings := f.svc.GroupCommits()
	t.Logf("%d filings in %d transactions", filings, batches)
	if filings != n || batches > filings {
		t.Fatalf("group commit counted %d filings in %d batches", filings, batches)
	}
}

// A filing that arrives while a batch is being written waits for that batch's leader unless
// enough others wait with it to fill a batch of their own: fewer, fuller batches.
func TestSecondBatchStartsOnlyWhenFourWait(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		running, max, queued int
		want                 bool
	}{
		{0, 2, 1, true},  // an idle portal writes a filing at once
		{0, 1, 1, true},  // SQLite too
		{1, 2, 1, false}, // one waiting goes with the running leader's next batch
		{1, 2, 3, false},
		{1, 2, 4, true}, // four make a batch of their own beside the running one
		{1, 2, 30, true},
		{2, 2, 30, false}, // never more than max
		{1, 1, 30, false}, // SQLite writes one transaction at a time
	} {
		if got := grievance.StartLeader(c.running, c.max, c.queued); got != c.want {
			t.Errorf("startLeader(running %d, max %d, queued %d) = %v, want %v", c.running, c.max, c.queued, got, c.want)
		}
	}
}

// Orders written inside a caller's transaction are buffered until it commits; two in one
// transaction (two clues from one inspection, or a clue and a filing) still get their own ids,
// and the clues are the system's: no filer, source system, their rule as their reason.
func TestTwoOrdersInOneTransaction(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	a := f.Actor("ent-a")
	var clue1, clue2, filed grievance.Filed
	err := f.St.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if clue1, err = f.svc.FileClue(ctx, a.EnterpriseID, 1, "NOTICE-1", "未送达检查通知书", ""); err != nil {
			return err
		}
		if clue2, err = f.svc.FileClue(ctx, a.EnterpriseID, 1, "CODE-1", "未出示行政行为码", ""); err != nil {
			return err
		}
		filed, err = f.svc.FileInTx(ctx, a, illegal, "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if clue1.ID == clue2.ID || clue2.ID == filed.ID || clue1.ID == filed.ID || !filed.Created {
		t.Fatalf("ids %d, %d, %d: want three", clue1.ID, clue2.ID, filed.ID)
	}
	for c, rule := range map[uint64]string{clue1.ID: "NOTICE-1", clue2.ID: "CODE-1"} {
		got := f.order(c)
		reasons, err := f.St.OrderReasons(ctx, c)
		if err != nil || got.FiledByUserID != 0 || got.Source != "system" || fmt.Sprint(reasons) != "["+rule+"]" {
			t.Fatalf("clue order %d: %+v, reasons %v %v", c, got, reasons, err)
		}
	}
	f.assertWhole(filed.ID, illegal.Reasons...)
	if got := f.order(filed.ID); got.Source != "enterprise" {
		t.Fatalf("an enterprise's own filing has source %q", got.Source)
	}
}

// File writes in a group commit of its own, FileInTx in the caller's transaction: each refuses
// the other's context, rather than write what a rollback could not undo, or nothing at all.
func TestFileAndFileInTxRefuseTheOthersContext(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	a := f.Actor("ent-a")
	before, reasonsBefore := f.count("SELECT COUNT(*) FROM work_orders"), f.count("SELECT COUNT(*) FROM order_reasons")
	err := f.St.WithTx(ctx, func(ctx context.Context) error {
		_, err := f.svc.File(ctx, a, illegal, "")
		return err
	})
	if !errors.Is(err, grievance.ErrInTx) {
		t.Fatalf("File in a transaction: %v, want ErrInTx", err)
	}
	if _, err := f.svc.FileInTx(ctx, a, illegal, ""); !errors.Is(err, grievance.ErrNoTx) {
		t.Fatalf("FileInTx outside a transaction: %v, want ErrNoTx", err)
	}
	if _, err := f.svc.FileClue(ctx, a.EnterpriseID, 1, "NOTICE-1", "x", ""); !errors.Is(err, grievance.ErrNoTx) {
		t.Fatalf("FileClue outside a transaction: %v, want ErrNoTx", err)
	}
	if n := f.count("SELECT COUNT(*) FROM work_orders") - before; n != 0 {
		t.Fatalf("refused filings wrote %d orders", n)
	}
	// Rolled back with its transaction, a FileInTx leaves nothing.
	boom := errors.New("boom")
	err = f.St.WithTx(ctx, func(ctx context.Context) error {
		if _, err := f.svc.FileInTx(ctx, a, illegal, "rolled-back"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) || f.count("SELECT COUNT(*) FROM work_orders")-before != 0 || f.count("SELECT COUNT(*) FROM order_reasons") != reasonsBefore {
		t.Fatalf("a rolled-back FileInTx: %v, left rows behind", err)
	}
}

// A filing's reasons ride in the batch's commit-time INSERT: on PostgreSQL a batch naming
// reasons sends no statement more than one naming none (the rows are one more table in the one
// INSERT); SQLite writes a statement per table at commit, so one more there.
func TestReasonsCostABatchNoStatementOfTheirOwn(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	a := f.Actor("ent-a")
	var stmts atomic.Int64
	count := func(*gorm.DB) { stmts.Add(1) }
	cb := f.St.Gorm().Callback()
	for _, err := range []error{
		cb.Query().After("gorm:query").Register("test:count", count),
		cb.Create().After("gorm:create").Register("test:count", count),
		cb.Update().After("gorm:update").Register("test:count", count),
		cb.Delete().After("gorm:delete").Register("test:count", count),
		cb.Row().After("gorm:row").Register("test:count", count),
		cb.Raw().After("gorm:raw").Register("test:count", count),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	batch := func(fl grievance.Filing) int64 {
		t.Helper()
		in := make([]grievance.Together, 8)
		for i := range in {
			in[i] = grievance.Together{By: a, EnterpriseID: a.EnterpriseID, F: fl}
		}
		stmts.Store(0)
		for i, r := range f.svc.FileTogether(ctx, in) {
			if r.Err != nil || r.Order == nil {
				t.Fatalf("filing %d: %+v", i, r)
			}
		}
		return stmts.Load()
	}
	noReasons := illegal
	noReasons.Reasons = nil
	batch(illegal) // fills the caches (routing, SLA table, liaisons, the id pool)
	without, with := batch(noReasons), batch(grievance.Filing{Type: "illegal_inspection", Reasons: []string{"NOTICE-1", "CODE-1"}, Description: illegal.Description, BodyID: 1})
	t.Logf("statements through gorm per batch of 8: %d naming no reason, %d naming two each", without, with)
	want := without
	if f.St.Dialect != "postgres" {
		want++
	}
	if with != want {
		t.Fatalf("a batch of 8 filings naming reasons sent %d statements through gorm, one naming none %d; want %d", with, without, want)
	}
}
