package grievance_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"qijian/internal/demo"
	"qijian/internal/errs"
	"qijian/internal/grievance"
	"qijian/internal/idem"
	"qijian/internal/store"
	"qijian/notify"
)

const operator = "operator-12345"

// entA is the demo enterprise of the login ent-a, as a caller names it on the phone.
var entA = struct{ uscc, mobile string }{demo.USCC("330302", 1), "13805770001"}

func call(uscc, mobile string) grievance.Call {
	return grievance.Call{USCC: uscc, Mobile: mobile, Type: "illegal_inspection", Reasons: []string{"NOTICE-1"}, Description: "来电反映：检查前未提前送达检查通知书", BodyID: 1}
}

// notices counts the messages of kind about link that reached user: in the inbox, or owed to the
// worker for someone who also wants SMS or email.
func (f *fx) notices(userID uint, kind, link string) int64 {
	f.t.Helper()
	return f.count("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND link = ? AND kind = ?", userID, link, kind) +
		f.count("SELECT COUNT(*) FROM outbox WHERE task_type = ? AND payload LIKE ? AND payload LIKE ? AND payload LIKE ?", notify.TaskDeliver,
			fmt.Sprintf(`{"user_id":%d,%%`, userID), `%"kind":"`+kind+`"%`, `%"link":"`+link+`"%`)
}

// The caller is verified by credit code and the registered mobile: the enterprise's contact or a
// login's reviewed mobile. Anything else is refused naming the field, and nothing is created.
func TestTakeCallVerifiesTheCaller(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	entUser := f.User("ent-a")
	// ent-a's login had its application reviewed with a mobile of its own; another, unchecked.
	for _, c := range []store.Claim{
		{UserID: entUser.ID, EnterpriseID: *entUser.EnterpriseID, USCC: entA.uscc, Mobile: "13900001111", Status: store.ClaimApproved, ContactChecked: true},
		{UserID: f.User("ent-b").ID, EnterpriseID: *entUser.EnterpriseID, USCC: entA.uscc, Mobile: "13900002222", Status: store.ClaimPending},
	} {
		c.CreatedAt, c.UpdatedAt = f.Clock.Now(), f.Clock.Now()
		if err := f.St.CreateClaim(ctx, &c); err != nil {
			t.Fatal(err)
		}
	}
	op := f.Actor(operator)
	for _, c := range []struct {
		name, uscc, mobile string
		field              string // "" for accepted
	}{
		{"the registered contact", entA.uscc, entA.mobile, ""},
		{"the contact as spoken, with the country code", strings.ToLower(entA.uscc), "+86 138-0577-0001", ""},
		{"a login's reviewed mobile", entA.uscc, "13900001111", ""},
		{"a mobile of a claim not approved", entA.uscc, "13900002222", "mobile"},
		{"another enterprise's mobile", entA.uscc, "13905770002", "mobile"},
		{"a credit code on no enterprise", demo.USCC("330302", 77), entA.mobile, "uscc"},
		{"not a credit code", "91330302ABC", entA.mobile, "uscc"},
		{"not a mobile", entA.uscc, "0577-8888", "mobile"},
	} {
		before := f.count("SELECT COUNT(*) FROM work_orders")
		got, err := f.svc.TakeCall(ctx, op, call(c.uscc, c.mobile), "")
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			o := f.order(f.svc.RowID(got.ID))
			if o.EnterpriseID != *entUser.EnterpriseID || o.Source != "phone" || o.FiledByUserID != op.UserID || got.Enterprise != "温州鹿城新锐鞋业有限公司" {
				t.Errorf("%s: stored %+v, told %+v", c.name, o, got)
			}
			continue
		}
		if errs.KindOf(err) != errs.Invalid || errs.FieldsOf(err)[c.field] == "" {
			t.Errorf("%s: got %v (fields %v), want a refusal naming %s", c.name, err, errs.FieldsOf(err), c.field)
		}
		if n := f.count("SELECT COUNT(*) FROM work_orders"); n != before {
			t.Errorf("%s: %d orders created by a refused call", c.name, n-before)
		}
	}
}

// A phone order is filed like a web filing: the same routing and deadlines, the enterprise told
// as a filer is, the liaisons told of a new order; and the timeline names who took the call.
func TestTakeCallFilesLikeTheWeb(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	op, entUser := f.Actor(operator), f.User("ent-a")
	web := f.file("ent-a", illegal, "")
	got, err := f.svc.TakeCall(ctx, op, call(entA.uscc, entA.mobile), "")
	if err != nil || !got.Created {
		t.Fatalf("take call: %+v %v", got, err)
	}
	o := f.order(f.svc.RowID(got.ID))
	if o.Channel != web.Channel || o.CountyCode != web.CountyCode || o.Status != "submitted" || o.Number != got.Number {
		t.Fatalf("phone order %+v, web order %+v", o, web)
	}
	ds, err := f.St.OpenDeadlines(ctx, o.ID)
	wds, _ := f.St.OpenDeadlines(ctx, web.ID)
	if err != nil || len(ds) != 2 || len(wds) != 2 || !ds[0].DueAt.Equal(wds[0].DueAt) || !ds[1].DueAt.Equal(wds[1].DueAt) {
		t.Fatalf("deadlines %v %v, web %v", ds, err, wds)
	}
	link := fmt.Sprintf("/complaints/%d", got.ID)
	if n := f.notices(entUser.ID, "order.received", link); n != 1 {
		t.Errorf("the enterprise's login has %d notices of the phone order, want 1", n)
	}
	if n := f.notices(op.UserID, "order.received", link); n != 0 {
		t.Errorf("the operator has %d filer's notices, want none", n)
	}
	if n := f.notices(f.User("liaison-lc").ID, "order.staff", link); n != 1 {
		t.Errorf("the county's liaison has %d notices of the new order, want 1", n)
	}
	d, err := f.svc.Detail(ctx, f.Actor("liaison-lc"), got.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Source != "phone" || len(d.Timeline) != 1 || d.Timeline[0].By != "operator" || !strings.Contains(d.Timeline[0].Note, "电话受理，接线员 12345 话务员 李静") {
		t.Fatalf("liaison sees source %q, timeline %+v", d.Source, d.Timeline)
	}
	// One queue holds every channel: the liaison's list has both.
	list, err := f.svc.List(ctx, f.Actor("liaison-lc"), grievance.Query{})
	if err != nil || len(list) != 2 {
		t.Fatalf("liaison's queue: %d orders, %v", len(list), err)
	}
}

// The caller who asks to stay anonymous is: the order is anonymous, its number is a reference,
// and the operator who took it, like a liaison, no longer sees who called.
func TestTakeCallKeepsTheCallerAnonymous(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	op := f.Actor(operator)
	c := call(entA.uscc, entA.mobile)
	c.Anonymous = true
	got, err := f.svc.TakeCall(ctx, op, c, "")
	if err != nil {
		t.Fatal(err)
	}
	if got.Enterprise != "" {
		t.Errorf("the confirmation names the anonymous caller: %q", got.Enterprise)
	}
	o := f.order(f.svc.RowID(got.ID))
	if !o.Anonymous || o.Number == fmt.Sprintf("QJ%d%07d", o.CreatedAt.Year(), o.ID) {
		t.Fatalf("stored %+v: want anonymous with a reference for a number", o)
	}
	for _, who := range []string{operator, "liaison-lc"} {
		d, err := f.svc.Detail(ctx, f.Actor(who), got.ID)
		if err != nil {
			t.Fatalf("%s: %v", who, err)
		}
		if d.Reporter != nil || d.County != "330302" {
			t.Errorf("%s sees reporter %+v, county %q", who, d.Reporter, d.County)
		}
		list, err := f.svc.List(ctx, f.Actor(who), grievance.Query{})
		if err != nil || len(list) != 1 || list[0].Reporter != nil {
			t.Errorf("%s's list: %+v %v", who, list, err)
		}
	}
	if d, err := f.svc.Detail(ctx, f.Actor("ent-a"), got.ID); err != nil || d.Reporter == nil {
		t.Errorf("the enterprise itself: %+v %v", d, err)
	}
	if _, err := f.svc.Reveal(ctx, op, got.ID, "核实来电"); err == nil {
		t.Error("the operator revealed the reporter")
	}
}

// A repeated call with the same Idempotency-Key answers the first order and creates nothing; the
// key used for another call is refused.
func TestTakeCallIdempotency(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	op := f.Actor(operator)
	first, err := f.svc.TakeCall(ctx, op, call(entA.uscc, entA.mobile), "call-1")
	if err != nil || !first.Created {
		t.Fatalf("first: %+v %v", first, err)
	}
	again, err := f.svc.TakeCall(ctx, op, call(entA.uscc, "+86 13805770001"), "call-1")
	if err != nil || again.Created || again.ID != first.ID || again.Number != first.Number {
		t.Fatalf("repeat: %+v %v, want the first order %+v", again, err, first)
	}
	other := call(entA.uscc, entA.mobile)
	other.Description = "另一通来电：执法人员未出示证件"
	if _, err := f.svc.TakeCall(ctx, op, other, "call-1"); !errors.Is(err, idem.ErrMismatch) {
		t.Fatalf("the key reused for another call: %v", err)
	}
	if n := f.count("SELECT COUNT(*) FROM work_orders WHERE source = 'phone'"); n != 1 {
		t.Fatalf("%d phone orders, want 1", n)
	}
}

// The operator records calls and sees the orders it took: not others' orders, no moves, no
// files; and no one else records calls, nor does an operator file except through a verified call.
func TestOperatorTakesCallsAndNothingElse(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	op := f.Actor(operator)
	web := f.file("ent-a", illegal, "")
	for _, who := range []string{"ent-a", "liaison-lc", "admin", "obs-chamber"} {
		if _, err := f.svc.TakeCall(ctx, f.Actor(who), call(entA.uscc, entA.mobile), ""); !errors.Is(err, grievance.ErrForbidden) {
			t.Errorf("%s takes a call: %v", who, err)
		}
	}
	direct := illegal
	direct.EnterpriseID = web.EnterpriseID
	if _, err := f.svc.File(ctx, op, direct, ""); !errors.Is(err, grievance.ErrForbidden) {
		t.Errorf("an operator files without a verified call: %v", err)
	}
	got, err := f.svc.TakeCall(ctx, op, call(entA.uscc, entA.mobile), "")
	if err != nil {
		t.Fatal(err)
	}
	list, err := f.svc.List(ctx, op, grievance.Query{})
	if err != nil || len(list) != 1 || list[0].ID != got.ID {
		t.Fatalf("the operator's list: %+v %v, want its one call", list, err)
	}
	if _, err := f.svc.Detail(ctx, op, web.ID); !errors.Is(err, grievance.ErrNotFound) {
		t.Errorf("the operator opens a web filing: %v", err)
	}
	d, err := f.svc.Detail(ctx, op, got.ID)
	if err != nil || len(d.Allowed) != 0 || d.CanAttach || d.CanReveal {
		t.Fatalf("the operator's view: allowed %v, attach %v, reveal %v, %v", d.Allowed, d.CanAttach, d.CanReveal, err)
	}
	for _, m := range []grievance.Move{{Action: "accept"}, {Action: "message", Reason: "补充一句"}, {Action: "escalate", Reason: "催办"}} {
		if _, err := f.svc.Act(ctx, op, got.ID, m); err == nil {
			t.Errorf("the operator did %s", m.Action)
		}
	}
	if _, err := f.svc.Attach(ctx, grievance.Files{Dir: t.TempDir()}, op, got.ID, pngFile(t)); !errors.Is(err, grievance.ErrForbidden) {
		t.Errorf("the operator attaches a file: %v", err)
	}
	if _, err := f.svc.Export(ctx, op, grievance.Query{}); !errors.Is(err, grievance.ErrForbidden) {
		t.Errorf("the operator exports the queue: %v", err)
	}
	// The liaison works the phone order as any other.
	f.act("liaison-lc", got.ID, grievance.Move{Action: "accept"})
}
