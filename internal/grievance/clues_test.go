package grievance_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"qijian/internal/errs"
	"qijian/internal/grievance"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/store"
	"qijian/internal/testkit"
)

// clue raises a clue for the login's enterprise, as the automatic checks do, and returns it.
func (f *fx) clue(ent, rule string) *store.WorkOrder {
	f.t.Helper()
	var filed grievance.Filed
	err := f.St.WithTx(context.Background(), func(ctx context.Context) error {
		var err error
		filed, err = f.svc.FileClue(ctx, f.Actor(ent).EnterpriseID, 1, rule, "检查前未送达检查通知书", "")
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return f.order(filed.ID)
}

func fieldOf(err error, field string) bool {
	var e *errs.Error
	return errors.As(err, &e) && e.Kind == errs.Invalid && e.Fields[field] != ""
}

func newClueFx(t *testing.T) *fx {
	f := &fx{Fixture: testkit.NewFixture(t, beforeAdj), t: t}
	f.svc = f.App.Orders
	return f
}

// A clue waits for review in its own status with its own limit (3 working days, here across the
// adjusted Saturday and the Spring Festival), no acceptance limit; the complaint queue and its
// figures leave it out, the clue list and its counts hold it.
func TestClueWaitsForReviewApartFromComplaints(t *testing.T) {
	t.Parallel()
	f := newClueFx(t)
	ctx, li := context.Background(), f.Actor("liaison-lc")
	c := f.clue("ent-a", "NOTICE-1")
	complaint := f.file("ent-a", illegal, "")
	if c.Status != string(lifecycle.Clue) || c.NextDueAt == nil || !c.NextDueAt.Equal(endOfDay(2, 25)) {
		t.Fatalf("clue: status %s, next due %v, want clue due %v", c.Status, c.NextDueAt, endOfDay(2, 25))
	}
	if n := f.count("SELECT COUNT(*) FROM order_deadlines WHERE order_id = ? AND stage <> 'review'", c.ID); n != 0 {
		t.Fatalf("the clue has %d other limits, want only its review", n)
	}
	queue, err := f.svc.List(ctx, li, grievance.Query{})
	if err != nil || len(queue) != 1 || queue[0].ID != complaint.ID {
		t.Fatalf("complaint queue: %+v %v, want the complaint only", queue, err)
	}
	if all, _ := f.svc.List(ctx, li, grievance.Query{Clues: true}); len(all) != 1 || all[0].ID != c.ID {
		t.Fatalf("the queue's clues filter: %+v", all)
	}
	clues, err := f.svc.Clues(ctx, li, grievance.ClueQuery{})
	if err != nil || len(clues) != 1 || clues[0].ID != c.ID || len(clues[0].Rules) != 1 || clues[0].Rules[0] != "NOTICE-1" || clues[0].Evidence != "检查前未送达检查通知书" {
		t.Fatalf("clue list: %+v %v", clues, err)
	}
	n, err := f.svc.ClueCounts(ctx, li)
	if err != nil || n.Waiting != 1 || n.Overdue != 0 {
		t.Fatalf("counts: %+v %v", n, err)
	}
	// Past its review limit it counts as overdue, and its breach tells the liaisons without
	// climbing the supervision ladder.
	f.Clock.Set(endOfDay(2, 25).Add(time.Minute))
	f.drain()
	if n, _ := f.svc.ClueCounts(ctx, li); n.Overdue != 1 {
		t.Fatalf("overdue clues: %+v", n)
	}
	got := f.order(c.ID)
	if got.Level != 0 || got.Status != string(lifecycle.Clue) || f.stage(c.ID, "review").BreachedAt == nil || f.systemEscalations(c.ID) != 0 {
		t.Fatalf("a late clue: level %d, status %s", got.Level, got.Status)
	}
	if f.count("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND title LIKE ?", f.User("liaison-lc").ID, "%核查时限%")+
		f.count("SELECT COUNT(*) FROM outbox WHERE payload LIKE ?", "%核查时限%") == 0 {
		t.Error("no liaison was told of the late clue")
	}
}

// Dismissing needs a reason; a dismissed clue is done, its limit met, its review recorded.
func TestDismissAClue(t *testing.T) {
	t.Parallel()
	f := newClueFx(t)
	ctx, li := context.Background(), f.Actor("liaison-lc")
	c := f.clue("ent-a", "FREQ-1")
	if _, err := f.svc.ReviewClue(ctx, li, c.ID, grievance.ClueMove{Action: "dismiss"}); !fieldOf(err, "reason") {
		t.Fatalf("dismiss without a reason: %v", err)
	}
	d, err := f.svc.ReviewClue(ctx, li, c.ID, grievance.ClueMove{Action: "dismiss", Reason: "已有审批记录，系误报"})
	if err != nil || d.Status != lifecycle.Dismissed {
		t.Fatalf("dismiss: %+v %v", d, err)
	}
	if f.stage(c.ID, "review").MetAt == nil || f.order(c.ID).NextDueAt != nil {
		t.Fatal("the review limit still runs")
	}
	r, err := f.St.ClueReviewOf(ctx, c.ID)
	if err != nil || r.Outcome != grievance.ClueDismissed || r.Reason != "已有审批记录，系误报" || r.ActorID != li.UserID {
		t.Fatalf("review record: %+v %v", r, err)
	}
	if _, err := f.svc.ReviewClue(ctx, li, c.ID, grievance.ClueMove{Action: "convert"}); !errors.Is(err, lifecycle.ErrNotAllowed) {
		t.Fatalf("reviewing a dismissed clue again: %v", err)
	}
	if done, _ := f.svc.Clues(ctx, li, grievance.ClueQuery{State: "done"}); len(done) != 1 {
		t.Fatalf("done clues: %+v", done)
	}
	if n, _ := f.svc.ClueCounts(ctx, li); n.Waiting != 0 {
		t.Fatalf("counts after: %+v", n)
	}
	if q, _ := f.svc.List(ctx, li, grievance.Query{}); len(q) != 0 {
		t.Fatalf("a dismissed clue in the complaint queue: %+v", q)
	}
}

// A clue merges into another clue or an open order, by number or id: the target's timeline
// says so; itself, a closed order and one out of sight are refused naming the target.
func TestMergeAClue(t *testing.T) {
	t.Parallel()
	f := newClueFx(t)
	ctx, li := context.Background(), f.Actor("liaison-lc")
	c := f.clue("ent-a", "NOTICE-1")
	other := f.clue("ent-a", "CODE-1")
	complaint := f.file("ent-a", illegal, "")
	away := f.file("ent-b", grievance.Filing{Type: "complaint", Description: "瑞安的投诉事项"}, "")
	for _, bad := range []string{"", c.Number, "QJ20269999999", away.Number} {
		if _, err := f.svc.ReviewClue(ctx, li, c.ID, grievance.ClueMove{Action: "merge", Target: bad}); !fieldOf(err, "target") {
			t.Errorf("merge into %q: %v, want the target named", bad, err)
		}
	}
	d, err := f.svc.ReviewClue(ctx, li, c.ID, grievance.ClueMove{Action: "merge", Target: complaint.Number, Reason: "同一次检查"})
	if err != nil || d.Status != lifecycle.Dismissed {
		t.Fatalf("merge: %+v %v", d, err)
	}
	r, _ := f.St.ClueReviewOf(ctx, c.ID)
	if r.Outcome != grievance.ClueMerged || r.TargetOrderID == nil || *r.TargetOrderID != complaint.ID {
		t.Fatalf("merge record: %+v", r)
	}
	if n := f.count("SELECT COUNT(*) FROM order_events WHERE order_id = ? AND action = ?", complaint.ID, grievance.ActionClueMergedIn); n != 1 {
		t.Fatalf("the target's timeline has %d merge events", n)
	}
	// Into another clue, by its id.
	third := f.clue("ent-a", "LIST-1")
	if _, err := f.svc.ReviewClue(ctx, li, third.ID, grievance.ClueMove{Action: "merge", Target: itoa(other.ID)}); err != nil {
		t.Fatalf("merge into a clue: %v", err)
	}
	// A dismissed clue is no target.
	fourth := f.clue("ent-a", "SUBJ-1")
	if _, err := f.svc.ReviewClue(ctx, li, fourth.ID, grievance.ClueMove{Action: "merge", Target: c.Number}); !fieldOf(err, "target") {
		t.Fatalf("merge into a dismissed clue: %v", err)
	}
}

// Converting makes the clue an order on the ordinary limits from now (12348: accepted within 2
// working hours), in the complaint queue and its counts; it may correct the type.
func TestConvertAClue(t *testing.T) {
	t.Parallel()
	f := newClueFx(t)
	ctx, li := context.Background(), f.Actor("liaison-lc")
	c := f.clue("ent-a", "CODE-1")
	f.Clock.Set(onAdjusted) // reviewed on the adjusted Saturday, 16:30
	d, err := f.svc.ReviewClue(ctx, li, c.ID, grievance.ClueMove{Action: "convert", Type: "missing_code"})
	if err != nil || d.Status != lifecycle.Submitted || d.Type != lifecycle.TypeMissingCode {
		t.Fatalf("convert: %+v %v", d, err)
	}
	if got := f.stage(c.ID, "accept").DueAt.In(sh); !got.Equal(time.Date(2026, 2, 24, 9, 30, 0, 0, sh)) {
		t.Errorf("accept due %v, want 2 working hours from the conversion, across the holiday", got)
	}
	if got := f.stage(c.ID, "resolve").DueAt.In(sh); !got.Equal(endOfDay(2, 28)) {
		t.Errorf("resolve due %v, want 5 working days (未亮码) from the conversion", got)
	}
	if f.stage(c.ID, "review").MetAt == nil {
		t.Error("the review limit still runs")
	}
	if q, _ := f.svc.List(ctx, li, grievance.Query{}); len(q) != 1 || q[0].ID != c.ID {
		t.Fatalf("queue after converting: %+v", q)
	}
	f.act("liaison-lc", c.ID, grievance.Move{Action: "accept"})
}

// Only liaisons of the clue's county (or the city's) and admins review clues; others do not
// see them in any list.
func TestCluesAreReviewedWithinTheCounty(t *testing.T) {
	t.Parallel()
	f := newClueFx(t)
	ctx := context.Background()
	lc := f.clue("ent-a", "NOTICE-1") // 鹿城区
	ra := f.clue("ent-b", "NOTICE-1") // 瑞安市
	county, city := f.Actor("liaison-lc"), f.Actor("liaison-city")
	if l, _ := f.svc.Clues(ctx, county, grievance.ClueQuery{}); len(l) != 1 || l[0].ID != lc.ID {
		t.Fatalf("鹿城's liaison lists %+v", l)
	}
	if l, _ := f.svc.Clues(ctx, city, grievance.ClueQuery{}); len(l) != 2 {
		t.Fatalf("the city's liaison lists %d", len(l))
	}
	if n, _ := f.svc.ClueCounts(ctx, county); n.Waiting != 1 {
		t.Fatalf("鹿城's counts: %+v", n)
	}
	if _, err := f.svc.ReviewClue(ctx, county, ra.ID, grievance.ClueMove{Action: "dismiss", Reason: "x"}); !errors.Is(err, grievance.ErrNotFound) {
		t.Fatalf("鹿城's liaison on 瑞安's clue: %v", err)
	}
	for _, who := range []string{"ent-a", "officer-scj", "obs-chamber"} {
		if _, err := f.svc.Clues(ctx, f.Actor(who), grievance.ClueQuery{}); !errors.Is(err, grievance.ErrForbidden) {
			t.Errorf("%s lists clues: %v", who, err)
		}
		if _, err := f.svc.ReviewClue(ctx, f.Actor(who), lc.ID, grievance.ClueMove{Action: "dismiss", Reason: "x"}); err == nil {
			t.Errorf("%s reviewed a clue", who)
		}
	}
	if _, err := f.svc.ReviewClue(ctx, city, ra.ID, grievance.ClueMove{Action: "dismiss", Reason: "已核实无误"}); err != nil {
		t.Fatalf("the city's liaison: %v", err)
	}
	// An enterprise's own report is no clue to review.
	own := f.file("ent-a", illegal, "")
	if _, err := f.svc.ReviewClue(ctx, county, own.ID, grievance.ClueMove{Action: "dismiss", Reason: "x"}); !errors.Is(err, grievance.ErrNotFound) {
		t.Fatalf("reviewing a complaint as a clue: %v", err)
	}
}

// Withdrawing a clue on new facts still works on a clue under review: the timeline says why, its
// review limit stops, and the liaison then dismisses it.
func TestWithdrawnClueStopsItsReviewLimit(t *testing.T) {
	t.Parallel()
	f := newClueFx(t)
	ctx := context.Background()
	c := f.clue("ent-a", "FREQ-1")
	if err := f.St.WithTx(ctx, func(ctx context.Context) error {
		return f.svc.WithdrawClue(ctx, c.ID, "系统线索已撤回：检查已撤销")
	}); err != nil {
		t.Fatal(err)
	}
	got := f.order(c.ID)
	if got.NextDueAt != nil || f.stage(c.ID, "review").MetAt == nil || got.Status != string(lifecycle.Clue) {
		t.Fatalf("withdrawn clue: %+v", got)
	}
	if n := f.count("SELECT COUNT(*) FROM order_events WHERE order_id = ? AND action = ?", c.ID, grievance.ActionClueWithdrawn); n != 1 {
		t.Fatalf("%d withdrawal events", n)
	}
	if _, err := f.svc.ReviewClue(ctx, f.Actor("liaison-lc"), c.ID, grievance.ClueMove{Action: "dismiss", Reason: "线索已撤回"}); err != nil {
		t.Fatal(err)
	}
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

// The order's generic actions take a clue's review too (the page's action list offers it).
func TestClueReviewThroughTheOrdersActions(t *testing.T) {
	t.Parallel()
	f := newClueFx(t)
	c := f.clue("ent-a", "NOTICE-1")
	if _, err := f.svc.Act(context.Background(), f.Actor("liaison-lc"), c.ID, grievance.Move{Action: "dismiss_clue"}); !fieldOf(err, "reason") {
		t.Fatalf("dismiss_clue without a reason: %v", err)
	}
	d := f.act("liaison-lc", c.ID, grievance.Move{Action: "merge_clue", Target: f.clue("ent-a", "CODE-1").Number})
	if d.Status != lifecycle.Dismissed {
		t.Fatalf("merged: %s", d.Status)
	}
	if r, err := f.St.ClueReviewOf(context.Background(), c.ID); err != nil || r.Outcome != grievance.ClueMerged {
		t.Fatalf("review record: %+v %v", r, err)
	}
}
