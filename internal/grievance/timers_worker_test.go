package grievance_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"qijian/internal/calendar"
	"qijian/internal/grievance"
	"qijian/internal/store"
	"qijian/internal/testkit"
	"qijian/notify"
	"qijian/workflows"
)

// These tests run the new stage timers (sign-for, a paused stage, an extended one, a re-handled
// one) through the real worker: the outbox relay, the queue (in-process Redis, or the real one
// with QIJIAN_TEST_REDIS_URL) and the asynq server, on the test database (SQLite, or PostgreSQL
// with QIJIAN_TEST_DATABASE_URL). The fixture's clock is fake and jumps; each check stops two
// seconds before a due time, lets the relayed timer come early in real time (it must re-arm,
// not act), then jumps to the due time and waits for it to act, once.

// worker is a running worker on a fixture's store, queue and clock.
type worker struct {
	f *fx
	e *workflows.Engine
	q *workflows.Queue
}

func startWorker(f *fx) *worker {
	f.t.Helper()
	q := testkit.Queue(f.t)
	e := workflows.NewEngine(f.St, q, f.Clock, slog.New(slog.NewTextHandler(io.Discard, nil)))
	e.Register(grievance.TaskDeadline, f.svc.HandleTimer)
	e.Register(notify.TaskDeliver, func(ctx context.Context, row *store.OutboxRow) error {
		return notify.Deliver(ctx, f.St, row, f.Clock.Now())
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.RunWorker(ctx, 4) }()
	f.t.Cleanup(func() { cancel(); <-done })
	w := &worker{f: f, e: e, q: q}
	w.settle()
	return w
}

// jump moves the fake clock to at. The queue keeps real time: a timer the relay handed over with
// a delay counted from the old now is taken back and handed over again from the new one (as the
// sweep does with a task the queue lost), so a jump of days does not wait days.
func (w *worker) jump(at time.Time) {
	w.f.t.Helper()
	ctx := context.Background()
	old := w.f.Clock.Now()
	var delayed []store.OutboxRow
	if err := w.f.St.Gorm().Where("task_type = ? AND done_at IS NULL AND relayed_at IS NOT NULL AND run_at > ?", grievance.TaskDeadline, old).Find(&delayed).Error; err != nil {
		w.f.t.Fatal(err)
	}
	for _, r := range delayed {
		_ = w.q.Inspector.DeleteTask(workflows.QueueName, fmt.Sprintf("outbox-%d", r.ID))
		if err := w.f.St.Unrelay(ctx, r.ID); err != nil {
			w.f.t.Fatal(err)
		}
	}
	w.f.Clock.Set(at)
	w.e.Kick()
	w.settle()
}

// near jumps to two seconds before at and waits for the timers relayed for at to come (early).
func (w *worker) near(at time.Time) {
	w.f.t.Helper()
	w.jump(at.Add(-2 * time.Second))
	time.Sleep(2500 * time.Millisecond)
	w.settle()
}

// settle waits until every timer due by the fake now has run.
func (w *worker) settle() {
	w.f.t.Helper()
	limit := time.Now().Add(30 * time.Second)
	quiet := 0
	for quiet < 3 {
		var n int64
		if err := w.f.St.Gorm().Raw("SELECT COUNT(*) FROM outbox WHERE task_type = ? AND done_at IS NULL AND failed_at IS NULL AND run_at <= ?", grievance.TaskDeadline, w.f.Clock.Now()).Scan(&n).Error; err != nil {
			w.f.t.Fatal(err)
		}
		if n == 0 {
			quiet++
		} else {
			quiet = 0
		}
		if time.Now().After(limit) {
			w.f.t.Fatalf("%d timers due at %v still not run after 30 s", n, w.f.Clock.Now())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// breaches counts the system's escalations for a missed stage (its note names the stage).
func (f *fx) breaches(id uint64, stageZh string) int64 {
	f.t.Helper()
	return f.count("SELECT COUNT(*) FROM order_events WHERE order_id = ? AND action = 'escalate' AND actor_role = 'system' AND note LIKE ?", id, "%超时未"+stageZh+"%")
}

// reminders counts the reminders one user got about one stage of an order.
func (f *fx) reminders(user string, o *store.WorkOrder, stageZh string) int64 {
	f.t.Helper()
	return f.count("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND title LIKE ?", f.Actor(user).UserID, "%"+o.Number+"%“"+stageZh+"”时限将到%")
}

var wz = calendar.Location()

// onDate tells whether t falls on the given Wenzhou date.
func onDate(t time.Time, date string) bool { return calendar.DateOf(t).String() == date }

// The calendar data the limits below are tested across: 国庆 2026 (1–7 October off, Saturday
// 10 October an adjusted working day) and the adjusted Sunday 20 September.
func needCalendar(t *testing.T, f *fx) {
	t.Helper()
	if !calendar.HasHolidayData(2026) {
		t.Skip("no official holiday data for 2026")
	}
	for _, d := range []string{"2026-10-01", "2026-10-05", "2026-10-07"} {
		day, _ := time.ParseInLocation("2006-01-02", d, wz)
		if f.Cal.IsWorkingDay(day) {
			t.Fatalf("%s is a working day in the calendar", d)
		}
	}
	for _, d := range []string{"2026-10-10", "2026-09-20"} {
		day, _ := time.ParseInLocation("2006-01-02", d, wz)
		if !f.Cal.IsWorkingDay(day) {
			t.Fatalf("the adjusted working day %s is not a working day in the calendar", d)
		}
	}
}

// A unit that does not sign for an order is reminded once at 75% of the limit and the order
// escalates once at the limit, never early: dispatched the afternoon before 国庆, the one working
// day of the limit is the first day after it; dispatched the Friday after, it is the adjusted
// Saturday.
func TestWorkerSignForRemindsAndEscalatesOnce(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ at, due string }{
		{"2026-09-30 14:00", "2026-10-08"}, // across the holiday
		{"2026-10-09 10:00", "2026-10-10"}, // onto the adjusted Saturday
	} {
		t.Run(c.at, func(t *testing.T) {
			t.Parallel()
			at, _ := time.ParseInLocation("2006-01-02 15:04", c.at, wz)
			f, o := dispatched(t, at)
			needCalendar(t, f)
			sign := f.stage(o.ID, "sign")
			if !onDate(sign.DueAt, c.due) {
				t.Fatalf("dispatched %s: sign-for due %v, want on %s", c.at, sign.DueAt, c.due)
			}
			w := startWorker(f)
			w.near(sign.RemindAt)
			if f.stage(o.ID, "sign").RemindedAt != nil || f.reminders("officer-scj", o, "签收") != 0 {
				t.Fatal("reminded before 75% of the sign-for limit")
			}
			w.jump(sign.RemindAt)
			if f.stage(o.ID, "sign").RemindedAt == nil || f.reminders("officer-scj", o, "签收") != 1 {
				t.Fatalf("at 75%% of the limit: %d reminders to the unit, want 1", f.reminders("officer-scj", o, "签收"))
			}
			w.near(sign.DueAt)
			if got := f.order(o.ID); got.Level != 0 {
				t.Fatalf("escalated two seconds before the sign-for limit: level %d", got.Level)
			}
			w.jump(sign.DueAt)
			w.jump(sign.DueAt.Add(time.Hour))
			if got := f.order(o.ID); got.Level != 1 || got.Status != "dispatched" || f.breaches(o.ID, "签收") != 1 || f.reminders("officer-scj", o, "签收") != 1 {
				t.Fatalf("after the sign-for limit: level %d status %s, %d breaches and %d reminders, want level 1, dispatched, 1 and 1",
					got.Level, got.Status, f.breaches(o.ID, "签收"), f.reminders("officer-scj", o, "签收"))
			}
		})
	}
}

// A paused stage's timers come and do nothing, even past its first due time and across 国庆; the
// enterprise's answer on the adjusted Saturday moves the stage on by the working time it stood
// still, and the breach comes once at the moved time, never before.
func TestWorkerPausedStageFiresAfterResumeOnce(t *testing.T) {
	t.Parallel()
	at, _ := time.ParseInLocation("2006-01-02 15:04", "2026-09-29 10:00", wz)
	f, o := dispatched(t, at)
	needCalendar(t, f)
	f.act("officer-scj", o.ID, grievance.Move{Action: "sign"})
	reply := f.stage(o.ID, "reply")
	if !onDate(reply.DueAt, "2026-10-09") { // 30 Sep, 8 and 9 Oct: three working days across the holiday
		t.Fatalf("reply due %v, want on 9 October", reply.DueAt)
	}
	w := startWorker(f)
	paused := at.Add(24 * time.Hour) // Wednesday 30 September, 10:00
	w.jump(paused)
	f.act("officer-scj", o.ID, grievance.Move{Action: "request_info", Note: "请补充检查当日的照片"})
	if info := f.stage(o.ID, "info"); !onDate(info.DueAt, "2026-10-13") { // 8, 9, 10 (Sat), 12, 13 Oct
		t.Fatalf("the enterprise's answer limit is due %v, want on 13 October", info.DueAt)
	}
	w.jump(reply.RemindAt)
	w.jump(reply.DueAt)
	w.jump(reply.DueAt.Add(time.Hour))
	if got := f.order(o.ID); got.Level != 0 || f.stage(o.ID, "reply").RemindedAt != nil || f.reminders("officer-scj", o, "答复") != 0 {
		t.Fatalf("a paused stage reminded or escalated: level %d", got.Level)
	}
	answered, _ := time.ParseInLocation("2006-01-02 15:04", "2026-10-10 10:00", wz) // the adjusted Saturday
	w.jump(answered)
	f.act("ent-a", o.ID, grievance.Move{Action: "supply_info", Note: "照片已上传"})
	stood := f.Cal.WorkingDuration(paused, answered)
	if stood != f.Cal.WorkingDuration(paused, reply.DueAt)+90*time.Minute { // and 8:30–10:00 of the Saturday
		t.Fatalf("stood still %v: the adjusted Saturday's morning is not counted", stood)
	}
	moved := f.stage(o.ID, "reply")
	if want := f.Cal.AddWorkingHours(reply.DueAt, stood); !moved.DueAt.Equal(want) || moved.PausedSeconds != int64(stood/time.Second) {
		t.Fatalf("after the answer: reply due %v paused %d s, want %v and %d s", moved.DueAt, moved.PausedSeconds, want, int64(stood/time.Second))
	}
	w.near(moved.RemindAt)
	if f.reminders("officer-scj", o, "答复") != 0 {
		t.Fatal("reminded before the moved reminder time")
	}
	w.jump(moved.RemindAt)
	w.near(moved.DueAt)
	if got := f.order(o.ID); got.Level != 0 || f.reminders("officer-scj", o, "答复") != 1 {
		t.Fatalf("two seconds before the moved due time: level %d, %d reminders", got.Level, f.reminders("officer-scj", o, "答复"))
	}
	w.jump(moved.DueAt)
	w.jump(moved.DueAt.Add(time.Hour))
	if n := f.breaches(o.ID, "答复"); n != 1 || f.reminders("officer-scj", o, "答复") != 1 {
		t.Fatalf("at the moved due time: %d breaches, %d reminders, want 1 and 1", n, f.reminders("officer-scj", o, "答复"))
	}
}

// An approved extension moves the reply stage: the breach timer armed for the old due time comes
// and re-arms itself (no breach), and the breach comes once at the new time — the adjusted
// Saturday after 国庆, the date the unit asked for. The first due time is kept apart.
func TestWorkerApprovedExtensionMovesTheTimer(t *testing.T) {
	t.Parallel()
	at, _ := time.ParseInLocation("2006-01-02 15:04", "2026-09-29 10:00", wz)
	f, o := dispatched(t, at)
	needCalendar(t, f)
	f.act("officer-scj", o.ID, grievance.Move{Action: "sign"})
	reply := f.stage(o.ID, "reply")
	w := startWorker(f)
	w.jump(reply.RemindAt) // the reminder arms the breach at the first due time
	if f.reminders("officer-scj", o, "答复") != 1 {
		t.Fatal("no reminder at 75% of the reply stage")
	}
	f.act("officer-scj", o.ID, grievance.Move{Action: "ask_extension", Until: "2026-10-10", Reason: "需现场复核"})
	f.act("liaison-lc", o.ID, grievance.Move{Action: "approve_extension"})
	moved := f.stage(o.ID, "reply")
	if !onDate(moved.DueAt, "2026-10-10") || moved.OriginalDueAt == nil || !moved.OriginalDueAt.Equal(reply.DueAt) {
		t.Fatalf("extended: due %v original %v, want on 10 October and %v", moved.DueAt, moved.OriginalDueAt, reply.DueAt)
	}
	var armed int64
	f.St.Gorm().Raw("SELECT COUNT(*) FROM outbox WHERE task_type = ? AND payload LIKE ? AND run_at = ?", grievance.TaskDeadline, fmt.Sprintf(`%%"deadline_id":%d,"kind":"breach"%%`, reply.ID), reply.DueAt).Scan(&armed)
	if armed == 0 {
		t.Fatal("no breach timer at the first due time: the test would not show that it never fires")
	}
	w.near(reply.DueAt)
	w.jump(reply.DueAt)
	w.jump(reply.DueAt.Add(time.Hour))
	if got := f.order(o.ID); got.Level != 0 || f.breaches(o.ID, "答复") != 0 {
		t.Fatalf("the first due time of an extended stage breached: level %d", got.Level)
	}
	w.near(moved.DueAt)
	if f.breaches(o.ID, "答复") != 0 {
		t.Fatal("breached before the extended due time")
	}
	w.jump(moved.DueAt)
	w.jump(moved.DueAt.Add(time.Hour))
	if n := f.breaches(o.ID, "答复"); n != 1 || f.reminders("officer-scj", o, "答复") != 1 {
		t.Fatalf("at the extended due time: %d breaches, %d reminders, want 1 and 1", n, f.reminders("officer-scj", o, "答复"))
	}
}

// A dissatisfied follow-up sends the order back (重办) with a new handling deadline in a round of
// its own: from the day before 国庆, three working days end on the adjusted Saturday. The met
// first-round stage never fires; the new one reminds once and breaches once, never early.
func TestWorkerRehandleDeadlineFiresOnce(t *testing.T) {
	t.Parallel()
	at, _ := time.ParseInLocation("2006-01-02 15:04", "2026-09-29 10:00", wz)
	f, o := dispatched(t, at)
	needCalendar(t, f)
	w := startWorker(f)
	f.act("officer-scj", o.ID, grievance.Move{Action: "sign"})
	f.act("officer-scj", o.ID, grievance.Move{Action: "reply", Note: "已核查，检查前已送达通知书"})
	first := f.stage(o.ID, "reply")
	w.jump(at.Add(24 * time.Hour)) // Wednesday 30 September, 10:00
	f.act("liaison-lc", o.ID, grievance.Move{Action: "follow_up"})
	no := "no"
	d := f.act("liaison-lc", o.ID, grievance.Move{Action: "record_follow_up", Solved: no, Satisfied: no, Note: "企业表示问题未解决"})
	if d.Status != "in_progress" || d.Level != 1 {
		t.Fatalf("after a dissatisfied follow-up: %s at level %d, want in_progress at 1", d.Status, d.Level)
	}
	again := f.stage(o.ID, "reply")
	if again.ID == first.ID || again.Round < 2 || first.MetAt == nil || !onDate(again.DueAt, "2026-10-10") {
		t.Fatalf("re-handling: reply round %d due %v (first %d met %v), want a new round due on 10 October", again.Round, again.DueAt, first.ID, first.MetAt)
	}
	w.near(again.RemindAt)
	w.jump(again.RemindAt)
	w.near(again.DueAt)
	if got := f.order(o.ID); got.Level != 1 || f.reminders("officer-scj", o, "答复") != 1 {
		t.Fatalf("two seconds before the re-handling limit: level %d, %d reminders", got.Level, f.reminders("officer-scj", o, "答复"))
	}
	w.jump(again.DueAt)
	w.jump(again.DueAt.Add(time.Hour))
	if got := f.order(o.ID); got.Level != 2 || f.breaches(o.ID, "答复") != 1 || f.reminders("officer-scj", o, "答复") != 1 {
		t.Fatalf("after the re-handling limit: level %d, %d breaches, %d reminders, want 2, 1, 1", got.Level, f.breaches(o.ID, "答复"), f.reminders("officer-scj", o, "答复"))
	}
	// The first round's due time (9 October) passed too: its stage was met and never fired.
	if got, _ := f.St.Deadline(context.Background(), first.ID); got.BreachedAt != nil || f.stage(o.ID, "reply").BreachedAt == nil {
		t.Fatal("the breach is not the new round's")
	}
}
