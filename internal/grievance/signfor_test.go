package grievance_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"qijian/internal/calendar"
	"qijian/internal/grievance"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/store"
	"qijian/internal/testkit"
)

// dispatched files an order at now and has the county liaison accept it and dispatch it to the
// market regulator (unit 1, officer-scj's).
func dispatched(t *testing.T, now time.Time) (*fx, *store.WorkOrder) {
	t.Helper()
	tf := testkit.NewFixture(t, now)
	f := &fx{Fixture: tf, t: t, svc: tf.App.Orders}
	o := f.file("ent-a", illegal, "")
	f.act("liaison-lc", o.ID, grievance.Move{Action: "accept"})
	f.act("liaison-lc", o.ID, grievance.Move{Action: "dispatch", UnitID: 1})
	return f, f.order(o.ID)
}

// stage is the newest row of one stage of an order.
func (f *fx) stage(id uint64, stage string) store.Deadline {
	f.t.Helper()
	ds, err := f.St.OrderDeadlines(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	var out store.Deadline
	for _, d := range ds {
		if d.Stage == stage && d.ID > out.ID {
			out = d
		}
	}
	if out.ID == 0 {
		f.t.Fatalf("order %d has no %s deadline (%+v)", id, stage, ds)
	}
	return out
}

// The sign-for stage opens at dispatch with its own limit (one working day), reminds at 75% and
// escalates at 100% through the deadline timers, each once and never early.
func TestSignForRemindsThenEscalatesOnceNeverEarly(t *testing.T) {
	t.Parallel()
	f, o := dispatched(t, monday)
	ctx := context.Background()
	sign := f.stage(o.ID, "sign")
	if want := lifecycle.Due(f.Cal, monday, lifecycle.Allowance{Amount: 1, Unit: "days"}); !sign.DueAt.Equal(want) || !sign.StartedAt.Equal(monday) {
		t.Fatalf("sign-for due %v from %v, want %v from dispatch", sign.DueAt, sign.StartedAt, want)
	}
	if reply := f.stage(o.ID, "reply"); !reply.DueAt.After(sign.DueAt) {
		t.Fatalf("the reply stage (%v) is not after sign-for (%v)", reply.DueAt, sign.DueAt)
	}
	f.Clock.Set(sign.RemindAt.Add(-time.Minute))
	f.runDueTimers()
	if d := f.stage(o.ID, "sign"); d.RemindedAt != nil {
		t.Fatal("reminded early")
	}
	f.Clock.Set(sign.RemindAt)
	f.runDueTimers()
	if d := f.stage(o.ID, "sign"); d.RemindedAt == nil || d.BreachedAt != nil {
		t.Fatalf("at the reminder: %+v", d)
	}
	f.Clock.Set(sign.DueAt.Add(-time.Minute))
	f.runDueTimers()
	if got := f.order(o.ID); got.Level != 0 {
		t.Fatalf("escalated a minute before the sign-for limit: level %d", got.Level)
	}
	f.Clock.Set(sign.DueAt)
	f.runDueTimers()
	f.Clock.Advance(time.Hour)
	f.runDueTimers() // a second delivery changes nothing
	if got := f.order(o.ID); got.Level != 1 || got.Status != "dispatched" {
		t.Fatalf("after the missed sign-for: level %d status %s, want 1 and still dispatched", got.Level, got.Status)
	}
	if d := f.stage(o.ID, "sign"); d.BreachedAt == nil {
		t.Fatal("the sign-for stage is not marked breached")
	}
	if n := f.count("SELECT COUNT(*) FROM order_events WHERE order_id = ? AND action = 'escalate' AND actor_role = 'system'", o.ID); n != 1 {
		t.Fatalf("system escalations: %d, want 1", n)
	}
	// Signing late still takes the order in; the stage stays breached.
	d := f.act("officer-scj", o.ID, grievance.Move{Action: "sign"})
	if d.Status != lifecycle.Signed {
		t.Fatalf("signed: %s", d.Status)
	}
	if got := f.stage(o.ID, "sign"); got.BreachedAt == nil || got.MetAt != nil {
		t.Fatalf("late sign rewrote the stage: %+v", got)
	}
	if _, err := f.svc.Act(ctx, f.Actor("officer-scj"), o.ID, grievance.Move{Action: "sign"}); !errors.Is(err, lifecycle.ErrNotAllowed) {
		t.Fatalf("signing twice: %v", err)
	}
}

// The limit counts working days on the calendar: an order dispatched on the last working day
// before a holiday is due on the first working day after it, and an adjusted working day (调休)
// on a weekend counts.
func TestSignForLimitAcrossAHolidayAndAnAdjustedDay(t *testing.T) {
	t.Parallel()
	cal := calendar.New()
	if !calendar.HasHolidayData(2026) {
		t.Skip("no official holiday data for 2026")
	}
	// The first weekday holiday and the first weekend working day of the year, each with the
	// working day just before it.
	var beforeHoliday, beforeAdjusted time.Time
	var adjusted time.Time
	for d := time.Date(2026, 1, 2, 10, 0, 0, 0, calendar.Location()); d.Year() == 2026; d = d.AddDate(0, 0, 1) {
		prev := d.AddDate(0, 0, -1)
		weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
		if beforeHoliday.IsZero() && !weekend && !cal.IsWorkingDay(d) && cal.IsWorkingDay(prev) {
			beforeHoliday = prev
		}
		if adjusted.IsZero() && weekend && cal.IsWorkingDay(d) && cal.IsWorkingDay(prev) {
			adjusted, beforeAdjusted = d, prev
		}
	}
	if beforeHoliday.IsZero() || adjusted.IsZero() {
		t.Fatal("no weekday holiday or adjusted working day found in 2026")
	}
	nthWorking := func(t0 time.Time, n int) calendar.Date {
		for d := t0.AddDate(0, 0, 1); ; d = d.AddDate(0, 0, 1) {
			if cal.IsWorkingDay(d) {
				if n--; n == 0 {
					return calendar.DateOf(d)
				}
			}
		}
	}
	nextWorking := func(t0 time.Time) calendar.Date { return nthWorking(t0, 1) }
	for _, at := range []time.Time{beforeHoliday, beforeAdjusted} {
		f, o := dispatched(t, at)
		sign := f.stage(o.ID, "sign")
		if got, want := calendar.DateOf(sign.DueAt), nextWorking(at); got != want {
			t.Errorf("dispatched %s: sign-for due %v, want on %v", at.Format("2006-01-02 Mon"), sign.DueAt, want)
		}
		// The enterprise's answer limit (5 working days) counts the same calendar.
		f.act("officer-scj", o.ID, grievance.Move{Action: "request_info", Note: "请补充材料"})
		if got, want := calendar.DateOf(f.stage(o.ID, "info").DueAt), nthWorking(at, 5); got != want {
			t.Errorf("asked for more on %s: answer due on %v, want %v", at.Format("2006-01-02 Mon"), got, want)
		}
		if !sign.DueAt.Equal(lifecycle.Due(f.Cal, at, lifecycle.Allowance{Amount: 1, Unit: "days"})) {
			t.Errorf("dispatched %s: due %v is not the calendar's", at, sign.DueAt)
		}
	}
	if want := calendar.DateOf(adjusted); nextWorking(beforeAdjusted) != want {
		t.Fatalf("the adjusted day %v is not the next working day", want)
	}
}

// Signing (or starting, which takes the order in too) meets the stage; the response rate is the
// orders signed for in time over those dispatched whose outcome is known, in the caller's scope.
func TestResponseRateCountsSignedInTime(t *testing.T) {
	t.Parallel()
	f, a := dispatched(t, monday)
	ctx := context.Background()
	b := f.file("ent-a", illegal, "")
	f.act("liaison-lc", b.ID, grievance.Move{Action: "accept"})
	f.act("liaison-lc", b.ID, grievance.Move{Action: "dispatch", UnitID: 1})
	c := f.file("ent-a", illegal, "")
	f.act("liaison-lc", c.ID, grievance.Move{Action: "accept"})
	f.act("liaison-lc", c.ID, grievance.Move{Action: "dispatch", UnitID: 1})
	f.act("officer-scj", a.ID, grievance.Move{Action: "sign"})
	f.act("officer-scj", c.ID, grievance.Move{Action: "start"})
	if got := f.stage(c.ID, "sign"); got.MetAt == nil {
		t.Fatal("starting did not meet the sign-for stage")
	}
	period := func() grievance.Rates {
		r, err := f.svc.Rates(ctx, f.Actor("liaison-lc"), monday.AddDate(0, 0, -1), monday.AddDate(0, 1, 0))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := period(); r.Dispatched != 2 || r.SignedInTime != 2 || r.ResponseRate != 1 {
		t.Fatalf("before b's limit: %+v, want 2 of 2 (b has no outcome yet)", r)
	}
	f.Clock.Set(f.stage(b.ID, "sign").DueAt.Add(time.Minute))
	f.runDueTimers()
	f.runDueTimers()
	if r := period(); r.Dispatched != 3 || r.SignedInTime != 2 || r.ResponseRate != 2.0/3 {
		t.Fatalf("after b's limit: %+v, want 2 of 3", r)
	}
	if r, err := f.svc.Rates(ctx, f.Actor("admin"), monday.AddDate(0, 0, -1), monday.AddDate(0, 1, 0)); err != nil || r.Dispatched != 3 {
		t.Fatalf("admin: %+v %v", r, err)
	}
	if _, err := f.svc.Rates(ctx, f.Actor("officer-scj"), monday, monday.AddDate(0, 1, 0)); !errors.Is(err, grievance.ErrForbidden) {
		t.Fatalf("an officer asking for the rates: %v", err)
	}
}

// A bounced order dispatched again gives the new unit its own sign-for stage, timed from the
// new dispatch; the first row keeps its record.
func TestRedispatchOpensANewSignForStage(t *testing.T) {
	t.Parallel()
	f, o := dispatched(t, monday)
	first := f.stage(o.ID, "sign")
	f.Clock.Advance(2 * time.Hour)
	f.act("officer-scj", o.ID, grievance.Move{Action: "return", ReturnCode: "not_our_duty", Reason: "不属本机关职责"})
	f.act("liaison-lc", o.ID, grievance.Move{Action: "dispatch", UnitID: 2})
	second := f.stage(o.ID, "sign")
	if second.ID == first.ID || !second.StartedAt.Equal(f.Clock.Now()) || second.MetAt != nil {
		t.Fatalf("after re-dispatch: %+v (first %+v)", second, first)
	}
	if d, _ := f.St.Deadline(context.Background(), first.ID); d.MetAt == nil {
		t.Fatal("the bounce did not close the first unit's sign-for stage")
	}
}
