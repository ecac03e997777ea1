package grievance_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"qijian/internal/errs"
	"qijian/internal/grievance"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/store"
	"qijian/internal/testkit"
)

func TestFullLifecycle(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	o := f.file("ent-a", illegal, "")
	if o.Channel != "12348" || o.Status != "submitted" || o.CountyCode != "330302" || o.NextDueAt == nil {
		t.Fatalf("filed: %+v", o)
	}
	// accept is due 2 working hours after 09:00 Monday.
	if want := monday.Add(2 * time.Hour); !o.NextDueAt.Equal(want) {
		t.Errorf("next due %v, want %v", o.NextDueAt, want)
	}
	f.act("liaison-lc", o.ID, grievance.Move{Action: "accept"})
	f.act("liaison-lc", o.ID, grievance.Move{Action: "dispatch", UnitID: 1})
	f.act("officer-scj", o.ID, grievance.Move{Action: "start"})
	f.act("officer-scj", o.ID, grievance.Move{Action: "reply", Note: "已核实，责令整改"})
	f.act("liaison-lc", o.ID, grievance.Move{Action: "follow_up"})
	f.act("ent-a", o.ID, grievance.Move{Action: "rate", Rating: 3})
	f.act("liaison-lc", o.ID, grievance.Move{Action: "record_follow_up", Solved: "no", Satisfied: "yes", Note: "电话回访"})
	d := f.act("liaison-lc", o.ID, grievance.Move{Action: "close"})
	if d.Status != "closed" || d.ClosedAt == nil || d.NextDueAt != nil {
		t.Fatalf("closed: %+v", d)
	}
	f.Clock.Advance(5 * 24 * time.Hour)
	d = f.act("ent-a", o.ID, grievance.Move{Action: "reopen", Note: "问题未解决"})
	if d.Status != "accepted" || d.Level != 1 || d.ReopenCount != 1 || d.NextDueAt == nil {
		t.Fatalf("reopened: %+v", d)
	}
	if len(d.Timeline) != 10 {
		t.Fatalf("timeline: %d events, want 10", len(d.Timeline))
	}
	if bad, n, _ := f.St.VerifyAudit(context.Background()); bad != 0 || n != 10 {
		t.Fatalf("audit: bad %d, %d entries", bad, n)
	}
}

func TestOnlyTheRightPeopleSeeAnOrder(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	o := f.file("ent-a", illegal, "")
	ctx := context.Background()
	see := func(user string) bool {
		_, err := f.svc.Detail(ctx, f.Actor(user), o.ID)
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
	f.act("liaison-lc", o.ID, grievance.Move{Action: "accept"})
	f.act("liaison-lc", o.ID, grievance.Move{Action: "dispatch", UnitID: 1})
	if !see("officer-scj") {
		t.Error("the handling unit cannot see its order")
	}
	if _, err := f.svc.Act(ctx, f.Actor("ent-b"), o.ID, grievance.Move{Action: "message", Note: "x"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another enterprise acting: %v, want not found", err)
	}
	if _, err := f.svc.Act(ctx, f.Actor("liaison-lc"), o.ID, grievance.Move{Action: "start"}); !errors.Is(err, lifecycle.ErrNotAllowed) || !errors.Is(err, errs.Conflict) {
		t.Errorf("liaison starting the unit's work: %v", err)
	}
}

func TestObservationPointFilesForMembersOnly(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	obs := f.Actor("obs-chamber")
	member := obs.Members[0]
	if _, err := f.svc.File(ctx, obs, grievance.Filing{Type: "conduct", Description: "检查人员干扰正常生产", EnterpriseID: member}, ""); errs.FieldsOf(err)["consent"] == "" || !errors.Is(err, errs.Invalid) {
		t.Fatalf("filing without the member's consent: %v", err)
	}
	filed, err := f.svc.File(ctx, obs, grievance.Filing{Type: "conduct", Description: "检查人员干扰正常生产", EnterpriseID: member, Consent: true}, "")
	if err != nil {
		t.Fatal(err)
	}
	if o := f.order(filed.ID); o.EnterpriseID != member || o.ObserverID == nil || o.ConsentAt == nil || o.Source != "observer" {
		t.Fatalf("filing for a member: %+v", o)
	}
	if _, err := f.svc.File(ctx, obs, grievance.Filing{Type: "conduct", Description: "检查人员干扰正常生产", EnterpriseID: member + 1, Consent: true}, ""); errs.FieldsOf(err)["enterprise_id"] == "" {
		t.Fatalf("filing for a non-member: %v", err)
	}
	if _, err := f.svc.File(ctx, f.Actor("officer-scj"), illegal, ""); !errors.Is(err, grievance.ErrForbidden) || !errors.Is(err, errs.Forbidden) {
		t.Fatalf("an officer filing: %v", err)
	}
}

func TestIdempotencyKeyMakesOneOrderUnderConcurrency(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	by := f.Actor("ent-a")
	var wg sync.WaitGroup
	ids := make([]uint64, 50)
	created := make([]bool, 50)
	fails := make([]error, 50)
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o, err := f.svc.File(ctx, by, illegal, "key-123")
			fails[i], created[i], ids[i] = err, o.Created, o.ID
		}()
	}
	wg.Wait()
	nCreated := 0
	for i := range 50 {
		if fails[i] != nil {
			t.Fatalf("request %d: %v", i, fails[i])
		}
		if ids[i] != ids[0] {
			t.Fatalf("request %d got order %d, request 0 got %d", i, ids[i], ids[0])
		}
		if created[i] {
			nCreated++
		}
	}
	list, _ := f.svc.List(ctx, by, grievance.Query{})
	if nCreated != 1 || len(list) != 1 {
		t.Fatalf("%d created, %d orders; want 1 and 1", nCreated, len(list))
	}
}

func TestDeadlineRemindsThenEscalatesOnceNeverEarly(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	o := f.file("ent-a", illegal, "")
	notes := func() int64 { // messages sent, delivered or queued
		m, err := testkit.Sent(context.Background(), f.St, "")
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
	f.Clock.Advance(89 * time.Minute)
	f.runDueTimers()
	if got, _ := f.St.Order(context.Background(), o.ID, false); got.Level != 0 {
		t.Fatal("escalated early")
	}
	f.Clock.Advance(time.Minute)
	if n := f.runDueTimers(); n != 1 {
		t.Fatalf("timers at 1h30m: %d, want the reminder", n)
	}
	// The reminder goes to the county and city liaisons (no unit yet).
	if got := notes() - before; got != 2 {
		t.Fatalf("reminder messages: %d, want 2", got)
	}
	before = notes()
	f.Clock.Advance(30 * time.Minute)
	if n := f.runDueTimers(); n != 1 {
		t.Fatalf("timers at 2h: %d, want the breach", n)
	}
	got, _ := f.St.Order(context.Background(), o.ID, false)
	if got.Level != 1 {
		t.Fatalf("after the missed accept deadline: level %d, want 1", got.Level)
	}
	// Re-running the same timers (a duplicate delivery) changes nothing.
	f.Clock.Advance(time.Hour)
	f.runDueTimers()
	got, _ = f.St.Order(context.Background(), o.ID, false)
	if got.Level != 1 {
		t.Fatalf("a second run escalated again: level %d", got.Level)
	}
	ev, _ := f.St.OrderEvents(context.Background(), o.ID)
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
	t.Parallel()
	f := newFx(t)
	o := f.file("ent-a", illegal, "")
	ctx := context.Background()
	dl, _ := f.St.OpenDeadlines(ctx, o.ID)
	var accept store.Deadline
	for _, d := range dl {
		if d.Stage == "accept" {
			accept = d
		}
	}
	// Deliver the breach timer now, two hours early, as a lost-and-resent task might be.
	id, _ := f.St.InsertOutbox(ctx, grievance.TaskDeadline, map[string]any{"deadline_id": accept.ID, "kind": "breach"}, f.Clock.Now(), f.Clock.Now())
	err := f.St.WithTx(ctx, func(ctx context.Context) error {
		row, _, err := f.St.ClaimOutbox(ctx, id, f.Clock.Now())
		if err != nil {
			return err
		}
		return f.svc.HandleTimer(ctx, row)
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := f.St.Order(ctx, o.ID, false)
	d, _ := f.St.Deadline(ctx, accept.ID)
	if got.Level != 0 || d.BreachedAt != nil {
		t.Fatal("an early timer acted")
	}
	rows, _ := f.St.UnrelayedOutbox(ctx, accept.DueAt, 100)
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
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	o := f.file("ent-a", illegal, "")
	f.Clock.Advance(3 * time.Hour) // the accept stage (2 h) is past due
	if n := f.runDueTimers(); n != 1 {
		t.Fatalf("timers due at 3h: %d, want the accept stage's reminder", n)
	}
	dl, _ := f.St.OpenDeadlines(ctx, o.ID)
	for _, d := range dl {
		if d.Stage == "accept" && (d.RemindedAt != nil || d.BreachedAt != nil) {
			t.Fatalf("the late reminder acted: %+v", d)
		}
	}
	if n := f.runDueTimers(); n != 1 {
		t.Fatalf("timers after the late reminder: %d, want the breach it armed", n)
	}
	if got, _ := f.St.Order(ctx, o.ID, false); got.Level != 1 {
		t.Fatalf("level %d after the breach, want 1", got.Level)
	}
	if n := f.runDueTimers(); n != 0 {
		t.Fatalf("%d more timers ran", n)
	}
}

// A stage met before its reminder never gets a breach timer: the reminder finds it met.
func TestMetStageArmsNoBreach(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	o := f.file("ent-a", illegal, "")
	f.act("liaison-lc", o.ID, grievance.Move{Action: "accept"})
	f.Clock.Advance(90 * time.Minute)
	if n := f.runDueTimers(); n != 1 {
		t.Fatalf("timers at 1h30m: %d, want the accept stage's reminder", n)
	}
	if n := f.count(`SELECT COUNT(*) FROM outbox WHERE task_type = 'grievance:deadline' AND payload LIKE '%"breach"%'`); n != 0 {
		t.Fatalf("%d breach timers armed for a met stage", n)
	}
}
