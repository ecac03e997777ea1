package grievance_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"qijian/internal/grievance"
	"qijian/internal/grievance/lifecycle"
)

// A bounce needs a coded reason and words; the liaison refuses it and the order goes back to the
// unit with a new sign-for stage; a second bounce raises it a rung; and once the sign-for limit
// has run out on an unsigned order the unit can no longer bounce it.
func TestCodedBounceRefusedThenRepeatedEscalates(t *testing.T) {
	t.Parallel()
	f, o := dispatched(t, monday)
	ctx := context.Background()
	off, li := f.Actor("officer-scj"), f.Actor("liaison-lc")
	if _, err := f.svc.Act(ctx, off, o.ID, grievance.Move{Action: "return", Reason: "不属本单位"}); !errors.Is(err, lifecycle.ErrInput) {
		t.Fatalf("a bounce without a code: %v", err)
	}
	first := f.stage(o.ID, "sign")
	f.Clock.Advance(time.Hour)
	f.act("officer-scj", o.ID, grievance.Move{Action: "return", ReturnCode: "not_our_duty", Reason: "属税务部门职责"})
	d, err := f.svc.Detail(ctx, li, o.ID)
	if err != nil || d.Status != lifecycle.Returned || d.ReturnCode != "not_our_duty" || d.ReturnReason != "属税务部门职责" || d.ReturnCount != 1 || d.Level != 0 {
		t.Fatalf("bounced: %+v %v", d, err)
	}
	if _, err := f.svc.Act(ctx, li, o.ID, grievance.Move{Action: "refuse_return"}); !errors.Is(err, lifecycle.ErrInput) {
		t.Fatalf("refusing a bounce without a reason: %v", err)
	}
	d = f.act("liaison-lc", o.ID, grievance.Move{Action: "refuse_return", Reason: "检查行为属市场监管职责"})
	if d.Status != lifecycle.Dispatched || d.UnitID != 1 {
		t.Fatalf("refused bounce: %s unit %d", d.Status, d.UnitID)
	}
	second := f.stage(o.ID, "sign")
	if second.ID == first.ID || !second.StartedAt.Equal(f.Clock.Now()) {
		t.Fatalf("the refused bounce did not give the unit a new sign-for stage: %+v", second)
	}
	f.act("officer-scj", o.ID, grievance.Move{Action: "return", ReturnCode: "duplicate", Reason: "与前一工单重复"})
	if got := f.order(o.ID); got.Level != 1 || got.ReturnCount != 2 || got.ReturnedUnitID == nil || *got.ReturnedUnitID != 1 {
		t.Fatalf("second bounce: level %d count %d, want level 1", got.Level, got.ReturnCount)
	}
	// Dispatched again to unit 1; past its sign-for limit unsigned, it can no longer be bounced.
	f.act("liaison-lc", o.ID, grievance.Move{Action: "dispatch", UnitID: 1})
	f.Clock.Set(f.stage(o.ID, "sign").DueAt.Add(time.Minute))
	if d, _ := f.svc.Detail(ctx, off, o.ID); containsAction(d.Allowed, lifecycle.Return) {
		t.Fatal("the page offers a bounce past the sign-for limit")
	}
	if _, err := f.svc.Act(ctx, off, o.ID, grievance.Move{Action: "return", ReturnCode: "not_our_duty", Reason: "x"}); !errors.Is(err, lifecycle.ErrNotAllowed) {
		t.Fatalf("a bounce past the sign-for limit: %v", err)
	}
}

func containsAction(as []lifecycle.Action, a lifecycle.Action) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

// Moving an order from 12345 to 12348 (转办 to another unit and channel) recomputes what remains:
// the resolve limit from the filing by 12348's limit, sign-for and reply from the move for the
// new unit. The old rows are set aside: their timers, delivered by the worker, do nothing; the
// new ones remind and breach once each, never early.
func TestTransferToTheOtherHotlineRecomputesTheDeadlines(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	o := f.file("ent-a", grievance.Filing{Type: "appeal", Description: "企业开办补贴迟迟未兑现"}, "")
	if o.Channel != "12345" {
		t.Fatalf("an appeal on %s, want 12345", o.Channel)
	}
	filed := f.Clock.Now()
	f.act("liaison-lc", o.ID, grievance.Move{Action: "accept"})
	f.act("liaison-lc", o.ID, grievance.Move{Action: "dispatch", UnitID: 1})
	oldResolve, oldSign := f.stage(o.ID, "resolve"), f.stage(o.ID, "sign")
	if want := lifecycle.Due(f.Cal, filed, lifecycle.Allowance{Amount: 15, Unit: "days"}); !oldResolve.DueAt.Equal(want) {
		t.Fatalf("12345 resolve due %v, want %v", oldResolve.DueAt, want)
	}
	f.Clock.Advance(3 * time.Hour)
	moved := f.Clock.Now()
	d := f.act("liaison-lc", o.ID, grievance.Move{Action: "transfer", UnitID: 2, Channel: "12348", Reason: "涉及执法检查，转护企直通车"})
	if d.Channel != "12348" || d.UnitID != 2 || d.Status != lifecycle.Dispatched {
		t.Fatalf("transferred: %s unit %d %s", d.Channel, d.UnitID, d.Status)
	}
	resolve, sign, reply := f.stage(o.ID, "resolve"), f.stage(o.ID, "sign"), f.stage(o.ID, "reply")
	if want := lifecycle.Due(f.Cal, filed, lifecycle.Allowance{Amount: 10, Unit: "days"}); resolve.ID == oldResolve.ID || !resolve.DueAt.Equal(want) || !resolve.StartedAt.Equal(filed) {
		t.Fatalf("resolve after the move: %+v, want due %v from the filing (12345's was %v)", resolve, want, oldResolve.DueAt)
	}
	if sign.ID == oldSign.ID || !sign.StartedAt.Equal(moved) || !reply.StartedAt.Equal(moved) ||
		!reply.DueAt.Equal(lifecycle.Due(f.Cal, moved, lifecycle.Allowance{Amount: 3, Unit: "days"})) {
		t.Fatalf("sign-for %+v and reply %+v are not timed from the move", sign, reply)
	}
	for _, id := range []uint64{oldResolve.ID, oldSign.ID} {
		if old, _ := f.St.Deadline(ctx, id); old.SupersededAt == nil {
			t.Fatalf("deadline %d was not set aside", id)
		}
	}
	// Run the worker past every limit, old and new: each new stage reminds and breaches once.
	f.Clock.Set(sign.DueAt.Add(-time.Minute))
	f.runDueTimers()
	if got := f.order(o.ID); got.Level != 0 {
		t.Fatalf("escalated before the new sign-for limit: %d", got.Level)
	}
	f.Clock.Set(oldResolve.DueAt.Add(24 * time.Hour))
	for f.runDueTimers() > 0 {
	}
	got := f.order(o.ID)
	breaches := f.count("SELECT COUNT(*) FROM order_events WHERE order_id = ? AND action = 'escalate' AND actor_role = 'system'", o.ID)
	if breaches != 3 || got.Level != 3 {
		t.Fatalf("after every limit: %d system escalations, level %d; want 3 (sign-for, reply, resolve)", breaches, got.Level)
	}
	for _, id := range []uint64{oldResolve.ID, oldSign.ID} {
		if old, _ := f.St.Deadline(ctx, id); old.RemindedAt != nil || old.BreachedAt != nil {
			t.Fatalf("a set-aside deadline acted: %+v", old)
		}
	}
	for _, id := range []uint64{resolve.ID, sign.ID, reply.ID} {
		dl, _ := f.St.Deadline(ctx, id)
		if dl.BreachedAt == nil || dl.BreachedAt.Before(dl.DueAt) {
			t.Fatalf("new stage %s breached at %v, due %v", dl.Stage, dl.BreachedAt, dl.DueAt)
		}
	}
}
