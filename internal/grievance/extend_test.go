package grievance_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"qijian/internal/calendar"
	"qijian/internal/errs"
	"qijian/internal/grievance"
	"qijian/internal/grievance/lifecycle"
)

// drain runs the due deadline timers until none is left, as the worker would (a reminder arms
// its breach, which may be due at once).
func (f *fx) drain() {
	f.t.Helper()
	for i := 0; f.runDueTimers() > 0; i++ {
		if i > 20 {
			f.t.Fatal("timers keep coming")
		}
	}
}

func (f *fx) systemEscalations(id uint64) int64 {
	f.t.Helper()
	return f.count("SELECT COUNT(*) FROM order_events WHERE order_id = ? AND action = 'escalate' AND actor_role = 'system'", id)
}

// The unit asks for more time with a reason and a date; a refusal changes nothing; an approval
// moves the reply stage to the end of that working day and keeps its first due time apart. The
// timers follow: nothing at the old due time, the breach once at the new one. The limits (one
// extension, at most 10 working days on 12348) are data and hold.
func TestExtensionMovesTheStageKeepingTheOriginal(t *testing.T) {
	t.Parallel()
	f, o := dispatched(t, monday)
	ctx := context.Background()
	off := f.Actor("officer-scj")
	f.act("officer-scj", o.ID, grievance.Move{Action: "sign"})
	reply := f.stage(o.ID, "reply")
	day := func(after time.Time, n int) string {
		return calendar.DateOf(lifecycle.Due(f.Cal, after, lifecycle.Allowance{Amount: n, Unit: "days"})).String()
	}
	want := day(reply.DueAt, 5)
	if _, err := f.svc.Act(ctx, off, o.ID, grievance.Move{Action: "ask_extension", Until: want}); !errors.Is(err, lifecycle.ErrInput) {
		t.Fatalf("an extension without a reason: %v", err)
	}
	if _, err := f.svc.Act(ctx, off, o.ID, grievance.Move{Action: "ask_extension", Until: day(reply.DueAt, 12), Reason: "需现场复核"}); errs.FieldsOf(err)["until"] == "" {
		t.Fatalf("an extension past 10 working days: %v", err)
	}
	f.act("officer-scj", o.ID, grievance.Move{Action: "ask_extension", Until: want, Reason: "需现场复核"})
	if _, err := f.svc.Act(ctx, off, o.ID, grievance.Move{Action: "ask_extension", Until: want, Reason: "再次"}); !errors.Is(err, lifecycle.ErrNotAllowed) {
		t.Fatalf("a second request while one is pending: %v", err)
	}
	d := f.act("liaison-lc", o.ID, grievance.Move{Action: "refuse_extension", Reason: "时限充足"})
	if d.ExtensionUntil != nil || !f.stage(o.ID, "reply").DueAt.Equal(reply.DueAt) {
		t.Fatal("a refused extension moved the stage")
	}
	f.act("officer-scj", o.ID, grievance.Move{Action: "ask_extension", Until: want, Reason: "需现场复核"})
	d = f.act("liaison-lc", o.ID, grievance.Move{Action: "approve_extension"})
	moved := f.stage(o.ID, "reply")
	end, _ := f.svc.EndOfWorkingDay(want)
	// On the asked date, with no working time left after it that night.
	if calendar.DateOf(end).String() != want || f.Cal.WorkingDuration(end, end.Add(12*time.Hour)) != f.Cal.WorkingDuration(end, end.Add(time.Minute)) {
		t.Fatalf("the end of %s's working hours is %v", want, end)
	}
	if d.ExtensionCount != 1 || !moved.DueAt.Equal(end) || moved.OriginalDueAt == nil || !moved.OriginalDueAt.Equal(reply.DueAt) {
		t.Fatalf("approved: count %d, reply %+v; want due %v, original %v", d.ExtensionCount, moved, end, reply.DueAt)
	}
	var shown *grievance.DeadlineView
	for i := range d.Deadlines {
		if d.Deadlines[i].Stage == "reply" {
			shown = &d.Deadlines[i]
		}
	}
	if shown == nil || shown.OriginalDueAt == nil || !shown.DueAt.Equal(end) {
		t.Fatalf("the order's view of the extended stage: %+v", shown)
	}
	if _, err := f.svc.Act(ctx, off, o.ID, grievance.Move{Action: "ask_extension", Until: day(moved.DueAt, 2), Reason: "再延"}); !errors.Is(err, lifecycle.ErrNotAllowed) {
		t.Fatalf("a second extension past the limit of one: %v", err)
	}
	f.Clock.Set(reply.DueAt.Add(time.Hour))
	f.drain()
	if got := f.order(o.ID); got.Level != 0 || f.stage(o.ID, "reply").BreachedAt != nil {
		t.Fatalf("escalated at the original due time: level %d", got.Level)
	}
	f.Clock.Set(end.Add(-time.Minute))
	f.drain()
	if got := f.order(o.ID); got.Level != 0 {
		t.Fatalf("escalated a minute before the extended due time: level %d", got.Level)
	}
	f.Clock.Set(end)
	f.drain()
	f.Clock.Advance(time.Minute)
	f.drain()
	if n := f.systemEscalations(o.ID); n != 1 || f.stage(o.ID, "reply").BreachedAt == nil {
		t.Fatalf("at the extended due time: %d escalations, want 1", n)
	}
}

// While the order waits on the enterprise the stage clocks stand still: timers that come do
// nothing; the answer moves each open stage on by the working time it stood still and re-arms
// it, so nothing escalates early and the breach comes once at the moved time.
func TestPauseStopsTheClockAndResumesInWorkingTime(t *testing.T) {
	t.Parallel()
	f, o := dispatched(t, monday)
	f.act("officer-scj", o.ID, grievance.Move{Action: "sign"})
	reply := f.stage(o.ID, "reply")
	f.Clock.Advance(time.Hour)
	paused := f.Clock.Now()
	d := f.act("officer-scj", o.ID, grievance.Move{Action: "request_info", Note: "请补充检查当日的照片"})
	if d.PausedAt == nil || !f.stage(o.ID, "info").StartedAt.Equal(paused) {
		t.Fatalf("asked for more: paused %v", d.PausedAt)
	}
	if got := f.order(o.ID); got.NextDueAt == nil || !got.NextDueAt.Equal(f.stage(o.ID, "info").DueAt) {
		t.Fatalf("a paused order's next due time is %v, want the answer limit's", got.NextDueAt)
	}
	f.Clock.Set(reply.DueAt.Add(2 * time.Hour))
	f.drain()
	if got := f.order(o.ID); got.Level != 0 || f.stage(o.ID, "reply").RemindedAt != nil {
		t.Fatalf("a paused stage reminded or escalated: level %d", got.Level)
	}
	answered := f.Clock.Now()
	d = f.act("ent-a", o.ID, grievance.Move{Action: "supply_info", Note: "照片已上传"})
	w := f.Cal.WorkingDuration(paused, answered)
	after := f.stage(o.ID, "reply")
	if d.PausedAt != nil || !after.DueAt.Equal(f.Cal.AddWorkingHours(reply.DueAt, w)) || after.PausedSeconds != int64(w/time.Second) {
		t.Fatalf("after the answer: reply %+v, want due %v moved by %v", after, f.Cal.AddWorkingHours(reply.DueAt, w), w)
	}
	if info := f.stage(o.ID, "info"); info.MetAt == nil {
		t.Fatal("the answer did not meet the enterprise's limit")
	}
	f.drain()
	f.Clock.Set(after.DueAt.Add(-time.Minute))
	f.drain()
	if got := f.order(o.ID); got.Level != 0 {
		t.Fatalf("escalated before the moved due time: level %d", got.Level)
	}
	f.Clock.Set(after.DueAt)
	f.drain()
	f.Clock.Advance(time.Hour)
	f.drain()
	if n := f.systemEscalations(o.ID); n != 1 {
		t.Fatalf("escalations at the moved due time: %d, want 1", n)
	}
}

// A request the enterprise leaves unanswered past its own limit (5 working days) escalates the
// order once and lets the clocks run again.
func TestUnansweredRequestEscalatesAfterItsLimit(t *testing.T) {
	t.Parallel()
	f, o := dispatched(t, monday)
	reply := f.stage(o.ID, "reply")
	f.act("officer-scj", o.ID, grievance.Move{Action: "request_info", Note: "请补充被检查的场所"})
	info := f.stage(o.ID, "info")
	if want := lifecycle.Due(f.Cal, monday, lifecycle.Allowance{Amount: 5, Unit: "days"}); !info.DueAt.Equal(want) {
		t.Fatalf("the answer limit is due %v, want %v", info.DueAt, want)
	}
	f.Clock.Set(info.DueAt.Add(-time.Minute))
	f.drain()
	if got := f.order(o.ID); got.Level != 0 || got.PausedAt == nil {
		t.Fatalf("before the answer limit: level %d paused %v", got.Level, got.PausedAt)
	}
	f.Clock.Set(info.DueAt)
	f.drain()
	f.Clock.Advance(time.Minute)
	f.drain()
	got := f.order(o.ID)
	if got.Level != 1 || got.PausedAt != nil || f.systemEscalations(o.ID) != 1 {
		t.Fatalf("after the answer limit: level %d paused %v escalations %d", got.Level, got.PausedAt, f.systemEscalations(o.ID))
	}
	if r := f.stage(o.ID, "reply"); !r.DueAt.After(info.DueAt) || r.BreachedAt != nil || !r.DueAt.Equal(f.Cal.AddWorkingHours(reply.DueAt, f.Cal.WorkingDuration(monday, info.DueAt))) {
		t.Fatalf("the reply stage after the unanswered pause: %+v (was due %v)", r, reply.DueAt)
	}
}
