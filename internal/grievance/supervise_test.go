package grievance_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"qijian/internal/grievance"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/message"
	"qijian/internal/store"
	"qijian/notify"
)

func (f *fx) docs(id uint64) []store.OrderDocument {
	f.t.Helper()
	ds, err := f.St.OrderDocuments(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	return ds
}

func (f *fx) setContact(limit int, mobile string) {
	f.t.Helper()
	if _, err := f.svc.SaveSettings(context.Background(), f.Actor("admin"), grievance.SupervisionSettings{ConcentrationLimit: limit,
		ReferralContactName: "市纪委监委驻市司法局纪检监察组", ReferralMobile: mobile}); err != nil {
		f.t.Fatal(err)
	}
}

// Each rung a liaison raises issues its document, numbered in its own series for the year, with
// the reason in its text; the unit reads them, the enterprise does not. Referral is the city
// level's: a county liaison's attempt issues nothing; the city's issues the referral with a case
// summary naming the earlier documents, and it reaches the configured contact by SMS through the
// outbox, with its own delivery record.
func TestEveryRungIssuesItsDocument(t *testing.T) {
	t.Parallel()
	f, o := dispatched(t, monday)
	ctx := context.Background()
	f.setContact(5, "13800000001")
	reasons := []string{"签收超时", "催办后仍未办理", "县级督办后仍未办结"}
	for _, r := range reasons {
		f.act("liaison-lc", o.ID, grievance.Move{Action: "escalate", Reason: r})
	}
	ds := f.docs(o.ID)
	want := []struct{ kind, number, title string }{
		{grievance.DocReminder, "温催〔2026〕1号", "催办通知"},
		{grievance.DocCountyLetter, "温司督〔2026〕1号", "督办函"},
		{grievance.DocCityLetter, "温市督〔2026〕1号", "市级督办函"},
	}
	if len(ds) != len(want) {
		t.Fatalf("%d documents after three rungs, want 3", len(ds))
	}
	for i, w := range want {
		d := ds[i]
		if d.Kind != w.kind || d.Number != w.number || d.Level != i+1 || !strings.Contains(d.BodyZh, w.title) || !strings.Contains(d.BodyZh, reasons[i]) ||
			!strings.Contains(d.BodyZh, o.Number) || !strings.Contains(d.BodyZh, d.Number) || !strings.Contains(d.BodyEn, o.Number) || d.Reason != reasons[i] {
			t.Errorf("rung %d: %+v", i+1, d)
		}
	}
	if !strings.Contains(ds[1].Issuer, "鹿城区司法局") || !strings.Contains(ds[2].Issuer, "温州市司法局") {
		t.Errorf("issuers: %q, %q", ds[1].Issuer, ds[2].Issuer)
	}
	if d := f.act("officer-scj", o.ID, grievance.Move{Action: "sign"}); len(d.Documents) != 3 {
		t.Errorf("the unit reads %d documents, want 3", len(d.Documents))
	}
	if d, err := f.svc.Detail(ctx, f.Actor("ent-a"), o.ID); err != nil || len(d.Documents) != 0 {
		t.Errorf("the enterprise reads %d documents (%v), want none", len(d.Documents), err)
	}
	if _, err := f.svc.Document(ctx, f.Actor("ent-a"), o.ID, ds[0].ID); !errors.Is(err, grievance.ErrNotFound) {
		t.Errorf("the enterprise opening a document: %v", err)
	}
	// Referral: not the county's; the city's issues the referral and tells the contact.
	if _, err := f.svc.Act(ctx, f.Actor("liaison-lc"), o.ID, grievance.Move{Action: "escalate", Reason: "屡次超时"}); !errors.Is(err, lifecycle.ErrNotAllowed) {
		t.Fatalf("a county liaison referring: %v", err)
	}
	if n := len(f.docs(o.ID)); n != 3 {
		t.Fatalf("a refused referral left %d documents", n)
	}
	d := f.act("liaison-city", o.ID, grievance.Move{Action: "escalate", Reason: "经市级督办仍未办结，移送纪检监察", Note: "承办单位三次超时"})
	if d.Level != 4 || len(d.Documents) != 4 {
		t.Fatalf("after the referral: level %d, %d documents", d.Level, len(d.Documents))
	}
	ref := d.Documents[3]
	if ref.Kind != grievance.DocReferral || ref.Number != "温司移〔2026〕1号" || !strings.Contains(ref.BodyZh, "案情摘要") ||
		!strings.Contains(ref.BodyZh, "温司督〔2026〕1号") || !strings.Contains(ref.BodyZh, "承办单位三次超时") || ref.Recipient != "市纪委监委驻市司法局纪检监察组" {
		t.Fatalf("the referral: %+v", ref)
	}
	if dd, err := f.svc.Detail(ctx, f.Actor("officer-scj"), o.ID); err != nil || len(dd.Documents) != 3 {
		t.Errorf("the unit reads %d documents after the referral (%v), want 3: not the referral", len(dd.Documents), err)
	}
	// The contact's SMS: one outbox row addressed to its number, delivered as a record of its own.
	var rows []store.OutboxRow
	if err := f.St.Gorm().Where("task_type = ? AND payload LIKE ?", message.TaskDeliver, `%"to":"13800000001"%`).Find(&rows).Error; err != nil || len(rows) != 1 {
		t.Fatalf("outbox rows to the contact: %d %v", len(rows), err)
	}
	err := f.St.WithTx(ctx, func(ctx context.Context) error {
		row, ok, err := f.St.ClaimOutbox(ctx, rows[0].ID, f.Clock.Now())
		if err != nil || !ok {
			return fmt.Errorf("claim: %v %v", ok, err)
		}
		return notify.Deliver(ctx, f.St, row, f.Clock.Now())
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := f.count("SELECT COUNT(*) FROM message_deliveries WHERE kind = 'order.referral' AND recipient = '13800000001' AND channel = 'sms' AND body LIKE ?", "%温司移〔2026〕1号%"); n != 1 {
		t.Fatalf("%d deliveries of the referral to the contact, want 1", n)
	}
	if n := f.count("SELECT COUNT(*) FROM notifications WHERE kind = 'order.referral'") + f.count("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%order.referral%' AND payload LIKE '%user_id%' AND payload NOT LIKE '%\"to\"%'"); n == 0 {
		t.Fatal("the city liaisons were not told of the referral")
	}
}

// Numbers count per series and per Wenzhou year, never twice, even when rungs are raised at once.
func TestDocumentNumbersArePerYearAndUnique(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	var ids []uint64
	for range 4 {
		ids = append(ids, f.file("ent-a", illegal, "").ID)
	}
	var wg sync.WaitGroup
	errc := make(chan error, len(ids))
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.svc.Act(ctx, f.Actor("liaison-lc"), id, grievance.Move{Action: "escalate", Reason: "受理超时"})
			errc <- err
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	for _, id := range ids {
		for _, d := range f.docs(id) {
			seen[d.Number] = true
		}
	}
	for i := 1; i <= 4; i++ {
		if n := fmt.Sprintf("温催〔2026〕%d号", i); !seen[n] {
			t.Errorf("%s was not issued (%v)", n, seen)
		}
	}
	// New Year's Eve at 23:30 in Wenzhou is still 2026; half an hour later the count starts again.
	eve := time.Date(2026, 12, 31, 23, 30, 0, 0, monday.Location())
	f.Clock.Set(eve)
	f.act("liaison-lc", ids[0], grievance.Move{Action: "escalate", Reason: "催办后仍未办理"})
	f.act("liaison-lc", ids[1], grievance.Move{Action: "escalate", Reason: "催办后仍未办理"})
	f.Clock.Set(eve.Add(40 * time.Minute))
	f.act("liaison-lc", ids[2], grievance.Move{Action: "escalate", Reason: "催办后仍未办理"})
	got := []string{f.docs(ids[0])[1].Number, f.docs(ids[1])[1].Number, f.docs(ids[2])[1].Number}
	if got[0] == got[1] || !strings.HasPrefix(got[0], "温司督〔2026〕") || !strings.HasPrefix(got[1], "温司督〔2026〕") || got[2] != "温司督〔2027〕1号" {
		t.Fatalf("county letters: %v", got)
	}
}

// An order nobody touches keeps climbing: the missed sign-for stage raises it at its deadline
// and again after each further stage's length (one working day), each rung with its document,
// up to the city level and no further; the system never refers. A person's act postpones the
// next climb by a stage's length from that act.
func TestAutomaticEscalationKeepsClimbingWhileUntouched(t *testing.T) {
	t.Parallel()
	f, o := dispatched(t, monday)
	day := lifecycle.Allowance{Amount: 1, Unit: "days"}
	sign := f.stage(o.ID, "sign")
	f.Clock.Set(sign.DueAt.Add(-time.Minute))
	f.drain()
	if got := f.order(o.ID); got.Level != 0 {
		t.Fatalf("escalated before the sign-for deadline: %d", got.Level)
	}
	f.Clock.Set(sign.DueAt)
	f.drain()
	if got := f.order(o.ID); got.Level != 1 {
		t.Fatalf("at the sign-for deadline: level %d", got.Level)
	}
	second := lifecycle.Due(f.Cal, sign.DueAt, day)
	f.Clock.Set(second.Add(-time.Minute))
	f.drain()
	if got := f.order(o.ID); got.Level != 1 {
		t.Fatalf("climbed early: level %d", got.Level)
	}
	f.Clock.Set(second)
	f.drain()
	if got := f.order(o.ID); got.Level != 2 {
		t.Fatalf("a working day later: level %d, want 2", got.Level)
	}
	third := lifecycle.Due(f.Cal, second, day)
	f.Clock.Set(third)
	f.drain()
	if got := f.order(o.ID); got.Level != 3 {
		t.Fatalf("two working days later: level %d, want 3", got.Level)
	}
	f.Clock.Set(third.AddDate(0, 1, 0))
	f.drain()
	if got := f.order(o.ID); got.Level != 3 || f.climbs(o.ID) != 2 {
		t.Fatalf("a month later: level %d, %d climbs; want 3 (the system never refers) and 2", got.Level, f.climbs(o.ID))
	}
	ds := f.docs(o.ID)
	if len(ds) != 3 || ds[0].Kind != grievance.DocReminder || ds[1].Kind != grievance.DocCountyLetter || ds[2].Kind != grievance.DocCityLetter || ds[1].ActorRole != "system" {
		t.Fatalf("the system's documents: %+v", ds)
	}
}

func TestAPersonsActPostponesTheClimb(t *testing.T) {
	t.Parallel()
	f, o := dispatched(t, monday)
	day := lifecycle.Allowance{Amount: 1, Unit: "days"}
	sign := f.stage(o.ID, "sign")
	f.Clock.Set(sign.DueAt)
	f.drain()
	second := lifecycle.Due(f.Cal, sign.DueAt, day)
	touched := second.Add(-time.Hour)
	f.Clock.Set(touched)
	f.act("liaison-lc", o.ID, grievance.Move{Action: "message", Note: "请尽快签收"})
	f.Clock.Set(second)
	f.drain()
	if got, n := f.order(o.ID), f.climbs(o.ID); got.Level != 1 || n != 0 {
		t.Fatalf("climbed although touched an hour before: level %d, %d climbs", got.Level, n)
	}
	f.Clock.Set(lifecycle.Due(f.Cal, touched, day).Add(-time.Minute))
	f.drain()
	if n := f.climbs(o.ID); n != 0 {
		t.Fatalf("climbed before a working day from the touch: %d", n)
	}
	f.Clock.Set(lifecycle.Due(f.Cal, touched, day))
	f.drain()
	if n := f.climbs(o.ID); n != 1 {
		t.Fatalf("a working day after the touch: %d climbs, want 1", n)
	}
	// Signing for it meets the missed stage: its climbing stops.
	f.act("officer-scj", o.ID, grievance.Move{Action: "sign"})
	f.Clock.Set(f.Clock.Now().AddDate(0, 0, 14))
	f.drain()
	if n := f.climbs(o.ID); n != 1 {
		t.Fatalf("after signing: %d climbs, want still 1", n)
	}
}

// climbs counts the system's further rungs for the missed sign-for stage.
func (f *fx) climbs(id uint64) int64 {
	return f.count("SELECT COUNT(*) FROM order_events WHERE order_id = ? AND action = 'escalate' AND actor_role = 'system' AND note LIKE ?", id, "%签收，持续未处理%")
}

// A unit that gets the monthly limit of orders raises one supervision item for the city level:
// not at one fewer, once at the limit, and not again above it (its count follows). The limit is
// data (default 5). Only the city level lists and handles items, with a note, once.
func TestConcentratedComplaintsRaiseOneItemAtTheLimit(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	if s, err := f.svc.Settings(ctx, f.Actor("admin")); err != nil || s.ConcentrationLimit != 5 {
		t.Fatalf("default settings: %+v %v", s, err)
	}
	if _, err := f.svc.Settings(ctx, f.Actor("liaison-city")); !errors.Is(err, grievance.ErrForbidden) {
		t.Fatalf("a liaison reading the settings: %v", err)
	}
	f.setContact(3, "")
	send := func() uint64 {
		o := f.file("ent-a", illegal, "")
		f.act("liaison-lc", o.ID, grievance.Move{Action: "accept"})
		f.act("liaison-lc", o.ID, grievance.Move{Action: "dispatch", UnitID: 1})
		return o.ID
	}
	items := func() []grievance.SupervisionItem {
		t.Helper()
		it, err := f.svc.SupervisionItems(ctx, f.Actor("liaison-city"), "")
		if err != nil {
			t.Fatal(err)
		}
		return it
	}
	send()
	send()
	if n := len(items()); n != 0 {
		t.Fatalf("%d items at one fewer than the limit", n)
	}
	send()
	if it := items(); len(it) != 1 || it[0].Orders != 3 || it[0].Month != "2026-03" || it[0].UnitID != 1 || len(it[0].OrderRefs) != 3 || it[0].Limit != 3 {
		t.Fatalf("at the limit: %+v", it)
	}
	send()
	it := items()
	if len(it) != 1 || it[0].Orders != 4 || len(it[0].OrderRefs) != 4 {
		t.Fatalf("above the limit: %+v", it)
	}
	if n := f.count("SELECT COUNT(*) FROM notifications WHERE kind = 'order.concentrated'") + f.count("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%order.concentrated%'"); n != 1 {
		t.Fatalf("%d notices of the item, want 1 (the one city liaison)", n)
	}
	if _, err := f.svc.SupervisionItems(ctx, f.Actor("liaison-lc"), ""); !errors.Is(err, grievance.ErrForbidden) {
		t.Fatalf("a county liaison listing items: %v", err)
	}
	if err := f.svc.HandleItem(ctx, f.Actor("liaison-lc"), it[0].ID, "已约谈"); !errors.Is(err, grievance.ErrForbidden) {
		t.Fatalf("a county liaison handling: %v", err)
	}
	if err := f.svc.HandleItem(ctx, f.Actor("liaison-city"), it[0].ID, " "); err == nil {
		t.Fatal("handled without a note")
	}
	if err := f.svc.HandleItem(ctx, f.Actor("liaison-city"), it[0].ID, "已约谈承办单位负责人"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.HandleItem(ctx, f.Actor("liaison-city"), it[0].ID, "again"); err == nil {
		t.Fatal("handled twice")
	}
	if got := items(); got[0].HandledAt == nil || got[0].Note != "已约谈承办单位负责人" {
		t.Fatalf("handled: %+v", got[0])
	}
	// A new month starts a new count.
	f.Clock.Set(time.Date(2026, 4, 1, 9, 0, 0, 0, monday.Location()))
	send()
	send()
	if n := len(items()); n != 1 {
		t.Fatalf("%d items after two orders in April, want still 1", n)
	}
}

// The rates on a known set: three orders dispatched to the market regulator on Monday, one
// signed in time, one signed late, one never; one closed solved and satisfied, one closed
// satisfied but not solved. A county liaison sees its own county, not another.
func TestRatesReportOnAKnownSet(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	var ids []uint64
	for range 3 {
		o := f.file("ent-a", illegal, "")
		f.act("liaison-lc", o.ID, grievance.Move{Action: "accept"})
		f.act("liaison-lc", o.ID, grievance.Move{Action: "dispatch", UnitID: 1})
		ids = append(ids, o.ID)
	}
	f.act("officer-scj", ids[0], grievance.Move{Action: "sign"})
	f.Clock.Set(f.stage(ids[1], "sign").DueAt.Add(time.Hour))
	f.act("officer-scj", ids[1], grievance.Move{Action: "sign"})
	for i, solved := range []string{"yes", "no"} {
		id := ids[i]
		f.act("officer-scj", id, grievance.Move{Action: "reply", Note: "已处理"})
		f.act("liaison-lc", id, grievance.Move{Action: "follow_up"})
		f.act("liaison-lc", id, grievance.Move{Action: "record_follow_up", Solved: solved, Satisfied: "yes", Note: "电话回访"})
		f.act("liaison-lc", id, grievance.Move{Action: "close"})
	}
	from, to, _ := grievance.ParseMonth("2026-03")
	r, err := f.svc.RatesReport(ctx, f.Actor("liaison-lc"), "", from, to)
	if err != nil {
		t.Fatal(err)
	}
	tot := r.Total
	if r.County != "330302" || len(r.Units) != 1 || r.Units[0].UnitID != 1 || r.Units[0].UnitZh == "" ||
		tot.Dispatched != 3 || tot.SignedInTime != 1 || tot.Orders != 3 || tot.Closed != 2 || tot.SolvedKnown != 2 || tot.Solved != 1 || tot.RatedKnown != 2 || tot.Satisfied != 2 {
		t.Fatalf("rates: %+v", r)
	}
	if fmt.Sprintf("%.3f %.3f %.3f %.3f", tot.ResponseRate, tot.CloseRate, tot.SolveRate, tot.SatisfactionRate) != "0.333 0.667 0.500 1.000" {
		t.Fatalf("rates: %.3f %.3f %.3f %.3f", tot.ResponseRate, tot.CloseRate, tot.SolveRate, tot.SatisfactionRate)
	}
	if r.Units[0].RateFigures != tot {
		t.Fatalf("one unit's figures %+v are not the total %+v", r.Units[0].RateFigures, tot)
	}
	if _, err := f.svc.RatesReport(ctx, f.Actor("liaison-lc"), "330304", from, to); !errors.Is(err, grievance.ErrForbidden) {
		t.Fatalf("a county liaison asking for another county: %v", err)
	}
	if r, err := f.svc.RatesReport(ctx, f.Actor("liaison-city"), "330304", from, to); err != nil || r.Total.Orders != 0 {
		t.Fatalf("the city asking for another county: %+v %v", r, err)
	}
	if r, err := f.svc.RatesReport(ctx, f.Actor("admin"), "", from, to); err != nil || r.Total.Orders != 3 {
		t.Fatalf("the whole city: %+v %v", r, err)
	}
	april, end, _ := grievance.ParseMonth("2026-04")
	if r, err := f.svc.RatesReport(ctx, f.Actor("admin"), "", april, end); err != nil || r.Total.Orders != 0 || r.Total.Dispatched != 0 {
		t.Fatalf("April: %+v %v", r, err)
	}
	for _, who := range []string{"ent-a", "officer-scj", "obs-chamber"} {
		if _, err := f.svc.RatesReport(ctx, f.Actor(who), "", from, to); !errors.Is(err, grievance.ErrForbidden) {
			t.Errorf("%s reading rates: %v", who, err)
		}
	}
}

// An anonymous order's documents, which its unit reads, do not name the reporter's county.
func TestAnonymousOrdersDocumentsKeepTheCounty(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	fl := illegal
	fl.Anonymous = true
	o := f.file("ent-a", fl, "")
	d := f.act("liaison-lc", f.svc.Ref(o), grievance.Move{Action: "accept"})
	f.act("liaison-lc", d.ID, grievance.Move{Action: "escalate", Reason: "受理后未派单"})
	f.act("liaison-lc", d.ID, grievance.Move{Action: "escalate", Reason: "催办后仍未派单"})
	for _, doc := range f.docs(o.ID) {
		if strings.Contains(doc.BodyZh+doc.Issuer, "鹿城") || strings.Contains(doc.BodyEn, "Lucheng") {
			t.Fatalf("an anonymous order's %s names its county: %s", doc.Kind, doc.BodyZh)
		}
	}
}

// While the order waits on the enterprise the climb does not happen, and it is not lost: after
// the answer it comes a stage's length after the last act.
func TestTheClimbWaitsOutAPause(t *testing.T) {
	t.Parallel()
	f, o := dispatched(t, monday)
	day := lifecycle.Allowance{Amount: 1, Unit: "days"}
	sign := f.stage(o.ID, "sign")
	f.Clock.Set(sign.DueAt)
	f.drain()
	f.act("liaison-lc", o.ID, grievance.Move{Action: "request_info", Note: "请补充检查通知书照片"})
	second := lifecycle.Due(f.Cal, sign.DueAt, day)
	f.Clock.Set(second)
	f.drain()
	if n := f.climbs(o.ID); n != 0 {
		t.Fatalf("climbed while paused: %d", n)
	}
	answered := second.Add(time.Hour)
	f.Clock.Set(answered)
	f.act("ent-a", o.ID, grievance.Move{Action: "supply_info", Note: "已补充"})
	f.Clock.Set(lifecycle.Due(f.Cal, answered, day).Add(-time.Minute))
	f.drain()
	if n := f.climbs(o.ID); n != 0 {
		t.Fatalf("climbed before a stage's length after the answer: %d", n)
	}
	f.Clock.Set(lifecycle.Due(f.Cal, answered, day).Add(time.Hour))
	f.drain()
	if n := f.climbs(o.ID); n != 1 {
		t.Fatalf("after the pause: %d climbs, want 1", n)
	}
}
