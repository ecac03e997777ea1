package grievance_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"qijian/internal/message"

	"qijian/internal/grievance"
	"qijian/internal/store"
	"qijian/notify"
)

// count runs a COUNT(*) query.
func (f *fixture) count(q string, args ...any) int64 {
	f.t.Helper()
	var n int64
	if err := f.st.Gorm().Raw(q, args...).Scan(&n).Error; err != nil {
		f.t.Fatal(err)
	}
	return n
}

// assertWhole checks that o was written with everything a new order starts with: its number and
// next due time, one submit event, its two deadlines each with two timers, one audit entry and
// the filer's notice.
func (f *fixture) assertWhole(o *store.WorkOrder) {
	f.t.Helper()
	ctx := context.Background()
	got, err := f.st.Order(ctx, o.ID, false)
	if err != nil {
		f.t.Fatalf("order %d not stored: %v", o.ID, err)
	}
	if want := fmt.Sprintf("QJ%d%07d", got.CreatedAt.Year(), got.ID); got.Number != want || got.NextDueAt == nil || got.Status != "submitted" {
		f.t.Fatalf("order %d stored as %+v, want number %s and a next due time", o.ID, got, want)
	}
	if n := f.count("SELECT COUNT(*) FROM order_events WHERE order_id = ? AND action = 'submit'", o.ID); n != 1 {
		f.t.Errorf("order %d: %d submit events, want 1", o.ID, n)
	}
	ds, err := f.st.OpenDeadlines(ctx, o.ID)
	if err != nil || len(ds) != 2 {
		f.t.Fatalf("order %d: deadlines %v %v, want 2", o.ID, ds, err)
	}
	for _, d := range ds {
		var payloads []string
		f.st.Gorm().Raw("SELECT payload FROM outbox WHERE task_type = ?", grievance.TaskDeadline).Scan(&payloads)
		timers, kind := 0, ""
		for _, p := range payloads {
			var t struct {
				DeadlineID uint64 `json:"deadline_id"`
				Kind       string `json:"kind"`
			}
			if json.Unmarshal([]byte(p), &t) == nil && t.DeadlineID == d.ID {
				timers++
				kind = t.Kind
			}
		}
		if timers != 1 || kind != "remind" { // the reminder; it arms the breach when it fires
			f.t.Errorf("order %d deadline %d (%s): %d timers (last %q), want 1, the reminder", o.ID, d.ID, d.Stage, timers, kind)
		}
		if d.DueAt.Before(*got.NextDueAt) {
			f.t.Errorf("order %d: next due %v is after deadline %s due %v", o.ID, got.NextDueAt, d.Stage, d.DueAt)
		}
	}
	audits := f.count("SELECT COUNT(*) FROM audit_pending WHERE action = 'order.submit' AND object_id = ?", o.ID) +
		f.count("SELECT COUNT(*) FROM audit_events WHERE action = 'order.submit' AND object_id = ?", o.ID)
	if audits != 1 {
		f.t.Errorf("order %d: %d audit entries, want 1", o.ID, audits)
	}
	// The notice is in the inbox, or owed to the worker for someone who also wants SMS or email.
	link := fmt.Sprintf("/complaints/%d", o.ID)
	msg, _ := json.Marshal(message.Message{UserID: got.FiledByUserID, Kind: "order.received", TitleZh: "您的诉求已提交：" + got.Number, TitleEn: "Your report was received: " + got.Number, Link: link})
	if n := f.count("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND link = ? AND kind = 'order.received'", got.FiledByUserID, link) +
		f.count("SELECT COUNT(*) FROM outbox WHERE task_type = ? AND payload = ?", notify.TaskDeliver, string(msg)); n != 1 {
		f.t.Errorf("order %d: the filer has %d notices of it, want 1", o.ID, n)
	}
}

// Filings that arrive together are written in one transaction, yet each is whole, each keeps
// its own outcome, and one filing's bad reference fails that filing only.
func TestGroupCommitWritesEachFilingWholeAndApart(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a, b := f.actor("ent-a"), f.actor("ent-b")
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
		{By: a, EnterpriseID: a.EnterpriseID, F: conduct, Key: "used-before"}, // 6: a key used before
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
	var fe *grievance.FieldError
	if !errors.As(out[2].Err, &fe) || fe.Field != "body_id" || out[2].Order != nil {
		t.Errorf("unknown body: %+v, want a body_id field error", out[2])
	}
	if !errors.Is(out[3].Err, store.ErrNotFound) || out[3].Order != nil {
		t.Errorf("unknown enterprise: %+v, want not found", out[3])
	}
	if out[4].Order == nil || out[5].Order != nil || out[5].Replay != out[4].Order.ID {
		t.Errorf("the same key twice in a batch: %+v then %+v, want one order and a replay of it", out[4], out[5])
	}
	if out[6].Order != nil || out[6].Replay != earlier.ID {
		t.Errorf("a key used before: %+v, want a replay of order %d", out[6], earlier.ID)
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
		f.assertWhole(r.Order)
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
}

// New keys are written with the orders, in the commit's INSERT, and need no claim of their own;
// only a batch that meets a used key is written again, claiming first.
func TestGroupCommitWritesNewKeysWithTheOrders(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a, b := f.actor("ent-a"), f.actor("ent-b")
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
		f.assertWhole(r.Order)
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
	f := newFixture(t)
	ctx := context.Background()
	a := f.actor("ent-a")
	poison := grievance.Filing{Type: "conduct", Description: "这一条的写入会失败"}
	defer grievance.FailCreate(func(o *store.WorkOrder) bool { return strings.Contains(o.Description, "写入会失败") })()
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
		f.assertWhole(out[i].Order)
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
	f := newFixture(t)
	ctx := context.Background()
	a := f.actor("ent-a")
	defer grievance.FailCreate(func(o *store.WorkOrder) bool {
		if strings.Contains(o.Description, "引发故障") {
			panic("boom")
		}
		return false
	})()
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
		f.assertWhole(out[i].Order)
	}
	if o, created, err := f.svc.File(ctx, a, illegal, ""); err != nil || !created {
		t.Fatalf("filing after the panic: %v %v", o, err)
	}
}

// Many callers at once: every filing is stored once and whole, and they share transactions.
func TestGroupCommitUnderConcurrency(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.actor("ent-a")
	const n = 60
	ids := make([]uint64, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, created, err := f.svc.File(ctx, a, illegal, fmt.Sprintf("c-%d", i))
			if err == nil && !created {
				err = errors.New("not created")
			}
			errs[i] = err
			if o != nil {
				ids[i] = o.ID
			}
		}()
	}
	wg.Wait()
	seen := map[uint64]bool{}
	for i := range n {
		if errs[i] != nil || ids[i] == 0 || seen[ids[i]] {
			t.Fatalf("filing %d: order %d, %v", i, ids[i], errs[i])
		}
		seen[ids[i]] = true
		f.assertWhole(&store.WorkOrder{ID: ids[i]})
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
// transaction (two clues from one inspection, or a clue and a filing) still get their own ids.
func TestTwoOrdersInOneTransaction(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	a := f.actor("ent-a")
	var clue1, clue2, filed *store.WorkOrder
	err := f.st.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if clue1, err = f.svc.FileClue(ctx, a.EnterpriseID, 1, "NOTICE-1", "未送达检查通知书", ""); err != nil {
			return err
		}
		if clue2, err = f.svc.FileClue(ctx, a.EnterpriseID, 1, "CODE-1", "未出示行政行为码", ""); err != nil {
			return err
		}
		filed, _, err = f.svc.File(ctx, a, illegal, "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if clue1.ID == clue2.ID || clue2.ID == filed.ID || clue1.ID == filed.ID {
		t.Fatalf("ids %d, %d, %d: want three", clue1.ID, clue2.ID, filed.ID)
	}
	for _, o := range []*store.WorkOrder{clue1, clue2} {
		got, err := f.st.Order(ctx, o.ID, false)
		if err != nil || got.FiledByUserID != 0 || got.Reasons == "" {
			t.Fatalf("clue order %d: %+v %v", o.ID, got, err)
		}
	}
	f.assertWhole(filed)
}
