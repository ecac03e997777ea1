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
	"qijian/internal/errs"
	"qijian/internal/store"
	"qijian/internal/testkit"
)

var loc = calendar.Location()

// fixture is the shared test fixture with the booking service at hand.
type fixture struct {
	*testkit.Fixture
	svc *booking.Service
}

func newFixture(t *testing.T, now time.Time) *fixture {
	t.Helper()
	f := testkit.NewFixture(t, now)
	return &fixture{Fixture: f, svc: f.App.Bookings}
}

// slotAt finds the demo service's slot starting at the given Wenzhou time.
func (f *fixture) slotAt(code string, at time.Time) *store.Slot {
	f.T.Helper()
	var sv store.Service
	if err := f.St.Gorm().Where("code = ?", code).First(&sv).Error; err != nil {
		f.T.Fatal(err)
	}
	var sl store.Slot
	if err := f.St.Gorm().Where("service_id = ? AND starts_at = ?", sv.ID, at).First(&sl).Error; err != nil {
		f.T.Fatalf("no %s slot at %v: %v", code, at, err)
	}
	return &sl
}

func (f *fixture) seats(id uint64) int {
	f.T.Helper()
	sl, err := f.St.Slot(context.Background(), id)
	if err != nil {
		f.T.Fatal(err)
	}
	return sl.Booked
}

// Fifty enterprises ask for the last seat at once: exactly one gets it, the rest are told it is
// full, and the slot's count never exceeds its capacity.
func TestLastSeatRaceExactlyOneWins(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testkit.Monday)
	sl := f.slotAt("checkup", time.Date(2026, 3, 4, 14, 0, 0, 0, loc)) // capacity 1
	actors := []account.Actor{f.Actor("ent-a"), f.Actor("ent-b")}
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins, full, other := 0, 0, []error{}
	start := make(chan struct{})
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := f.svc.Book(context.Background(), actors[i%2], booking.BookInput{SlotID: sl.ID, Mode: "online", Topic: "race"})
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
	var n int64
	f.St.Gorm().Model(&store.Booking{}).Where("slot_id = ?", sl.ID).Count(&n)
	if got := f.seats(sl.ID); got != 1 || n != 1 {
		t.Fatalf("slot booked %d, bookings %d", got, n)
	}
}

func TestBookingRefusalsNameTheReason(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testkit.Monday)
	ent := f.Actor("ent-a")
	ctx := context.Background()
	full := f.slotAt("checkup", time.Date(2026, 3, 5, 14, 0, 0, 0, loc))
	if _, err := f.svc.Book(ctx, ent, booking.BookInput{SlotID: full.ID, Mode: "online"}); err != nil {
		t.Fatal(err)
	}
	closed := f.slotAt("checkup", time.Date(2026, 3, 6, 9, 0, 0, 0, loc))
	if err := f.svc.SetException(ctx, f.Actor("provider-1"), closed.ServiceID, booking.ExceptionInput{Day: "2026-03-06", Closed: true}); err != nil {
		t.Fatal(err)
	}
	past := f.slotAt("checkup", time.Date(2026, 3, 3, 9, 0, 0, 0, loc))
	onsiteOnly := f.slotAt("menu-footwear", time.Date(2026, 3, 4, 9, 0, 0, 0, loc))
	f.Clock.Set(time.Date(2026, 3, 3, 10, 0, 0, 0, loc))
	for _, tc := range []struct {
		name       string
		a          account.Actor
		in         booking.BookInput
		want       error
		kind, code string
		field      string
	}{
		{"full", ent, booking.BookInput{SlotID: full.ID, Mode: "online"}, slots.ErrFull, "conflict", "slot_full", ""},
		{"closed", ent, booking.BookInput{SlotID: closed.ID, Mode: "online"}, slots.ErrClosed, "conflict", "slot_closed", ""},
		{"past", ent, booking.BookInput{SlotID: past.ID, Mode: "online"}, slots.ErrPast, "conflict", "slot_past", ""},
		{"online for an on-site service", ent, booking.BookInput{SlotID: onsiteOnly.ID, Mode: "online"}, booking.ErrMode, "invalid input", "validation", "mode"},
		{"on-site without address", ent, booking.BookInput{SlotID: onsiteOnly.ID, Mode: "onsite", Address: "  "}, booking.ErrAddress, "invalid input", "validation", "address"},
		{"unknown slot", ent, booking.BookInput{SlotID: 1 << 40, Mode: "online"}, booking.ErrNotFound, "not found", "not_found", ""},
		{"an officer", f.Actor("officer-scj"), booking.BookInput{SlotID: onsiteOnly.ID, Mode: "onsite", Address: "x"}, booking.ErrForbidden, "forbidden", "forbidden", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.Book(ctx, tc.a, tc.in)
			var e *errs.Error
			if !errors.Is(err, tc.want) || !errors.As(err, &e) {
				t.Fatalf("%v, want %v", err, tc.want)
			}
			if e.Kind.Error() != tc.kind || e.Code != tc.code || (tc.field != "") != (e.Fields[tc.field] != "") {
				t.Fatalf("kind %q code %q fields %v, want %q %q %q", e.Kind, e.Code, e.Fields, tc.kind, tc.code, tc.field)
			}
		})
	}
	var n int64
	f.St.Gorm().Model(&store.Booking{}).Count(&n)
	if n != 1 {
		t.Fatalf("refusals created bookings: %d", n)
	}
}

// A booking that does not exist and one that is not the caller's are the same not-found, of the
// shared kind: the portal answers 404 without a mapper of its own.
func TestNotFoundIsTheSharedKind(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testkit.Monday)
	ctx := context.Background()
	sl := f.slotAt("checkup", time.Date(2026, 3, 10, 9, 0, 0, 0, loc))
	bk, err := f.svc.Book(ctx, f.Actor("ent-a"), booking.BookInput{SlotID: sl.ID, Mode: "online"})
	if err != nil {
		t.Fatal(err)
	}
	other := &account.User{Username: "provider-2", PasswordHash: "x", Role: account.RoleProvider}
	if err := f.St.CreateUser(ctx, other); err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"missing":          func() error { _, err := f.svc.Get(ctx, f.Actor("ent-a"), bk.ID+1000); return err },
		"another's":        func() error { _, err := f.svc.Get(ctx, f.Actor("ent-b"), bk.ID); return err },
		"another's report": func() error { _, err := f.svc.ReportOf(ctx, f.Actor("admin"), bk.ID); return err },
		"no report yet":    func() error { _, err := f.svc.ReportOf(ctx, f.Actor("ent-a"), bk.ID); return err },
		"unknown service": func() error {
			_, err := f.svc.Offering(ctx, f.Actor("ent-a"), 1<<30, booking.WindowQuery{})
			return err
		},
		"another's service": func() error {
			return f.svc.PublishSchedule(ctx, f.Actor("provider-2"), sl.ServiceID, booking.ScheduleInput{})
		},
	} {
		if err := call(); !errors.Is(err, errs.NotFound) {
			t.Errorf("%s: %v, want a not-found kind", name, err)
		}
	}
	if _, err := f.svc.ReportOf(ctx, f.Actor("ent-a"), bk.ID); !errors.Is(err, booking.ErrNoReport) {
		t.Errorf("no report yet: %v", err)
	}
}

func TestRescheduleAndCancelMoveTheSeat(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testkit.Monday)
	ent, ctx := f.Actor("ent-a"), context.Background()
	a := f.slotAt("checkup", time.Date(2026, 3, 10, 9, 0, 0, 0, loc))
	b := f.slotAt("checkup", time.Date(2026, 3, 11, 9, 0, 0, 0, loc))
	bk, err := f.svc.Book(ctx, ent, booking.BookInput{SlotID: a.ID, Mode: "onsite", Address: "鹿城区车站大道 1 号", Topic: "消防和产品质量"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Reschedule(ctx, f.Actor("ent-b"), bk.ID, booking.MoveInput{SlotID: b.ID}); !errors.Is(err, booking.ErrNotFound) {
		t.Fatalf("another enterprise moved it: %v", err)
	}
	if _, err := f.svc.Reschedule(ctx, ent, bk.ID, booking.MoveInput{SlotID: a.ID}); !errors.Is(err, booking.ErrSameSlot) {
		t.Fatalf("moved to its own slot: %v", err)
	}
	moved, err := f.svc.Reschedule(ctx, ent, bk.ID, booking.MoveInput{SlotID: b.ID})
	if err != nil || moved.SlotID != b.ID || moved.ServiceZh == "" {
		t.Fatalf("reschedule: %+v %v", moved, err)
	}
	if f.seats(a.ID) != 0 || f.seats(b.ID) != 1 {
		t.Fatalf("seats: old %d, new %d", f.seats(a.ID), f.seats(b.ID))
	}
	// The page offers the other free times of the service while it may still move.
	d, err := f.svc.Detail(ctx, ent, bk.ID)
	if err != nil || len(d.MoveTo) == 0 || d.Report != nil {
		t.Fatalf("detail: %+v %v", d, err)
	}
	// Less than 24 hours before the new start: too late to move, still fine to cancel.
	f.Clock.Set(time.Date(2026, 3, 10, 9, 0, 1, 0, loc))
	if _, err := f.svc.Reschedule(ctx, ent, bk.ID, booking.MoveInput{SlotID: a.ID}); !errors.Is(err, slots.ErrTooLate) {
		t.Fatalf("late reschedule: %v", err)
	}
	if d, err := f.svc.Detail(ctx, ent, bk.ID); err != nil || len(d.MoveTo) != 0 {
		t.Fatalf("too late to move, yet offered %d slots (%v)", len(d.MoveTo), err)
	}
	got, err := f.svc.Cancel(ctx, ent, bk.ID)
	if err != nil || got.Status != slots.Cancelled || len(got.Actions) != 0 {
		t.Fatalf("cancel: %+v %v", got, err)
	}
	if f.seats(b.ID) != 0 {
		t.Fatalf("cancel kept the seat: %d", f.seats(b.ID))
	}
	if _, err := f.svc.Cancel(ctx, ent, bk.ID); !errors.Is(err, slots.ErrNotAllowed) {
		t.Fatalf("second cancel: %v", err)
	}
}

// Reminders: one working day before (across the Qingming holiday here) and two hours before; a
// moved booking's old reminders do nothing.
func TestRemindersOnTheWorkingDayCalendar(t *testing.T) {
	t.Parallel()
	// Qingming 2026: Sat Apr 4 – Mon Apr 6 off. A Tuesday Apr 7 booking is reminded on Friday Apr 3.
	f := newFixture(t, time.Date(2026, 3, 30, 9, 0, 0, 0, loc))
	ctx := context.Background()
	ent := f.Actor("ent-a")
	sl := f.slotAt("checkup", time.Date(2026, 4, 7, 9, 0, 0, 0, loc))
	bk, err := f.svc.Book(ctx, ent, booking.BookInput{SlotID: sl.ID, Mode: "online"})
	if err != nil {
		t.Fatal(err)
	}
	var rows []store.OutboxRow
	f.St.Gorm().Where("task_type = ?", booking.TaskRemind).Order("run_at").Find(&rows)
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
		f.St.Gorm().Model(&store.OutboxRow{}).Where("task_type = ? AND payload LIKE ?", "notify:deliver", `%"kind":"booking.remind"%`).Count(&n)
		return n
	}
	if err := f.svc.HandleReminder(ctx, &rows[0]); err != nil || notes() != 1 {
		t.Fatalf("reminder: %v, %d messages", err, notes())
	}
	// Moved: the old two-hour reminder is stale and says nothing.
	other := f.slotAt("checkup", time.Date(2026, 4, 8, 9, 0, 0, 0, loc))
	if _, err := f.svc.Reschedule(ctx, ent, bk.ID, booking.MoveInput{SlotID: other.ID}); err != nil {
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
	t.Parallel()
	f := newFixture(t, testkit.Monday)
	ctx := context.Background()
	ent, prov := f.Actor("ent-a"), f.Actor("provider-1")
	sl := f.slotAt("checkup", time.Date(2026, 3, 4, 9, 0, 0, 0, loc))
	bk, err := f.svc.Book(ctx, ent, booking.BookInput{SlotID: sl.ID, Mode: "online", Topic: "消防"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Complete(ctx, prov, bk.ID, booking.ReportInput{Findings: "x"}); !errors.Is(err, slots.ErrNotAllowed) {
		t.Fatalf("completed before it started: %v", err)
	}
	if _, err := f.svc.Act(ctx, ent, bk.ID, booking.ActInput{Action: "confirm"}); !errors.Is(err, slots.ErrNotAllowed) {
		t.Fatalf("the enterprise confirmed: %v", err)
	}
	if _, err := f.svc.Act(ctx, prov, bk.ID, booking.ActInput{Action: "start"}); !errors.Is(err, slots.ErrTooEarly) {
		t.Fatalf("started the day before: %v", err)
	}
	f.Clock.Set(sl.StartsAt.Add(-10 * time.Minute)) // the enterprise arrives
	for _, act := range []string{"confirm", "start"} {
		if _, err := f.svc.Act(ctx, prov, bk.ID, booking.ActInput{Action: act}); err != nil {
			t.Fatalf("%s: %v", act, err)
		}
	}
	if v, err := f.svc.Get(ctx, prov, bk.ID); err != nil || len(v.Actions) != 1 || v.Actions[0] != slots.Complete {
		t.Fatalf("in progress, the provider's only move is to complete: %+v %v", v, err)
	}
	if _, err := f.svc.Complete(ctx, prov, bk.ID, booking.ReportInput{Findings: " 灭火器过期 3 具 ", Advice: "一周内更换", FollowUp: "可预约复查"}); err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"ent-a", "provider-1"} {
		r, err := f.svc.ReportOf(ctx, f.Actor(who), bk.ID)
		if err != nil || r.Findings != "灭火器过期 3 具" {
			t.Errorf("%s cannot read the report: %+v %v", who, r, err)
		}
		if d, err := f.svc.Detail(ctx, f.Actor(who), bk.ID); err != nil || d.Report == nil {
			t.Errorf("%s: the page has no report: %v", who, err)
		}
	}
	for _, who := range []string{"ent-b", "officer-scj", "liaison-lc", "liaison-city", "obs-chamber", "admin"} {
		if _, err := f.svc.ReportOf(ctx, f.Actor(who), bk.ID); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("%s: %v, want not found", who, err)
		}
		if _, err := f.svc.Get(ctx, f.Actor(who), bk.ID); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("%s sees the booking: %v", who, err)
		}
		if _, _, err := f.svc.CalendarFile(ctx, f.Actor(who), bk.ID, "https://qijian.example"); !errors.Is(err, booking.ErrNotFound) {
			t.Errorf("%s downloads the booking: %v", who, err)
		}
	}
	// No-show is recorded for a booking nobody came to.
	sl2 := f.slotAt("checkup", time.Date(2026, 3, 5, 9, 0, 0, 0, loc))
	bk2, _ := f.svc.Book(ctx, ent, booking.BookInput{SlotID: sl2.ID, Mode: "online"})
	if _, err := f.svc.Act(ctx, prov, bk2.ID, booking.ActInput{Action: "no_show"}); !errors.Is(err, slots.ErrTooEarly) {
		t.Fatalf("a no-show before the start: %v", err)
	}
	f.Clock.Set(sl2.StartsAt.Add(30 * time.Minute))
	if got, err := f.svc.Act(ctx, prov, bk2.ID, booking.ActInput{Action: "no_show"}); err != nil || got.Status != slots.NoShow {
		t.Fatalf("no-show: %v %v", got, err)
	}
}

// Lists are the caller's own: an enterprise's, or a provider's (one day if asked); every other
// role is refused, and an enterprise login without its enterprise sees nothing rather than all.
func TestListsAreScopedAndFailClosed(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testkit.Monday)
	ctx := context.Background()
	for _, c := range []struct {
		who string
		at  time.Time
	}{{"ent-a", time.Date(2026, 3, 4, 9, 0, 0, 0, loc)}, {"ent-b", time.Date(2026, 3, 5, 9, 0, 0, 0, loc)}} {
		if _, err := f.svc.Book(ctx, f.Actor(c.who), booking.BookInput{SlotID: f.slotAt("checkup", c.at).ID, Mode: "online"}); err != nil {
			t.Fatal(err)
		}
	}
	count := func(a account.Actor, q booking.ListQuery) (int, error) {
		list, err := f.svc.List(ctx, a, q)
		for _, b := range list {
			if b.ServiceZh == "" {
				t.Errorf("booking %s without its service's name", b.Number)
			}
		}
		return len(list), err
	}
	for _, c := range []struct {
		name string
		a    account.Actor
		q    booking.ListQuery
		want int
	}{
		{"enterprise", f.Actor("ent-a"), booking.ListQuery{}, 1},
		{"provider", f.Actor("provider-1"), booking.ListQuery{}, 2},
		{"provider's day", f.Actor("provider-1"), booking.ListQuery{Date: "2026-03-05"}, 1},
		{"provider's empty day", f.Actor("provider-1"), booking.ListQuery{Date: "2026-03-06"}, 0},
	} {
		if n, err := count(c.a, c.q); err != nil || n != c.want {
			t.Errorf("%s: %d bookings (%v), want %d", c.name, n, err, c.want)
		}
	}
	lost := f.Actor("ent-a")
	lost.EnterpriseID = 0
	for name, a := range map[string]account.Actor{"officer": f.Actor("officer-scj"), "admin": f.Actor("admin"), "liaison": f.Actor("liaison-city"), "enterprise login without enterprise": lost} {
		if n, err := count(a, booking.ListQuery{}); !errors.Is(err, booking.ErrForbidden) || n != 0 {
			t.Errorf("%s: %d bookings, %v; want refused", name, n, err)
		}
	}
	if _, err := f.svc.List(ctx, f.Actor("provider-1"), booking.ListQuery{Date: "03/05/2026"}); !errors.Is(err, booking.ErrDate) {
		t.Errorf("bad date: %v", err)
	}
	// The private feed follows the same scope; an officer has none.
	u, tok := feedOf(t, f, "provider-1")
	if body, err := f.svc.Feed(ctx, u, tok, "https://qijian.example"); err != nil || len(body) == 0 {
		t.Errorf("provider feed: %v", err)
	}
	if url, err := f.svc.FeedURL(ctx, f.Actor("officer-scj")); err != nil || url != "" {
		t.Errorf("officer feed link: %q %v", url, err)
	}
	if _, err := f.svc.Feed(ctx, f.User("officer-scj").ID, tok, "https://qijian.example"); !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("officer feed: %v", err)
	}
}

// A provider's weekly schedule: its own services only, each rule checked by its index.
func TestPublishScheduleNamesTheBadRule(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testkit.Monday)
	ctx := context.Background()
	prov := f.Actor("provider-1")
	sv := f.slotAt("risk", time.Date(2026, 3, 4, 9, 0, 0, 0, loc)).ServiceID
	err := f.svc.PublishSchedule(ctx, prov, sv, booking.ScheduleInput{Rules: []booking.Rule{{Weekday: 3, Start: "10:30", Capacity: 3}, {Weekday: 7, Start: "25:00", Capacity: 0}}})
	fields := errs.FieldsOf(err)
	if !errors.Is(err, errs.Invalid) || fields["rules[1].weekday"] == "" || fields["rules[1].start"] == "" || fields["rules[1].capacity"] == "" || fields["rules[0].start"] != "" {
		t.Fatalf("bad rules: %v", err)
	}
	if err := f.svc.PublishSchedule(ctx, prov, sv, booking.ScheduleInput{Rules: []booking.Rule{{Weekday: 3, Start: "10:30", Capacity: 3}}}); err != nil {
		t.Fatal(err)
	}
	o, err := f.svc.Offering(ctx, f.Actor("ent-a"), sv, booking.WindowQuery{From: "2026-03-09", Days: ptr(7)})
	if err != nil || len(o.Slots) != 1 || o.Slots[0].Free != 3 || !o.CanBook || len(o.Days()) != 1 || o.Days()[0].Weekday != 3 {
		t.Fatalf("one Wednesday 10:30 slot with 3 seats: %+v %v", o, err)
	}
	views, err := f.svc.Schedules(ctx, prov)
	if err != nil || len(views) == 0 {
		t.Fatalf("schedules: %v", err)
	}
	for _, v := range views {
		if v.Service.ID == sv && (v.Times[3] != "10:30" || v.Cap[3] != 3 || v.Times[1] != "") {
			t.Fatalf("the page shows %+v", v)
		}
	}
	if _, err := f.svc.Schedules(ctx, f.Actor("ent-a")); !errors.Is(err, booking.ErrForbidden) {
		t.Fatalf("an enterprise has schedules: %v", err)
	}
	for _, days := range []int{0, 63} {
		if _, err := f.svc.Offering(ctx, f.Actor("ent-a"), sv, booking.WindowQuery{Days: ptr(days)}); !errors.Is(err, booking.ErrDays) {
			t.Errorf("%d days: %v", days, err)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// The catalogue's industries live in their own table: a service saved for two industries is
// found by each, first on that industry's menu, and by no other.
func TestCatalogueByIndustry(t *testing.T) {
	t.Parallel()
	f := newFixture(t, testkit.Monday)
	ctx := context.Background()
	admin := f.Actor("admin")
	in := booking.ServiceInput{Code: " Pumps-Export ", Kind: "menu", NameZh: "泵阀出口合规", NameEn: "Pump export compliance", Industries: []string{"pumps_valves", "chemicals", "pumps_valves"},
		Minutes: 90, Mode: "both", ProviderID: f.User("provider-1").ID, Active: true}
	if _, err := f.svc.SaveService(ctx, f.Actor("ent-a"), 0, in); !errors.Is(err, booking.ErrForbidden) {
		t.Fatalf("an enterprise edited the catalogue: %v", err)
	}
	sv, err := f.svc.SaveService(ctx, admin, 0, in)
	if err != nil || sv.Code != "pumps-export" || len(sv.Industries) != 2 {
		t.Fatalf("save: %+v %v", sv, err)
	}
	in.ProviderID = f.User("ent-a").ID
	if _, err := f.svc.SaveService(ctx, admin, 0, in); !errors.Is(err, booking.ErrProvider) {
		t.Fatalf("an enterprise login as provider: %v", err)
	}
	in.ProviderID = f.User("provider-1").ID
	if _, err := f.svc.SaveService(ctx, admin, 0, in); !errors.Is(err, booking.ErrCodeTaken) {
		t.Fatalf("a second entry with the same code: %v", err)
	}
	for _, c := range []struct {
		industry string
		first    bool // the new service heads the menu
		listed   bool
	}{{"chemicals", true, true}, {"pumps_valves", false, true}, {"footwear", false, false}} {
		cat, err := f.svc.Catalogue(ctx, account.Actor{}, booking.CatalogueQuery{Industry: c.industry})
		if err != nil {
			t.Fatal(err)
		}
		listed := false
		for i, v := range cat.Services {
			if !v.Fits(c.industry) {
				t.Errorf("%s: %s is not for it", c.industry, v.Code)
			}
			if v.ID == sv.ID {
				listed = true
				if c.first && i != 0 {
					t.Errorf("%s: the only service for it is at %d", c.industry, i)
				}
			}
		}
		if listed != c.listed {
			t.Errorf("%s: listed %v, want %v", c.industry, listed, c.listed)
		}
		hits, err := f.svc.Search(ctx, booking.SearchQuery{Kind: "menu", Industry: c.industry})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hits {
			if h.ServiceID == sv.ID {
				t.Errorf("%s: a service without a schedule has free slots", c.industry)
			}
		}
	}
	// The enterprise's own industry when it asks none: ent-b is auto parts.
	if cat, err := f.svc.Catalogue(ctx, f.Actor("ent-b"), booking.CatalogueQuery{}); err != nil || cat.Industry != "auto_parts" || cat.Services[0].Code != "menu-auto" {
		t.Fatalf("ent-b's menu: %+v %v", cat, err)
	}
	// Changing the entry replaces its industries; the form starts from what is stored.
	in.Industries = []string{"food"}
	if _, err := f.svc.SaveService(ctx, admin, sv.ID, in); err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.ServiceInputOf(ctx, admin, sv.ID)
	if err != nil || len(got.Industries) != 1 || got.Industries[0] != "food" {
		t.Fatalf("edit form: %+v %v", got, err)
	}
	var audits, pending int64
	f.St.Gorm().Table("audit_events").Where("action = ?", "service.save").Count(&audits)
	f.St.Gorm().Table("audit_pending").Where("action = ?", "service.save").Count(&pending)
	if audits+pending < 2 {
		t.Errorf("saves audited: %d chained, %d pending", audits, pending)
	}
}
