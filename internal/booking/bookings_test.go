package booking_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"qijian/internal/account"
	"qijian/internal/booking"
	"qijian/internal/booking/slots"
	"qijian/internal/calendar"
	"qijian/internal/clock"
	"qijian/internal/demo"
	"qijian/internal/store"
	"qijian/internal/testkit"
)

var loc = calendar.Location()

type fixture struct {
	t   *testing.T
	st  *store.Store
	clk *clock.Fake
	svc *booking.Service
}

func newFixture(t *testing.T, now time.Time) *fixture {
	t.Helper()
	st := testkit.Store(t)
	clk := clock.NewFake(now)
	if _, err := demo.Load(context.Background(), st, "demo-password-123", clk.Now()); err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, st: st, clk: clk, svc: &booking.Service{St: st, Cal: calendar.New(), Clock: clk}}
}

func (f *fixture) actor(username string) account.Actor {
	f.t.Helper()
	u, err := f.st.UserByUsername(context.Background(), username)
	if err != nil {
		f.t.Fatal(err)
	}
	a, err := f.st.Actor(context.Background(), u)
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

// slotAt finds the demo check-up's slot starting at the given Wenzhou time.
func (f *fixture) slotAt(code string, at time.Time) *store.Slot {
	f.t.Helper()
	var sv store.Service
	if err := f.st.Gorm().Where("code = ?", code).First(&sv).Error; err != nil {
		f.t.Fatal(err)
	}
	var sl store.Slot
	if err := f.st.Gorm().Where("service_id = ? AND starts_at = ?", sv.ID, at).First(&sl).Error; err != nil {
		f.t.Fatalf("no %s slot at %v: %v", code, at, err)
	}
	return &sl
}

var monday = time.Date(2026, 3, 2, 9, 0, 0, 0, loc)

// Fifty enterprises ask for the last seat at once: exactly one gets it, the rest are told it is
// full, and the slot's count never exceeds its capacity.
func TestLastSeatRaceExactlyOneWins(t *testing.T) {
	f := newFixture(t, monday)
	sl := f.slotAt("checkup", time.Date(2026, 3, 4, 14, 0, 0, 0, loc)) // capacity 1
	actors := []account.Actor{f.actor("ent-a"), f.actor("ent-b")}
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins, full, other := 0, 0, []error{}
	start := make(chan struct{})
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := f.svc.Book(context.Background(), actors[i%2], booking.Request{SlotID: sl.ID, Mode: "online", Topic: "race"})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				wins++
			case errors.Is(err, slots.ErrFull):
				full++
			default:
				other = append(other, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if wins != 1 || full != 49 || len(other) != 0 {
		t.Fatalf("wins %d, full %d, other errors %v", wins, full, other)
	}
	fresh, _ := f.st.Slot(context.Background(), sl.ID)
	var n int64
	f.st.Gorm().Model(&store.Booking{}).Where("slot_id = ?", sl.ID).Count(&n)
	if fresh.Booked != 1 || n != 1 {
		t.Fatalf("slot booked %d, bookings %d", fresh.Booked, n)
	}
}

func TestBookingRefusalsNameTheReason(t *testing.T) {
	f := newFixture(t, monday)
	ent := f.actor("ent-a")
	ctx := context.Background()
	full := f.slotAt("checkup", time.Date(2026, 3, 5, 14, 0, 0, 0, loc))
	if _, err := f.svc.Book(ctx, ent, booking.Request{SlotID: full.ID, Mode: "online"}); err != nil {
		t.Fatal(err)
	}
	closed := f.slotAt("checkup", time.Date(2026, 3, 6, 9, 0, 0, 0, loc))
	if err := f.svc.SetException(ctx, f.actor("provider-1"), closed.ServiceID, calendar.NewDate(2026, 3, 6), true, 0); err != nil {
		t.Fatal(err)
	}
	past := f.slotAt("checkup", time.Date(2026, 3, 3, 9, 0, 0, 0, loc))
	onsiteOnly := f.slotAt("menu-footwear", time.Date(2026, 3, 4, 9, 0, 0, 0, loc))
	f.clk.Set(time.Date(2026, 3, 3, 10, 0, 0, 0, loc))
	for _, tc := range []struct {
		name string
		a    account.Actor
		r    booking.Request
		want error
	}{
		{"full", ent, booking.Request{SlotID: full.ID, Mode: "online"}, slots.ErrFull},
		{"closed", ent, booking.Request{SlotID: closed.ID, Mode: "online"}, slots.ErrClosed},
		{"past", ent, booking.Request{SlotID: past.ID, Mode: "online"}, slots.ErrPast},
		{"online for an on-site service", ent, booking.Request{SlotID: onsiteOnly.ID, Mode: "online"}, booking.ErrMode},
		{"on-site without address", ent, booking.Request{SlotID: onsiteOnly.ID, Mode: "onsite"}, booking.ErrAddress},
		{"unknown slot", ent, booking.Request{SlotID: 1 << 40, Mode: "online"}, booking.ErrNotFound},
		{"an officer", f.actor("officer-scj"), booking.Request{SlotID: onsiteOnly.ID, Mode: "onsite", Address: "x"}, booking.ErrForbidden},
	} {
		if _, err := f.svc.Book(ctx, tc.a, tc.r); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	var n int64
	f.st.Gorm().Model(&store.Booking{}).Count(&n)
	if n != 1 {
		t.Fatalf("refusals created bookings: %d", n)
	}
}

func TestRescheduleAndCancelMoveTheSeat(t *testing.T) {
	f := newFixture(t, monday)
	ent, ctx := f.actor("ent-a"), context.Background()
	a := f.slotAt("checkup", time.Date(2026, 3, 10, 9, 0, 0, 0, loc))
	b := f.slotAt("checkup", time.Date(2026, 3, 11, 9, 0, 0, 0, loc))
	bk, err := f.svc.Book(ctx, ent, booking.Request{SlotID: a.ID, Mode: "onsite", Address: "鹿城区车站大道 1 号", Topic: "消防和产品质量"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Reschedule(ctx, f.actor("ent-b"), bk.ID, b.ID); !errors.Is(err, booking.ErrNotFound) {
		t.Fatalf("another enterprise moved it: %v", err)
	}
	if _, err := f.svc.Reschedule(ctx, ent, bk.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	if sa, _ := f.st.Slot(ctx, a.ID); sa.Booked != 0 {
		t.Fatalf("old slot still counts the booking: %d", sa.Booked)
	}
	if sb, _ := f.st.Slot(ctx, b.ID); sb.Booked != 1 {
		t.Fatalf("new slot: %d", sb.Booked)
	}
	// Less than 24 hours before the new start: too late to move, still fine to cancel.
	f.clk.Set(time.Date(2026, 3, 10, 9, 0, 1, 0, loc))
	if _, err := f.svc.Reschedule(ctx, ent, bk.ID, a.ID); !errors.Is(err, slots.ErrTooLate) {
		t.Fatalf("late reschedule: %v", err)
	}
	got, err := f.svc.Cancel(ctx, ent, bk.ID)
	if err != nil || got.Status != "cancelled" {
		t.Fatalf("cancel: %v %v", got, err)
	}
	if sb, _ := f.st.Slot(ctx, b.ID); sb.Booked != 0 {
		t.Fatalf("cancel kept the seat: %d", sb.Booked)
	}
	if _, err := f.svc.Cancel(ctx, ent, bk.ID); !errors.Is(err, slots.ErrNotAllowed) {
		t.Fatalf("second cancel: %v", err)
	}
}

// Reminders: one working day before (across the Qingming holiday here) and two hours before; a
// moved booking's old reminders do nothing.
func TestRemindersOnTheWorkingDayCalendar(t *testing.T) {
	f := newFixture(t, monday)
	ctx := context.Background()
	ent := f.actor("ent-a")
	// Qingming 2026: Sat Apr 4 – Mon Apr 6 off. A Tuesday Apr 7 booking is reminded on Friday Apr 3.
	f.clk.Set(time.Date(2026, 3, 30, 9, 0, 0, 0, loc))
	if err := f.svc.RefreshAll(ctx); err != nil {
		t.Fatal(err)
	}
	sl := f.slotAt("checkup", time.Date(2026, 4, 7, 9, 0, 0, 0, loc))
	bk, err := f.svc.Book(ctx, ent, booking.Request{SlotID: sl.ID, Mode: "online"})
	if err != nil {
		t.Fatal(err)
	}
	var rows []store.OutboxRow
	f.st.Gorm().Where("task_type = ?", booking.TaskRemind).Order("run_at").Find(&rows)
	if len(rows) != 2 {
		t.Fatalf("reminders: %d", len(rows))
	}
	if want := time.Date(2026, 4, 3, 9, 0, 0, 0, loc); !rows[0].RunAt.Equal(want) {
		t.Errorf("working-day reminder at %v, want %v", rows[0].RunAt.In(loc), want)
	}
	if want := time.Date(2026, 4, 7, 7, 0, 0, 0, loc); !rows[1].RunAt.Equal(want) {
		t.Errorf("two-hour reminder at %v, want %v", rows[1].RunAt.In(loc), want)
	}
	notes := func() int64 {
		var n int64
		f.st.Gorm().Model(&store.OutboxRow{}).Where("task_type = ? AND payload LIKE ?", "notify:deliver", `%"kind":"booking.remind"%`).Count(&n)
		return n
	}
	if err := f.svc.HandleReminder(ctx, &rows[0]); err != nil || notes() != 1 {
		t.Fatalf("reminder: %v, %d messages", err, notes())
	}
	// Moved: the old two-hour reminder is stale and says nothing.
	other := f.slotAt("checkup", time.Date(2026, 4, 8, 9, 0, 0, 0, loc))
	if _, err := f.svc.Reschedule(ctx, ent, bk.ID, other.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.HandleReminder(ctx, &rows[1]); err != nil || notes() != 1 {
		t.Fatalf("stale reminder spoke: %v, %d", err, notes())
	}
	var p struct {
		StartsAt int64 `json:"starts_at"`
	}
	_ = json.Unmarshal([]byte(rows[1].Payload), &p)
	if p.StartsAt != sl.StartsAt.Unix() {
		t.Fatal("payload does not carry the start it was set for")
	}
}

// The provider's day ends with a report only the enterprise and the provider can read (seed
// §2.8 一: check-up results are not part of any enforcement procedure).
func TestProviderDayAndReportPrivacy(t *testing.T) {
	f := newFixture(t, monday)
	ctx := context.Background()
	ent, prov := f.actor("ent-a"), f.actor("provider-1")
	sl := f.slotAt("checkup", time.Date(2026, 3, 4, 9, 0, 0, 0, loc))
	bk, err := f.svc.Book(ctx, ent, booking.Request{SlotID: sl.ID, Mode: "online", Topic: "消防"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Complete(ctx, prov, bk.ID, booking.Report{Findings: "x"}); !errors.Is(err, slots.ErrNotAllowed) {
		t.Fatalf("completed before it started: %v", err)
	}
	if _, err := f.svc.Act(ctx, ent, bk.ID, slots.Confirm); !errors.Is(err, slots.ErrNotAllowed) {
		t.Fatalf("the enterprise confirmed: %v", err)
	}
	for _, act := range []slots.Action{slots.Confirm, slots.Start} {
		if _, err := f.svc.Act(ctx, prov, bk.ID, act); err != nil {
			t.Fatalf("%s: %v", act, err)
		}
	}
	if _, err := f.svc.Complete(ctx, prov, bk.ID, booking.Report{Findings: "灭火器过期 3 具", Advice: "一周内更换", FollowUp: "可预约复查"}); err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"ent-a", "provider-1"} {
		r, err := f.svc.ReportOf(ctx, f.actor(who), bk.ID)
		if err != nil || r.Findings != "灭火器过期 3 具" {
			t.Errorf("%s cannot read the report: %v", who, err)
		}
	}
	for _, who := range []string{"ent-b", "officer-scj", "liaison-lc", "liaison-city", "obs-chamber", "admin"} {
		if _, err := f.svc.ReportOf(ctx, f.actor(who), bk.ID); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("%s: %v, want not found", who, err)
		}
		if _, err := f.svc.Get(ctx, f.actor(who), bk.ID); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("%s sees the booking: %v", who, err)
		}
	}
	// No-show is recorded for a booking nobody came to.
	sl2 := f.slotAt("checkup", time.Date(2026, 3, 5, 9, 0, 0, 0, loc))
	bk2, _ := f.svc.Book(ctx, ent, booking.Request{SlotID: sl2.ID, Mode: "online"})
	if got, err := f.svc.Act(ctx, prov, bk2.ID, slots.MarkNoShow); err != nil || got.Status != "no_show" {
		t.Fatalf("no-show: %v %v", got, err)
	}
}
