package grievance_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"qijian/internal/account"
	"qijian/internal/calendar"
	"qijian/internal/clock"
	"qijian/internal/demo"
	"qijian/internal/grievance"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/store"
	"qijian/internal/testkit"
)

type fixture struct {
	t   *testing.T
	st  *store.Store
	clk *clock.Fake
	svc *grievance.Service
}

// Monday 2026-03-02 09:00 in Wenzhou: an ordinary working morning.
var monday = time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Location())

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st := testkit.Store(t)
	clk := clock.NewFake(monday)
	if _, err := demo.Load(context.Background(), st, "demo-password-123", clk.Now()); err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, st: st, clk: clk, svc: &grievance.Service{St: st, Cal: calendar.New(), Clock: clk}}
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

func (f *fixture) file(user string, fl grievance.Filing, key string) *store.WorkOrder {
	f.t.Helper()
	o, _, err := f.svc.File(context.Background(), f.actor(user), fl, key)
	if err != nil {
		f.t.Fatalf("file: %v", err)
	}
	return o
}

func (f *fixture) act(user string, id uint64, a lifecycle.Action, in lifecycle.Input) *store.WorkOrder {
	f.t.Helper()
	o, err := f.svc.Act(context.Background(), f.actor(user), id, a, in)
	if err != nil {
		f.t.Fatalf("%s by %s: %v", a, user, err)
	}
	return o
}

// runDueTimers runs every deadline timer that is due now, as the worker would.
func (f *fixture) runDueTimers() int {
	f.t.Helper()
	ctx := context.Background()
	rows, err := f.st.UnrelayedOutbox(ctx, f.clk.Now(), 1000)
	if err != nil {
		f.t.Fatal(err)
	}
	n := 0
	for _, r := range rows {
		if r.TaskType != grievance.TaskDeadline {
			continue
		}
		err := f.st.WithTx(ctx, func(ctx context.Context) error {
			row, ok, err := f.st.ClaimOutbox(ctx, r.ID, f.clk.Now())
			if err != nil || !ok {
				return err
			}
			n++
			return f.svc.HandleTimer(ctx, row)
		})
		if err != nil {
			f.t.Fatal(err)
		}
	}
	return n
}

var illegal = grievance.Filing{Type: "illegal_inspection", Reasons: []string{"NOTICE-1"}, Description: "检查前未提前送达检查通知书", BodyID: 1}

func TestFullLifecycle(t *testing.T) {
	f := newFixture(t)
	o := f.file("ent-a", illegal, "")
	if o.Channel != "12348" || o.Status != "submitted" || o.CountyCode != "330302" || o.NextDueAt == nil {
		t.Fatalf("filed: %+v", o)
	}
	// accept is due 2 working hours after 09:00 Monday.
	if want := monday.Add(2 * time.Hour); !o.NextDueAt.Equal(want) {
		t.Errorf("next due %v, want %v", o.NextDueAt, want)
	}
	f.act("liaison-lc", o.ID, lifecycle.Accept, lifecycle.Input{})
	f.act("liaison-lc", o.ID, lifecycle.Dispatch, lifecycle.Input{Unit: 1})
	f.act("officer-scj", o.ID, lifecycle.Start, lifecycle.Input{})
	f.act("officer-scj", o.ID, lifecycle.Reply, lifecycle.Input{Note: "已核实，责令整改"})
	f.act("liaison-lc", o.ID, lifecycle.StartFollow, lifecycle.Input{})
	f.act("ent-a", o.ID, lifecycle.Rate, lifecycle.Input{Rating: 2})
	o = f.act("liaison-lc", o.ID, lifecycle.Close, lifecycle.Input{})
	if o.Status != "closed" || o.ClosedAt == nil || o.NextDueAt != nil {
		t.Fatalf("closed: %+v", o)
	}
	f.clk.Advance(5 * 24 * time.Hour)
	o = f.act("ent-a", o.ID, lifecycle.Reopen, lifecycle.Input{Note: "问题未解决"})
	if o.Status != "accepted" || o.Level != 1 || o.ReopenCount != 1 || o.NextDueAt == nil {
		t.Fatalf("reopened: %+v", o)
	}
	ev, _ := f.st.OrderEvents(context.Background(), o.ID)
	if len(ev) != 9 {
		t.Fatalf("timeline: %d events, want 9", len(ev))
	}
	if bad, n, _ := f.st.VerifyAudit(context.Background()); bad != 0 || n != 9 {
		t.Fatalf("audit: bad %d, %d entries", bad, n)
	}
}

func TestOnlyTheRightPeopleSeeAnOrder(t *testing.T) {
	f := newFixture(t)
	o := f.file("ent-a", illegal, "")
	ctx := context.Background()
	see := func(user string) bool {
		_, err := f.svc.Visible(ctx, f.actor(user), o.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil
	}
	want := map[string]bool{"ent-a": true, "ent-b": false, "liaison-lc": true, "liaison-city": true, "officer-scj": false, "obs-chamber": false, "provider-1": false, "admin": true}
	for u, w := range want {
		if got := see(u); got != w {
			t.Errorf("before dispatch, %s sees: %v, want %v", u, got, w)
		}
	}
	f.act("liaison-lc", o.ID, lifecycle.Accept, lifecycle.Input{})
	f.act("liaison-lc", o.ID, lifecycle.Dispatch, lifecycle.Input{Unit: 1})
	if !see("officer-scj") {
		t.Error("the handling unit cannot see its order")
	}
	if _, err := f.svc.Act(ctx, f.actor("ent-b"), o.ID, lifecycle.Message, lifecycle.Input{Note: "x"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another enterprise acting: %v, want not found", err)
	}
	if _, err := f.svc.Act(ctx, f.actor("liaison-lc"), o.ID, lifecycle.Start, lifecycle.Input{}); !errors.Is(err, lifecycle.ErrNotAllowed) {
		t.Errorf("liaison starting the unit's work: %v", err)
	}
}

func TestObservationPointFilesForMembersOnly(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	obs := f.actor("obs-chamber")
	member := obs.Members[0]
	var fe *grievance.FieldError
	if _, _, err := f.svc.File(ctx, obs, grievance.Filing{Type: "conduct", Description: "检查人员干扰正常生产", EnterpriseID: member}, ""); !errors.As(err, &fe) || fe.Field != "consent" {
		t.Fatalf("filing without the member's consent: %v", err)
	}
	o, _, err := f.svc.File(ctx, obs, grievance.Filing{Type: "conduct", Description: "检查人员干扰正常生产", EnterpriseID: member, Consent: true}, "")
	if err != nil || o.EnterpriseID != member || o.ObserverID == nil || o.ConsentAt == nil {
		t.Fatalf("filing for a member: %v %+v", err, o)
	}
	if _, _, err := f.svc.File(ctx, obs, grievance.Filing{Type: "conduct", Description: "检查人员干扰正常生产", EnterpriseID: member + 1, Consent: true}, ""); !errors.As(err, &fe) || fe.Field != "enterprise_id" {
		t.Fatalf("filing for a non-member: %v", err)
	}
	if _, _, err := f.svc.File(ctx, f.actor("officer-scj"), illegal, ""); !errors.Is(err, grievance.ErrForbidden) {
		t.Fatalf("an officer filing: %v", err)
	}
}

func TestIdempotencyKeyMakesOneOrderUnderConcurrency(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	by := f.actor("ent-a")
	var wg sync.WaitGroup
	ids := make([]uint64, 50)
	created := make([]bool, 50)
	errs := make([]error, 50)
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, c, err := f.svc.File(ctx, by, illegal, "key-123")
			errs[i], created[i] = err, c
			if o != nil {
				ids[i] = o.ID
			}
		}()
	}
	wg.Wait()
	nCreated := 0
	for i := range 50 {
		if errs[i] != nil {
			t.Fatalf("request %d: %v", i, errs[i])
		}
		if ids[i] != ids[0] {
			t.Fatalf("request %d got order %d, request 0 got %d", i, ids[i], ids[0])
		}
		if created[i] {
			nCreated++
		}
	}
	list, _ := f.st.Orders(ctx, store.OrderFilter{EnterpriseID: by.EnterpriseID})
	if nCreated != 1 || len(list) != 1 {
		t.Fatalf("%d created, %d orders; want 1 and 1", nCreated, len(list))
	}
}

func TestDeadlineRemindsThenEscalatesOnceNeverEarly(t *testing.T) {
	f := newFixture(t)
	o := f.file("ent-a", illegal, "")
	notes := func() int64 { // messages sent, delivered or queued
		m, err := testkit.Sent(context.Background(), f.st, "")
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		for _, c := range m {
			n += int64(c)
		}
		return n
	}
	before := notes()
	// 1h29m in: nothing is due yet (the reminder is at 75% of 2 h = 1h30m).
	f.clk.Advance(89 * time.Minute)
	f.runDueTimers()
	if got, _ := f.st.Order(context.Background(), o.ID, false); got.Level != 0 {
		t.Fatal("escalated early")
	}
	f.clk.Advance(time.Minute)
	if n := f.runDueTimers(); n != 1 {
		t.Fatalf("timers at 1h30m: %d, want the reminder", n)
	}
	// The reminder goes to the county and city liaisons (no unit yet).
	if got := notes() - before; got != 2 {
		t.Fatalf("reminder messages: %d, want 2", got)
	}
	before = notes()
	f.clk.Advance(30 * time.Minute)
	if n := f.runDueTimers(); n != 1 {
		t.Fatalf("timers at 2h: %d, want the breach", n)
	}
	got, _ := f.st.Order(context.Background(), o.ID, false)
	if got.Level != 1 {
		t.Fatalf("after the missed accept deadline: level %d, want 1", got.Level)
	}
	// Re-running the same timers (a duplicate delivery) changes nothing.
	f.clk.Advance(time.Hour)
	f.runDueTimers()
	got, _ = f.st.Order(context.Background(), o.ID, false)
	if got.Level != 1 {
		t.Fatalf("a second run escalated again: level %d", got.Level)
	}
	ev, _ := f.st.OrderEvents(context.Background(), o.ID)
	escalations := 0
	for _, e := range ev {
		if e.Action == "escalate" && e.ActorRole == "system" {
			escalations++
		}
	}
	if escalations != 1 {
		t.Fatalf("system escalations: %d, want 1", escalations)
	}
	// The breach told the filer and both liaisons, once.
	if got := notes() - before; got != 3 {
		t.Fatalf("breach messages: %d, want 3", got)
	}
}

func TestTimerFiredEarlyReArms(t *testing.T) {
	f := newFixture(t)
	o := f.file("ent-a", illegal, "")
	ctx := context.Background()
	dl, _ := f.st.OpenDeadlines(ctx, o.ID)
	var accept store.Deadline
	for _, d := range dl {
		if d.Stage == "accept" {
			accept = d
		}
	}
	// Deliver the breach timer now, two hours early, as a lost-and-resent task might be.
	id, _ := f.st.InsertOutbox(ctx, grievance.TaskDeadline, map[string]any{"deadline_id": accept.ID, "kind": "breach"}, f.clk.Now(), f.clk.Now())
	err := f.st.WithTx(ctx, func(ctx context.Context) error {
		row, _, err := f.st.ClaimOutbox(ctx, id, f.clk.Now())
		if err != nil {
			return err
		}
		return f.svc.HandleTimer(ctx, row)
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := f.st.Order(ctx, o.ID, false)
	d, _ := f.st.Deadline(ctx, accept.ID)
	if got.Level != 0 || d.BreachedAt != nil {
		t.Fatal("an early timer acted")
	}
	rows, _ := f.st.UnrelayedOutbox(ctx, accept.DueAt, 100)
	rearmed := false
	for _, r := range rows {
		if r.ID > id && r.RunAt.Equal(accept.DueAt) {
			rearmed = true
		}
	}
	if !rearmed {
		t.Fatal("the early timer did not re-arm at the deadline")
	}
}

// A reminder that runs after its deadline (the worker was away) sends no reminder: it arms the
// breach, which runs next, once.
func TestLateReminderGoesStraightToTheBreach(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	o := f.file("ent-a", illegal, "")
	f.clk.Advance(3 * time.Hour) // the accept stage (2 h) is past due
	if n := f.runDueTimers(); n != 1 {
		t.Fatalf("timers due at 3h: %d, want the accept stage's reminder", n)
	}
	dl, _ := f.st.OpenDeadlines(ctx, o.ID)
	for _, d := range dl {
		if d.Stage == "accept" && (d.RemindedAt != nil || d.BreachedAt != nil) {
			t.Fatalf("the late reminder acted: %+v", d)
		}
	}
	if n := f.runDueTimers(); n != 1 {
		t.Fatalf("timers after the late reminder: %d, want the breach it armed", n)
	}
	if got, _ := f.st.Order(ctx, o.ID, false); got.Level != 1 {
		t.Fatalf("level %d after the breach, want 1", got.Level)
	}
	if n := f.runDueTimers(); n != 0 {
		t.Fatalf("%d more timers ran", n)
	}
}

// A stage met before its reminder never gets a breach timer: the reminder finds it met.
func TestMetStageArmsNoBreach(t *testing.T) {
	f := newFixture(t)
	o := f.file("ent-a", illegal, "")
	f.act("liaison-lc", o.ID, lifecycle.Accept, lifecycle.Input{})
	f.clk.Advance(90 * time.Minute)
	if n := f.runDueTimers(); n != 1 {
		t.Fatalf("timers at 1h30m: %d, want the accept stage's reminder", n)
	}
	if n := f.count(`SELECT COUNT(*) FROM outbox WHERE task_type = 'grievance:deadline' AND payload LIKE '%"breach"%'`); n != 0 {
		t.Fatalf("%d breach timers armed for a met stage", n)
	}
}
