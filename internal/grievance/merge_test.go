package grievance_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"qijian/internal/account"
	"qijian/internal/calendar"
	"qijian/internal/grievance"
	"qijian/internal/grievance/lifecycle"
)

// told lists the titles of the notices of kind sent to user (inbox rows and those owed to the
// worker alike).
func (f *fx) told(user uint, kind string) []string {
	f.t.Helper()
	var out []string
	f.St.Gorm().Raw("SELECT title FROM notifications WHERE user_id = ? AND kind = ?", user, kind).Scan(&out)
	var payloads []string
	f.St.Gorm().Raw("SELECT payload FROM outbox WHERE payload LIKE ?", `%"kind":"`+kind+`"%`).Scan(&payloads)
	for _, p := range payloads {
		if strings.Contains(p, `"user_id":`+strconv.FormatUint(uint64(user), 10)+`,`) {
			out = append(out, p)
		}
	}
	return out
}

// memberFiler is the enterprise login whose enterprise the observation point may file for.
func (f *fx) memberFiler() string {
	member := f.Actor("obs-chamber").Members[0]
	for _, u := range []string{"ent-a", "ent-b"} {
		if f.Actor(u).EnterpriseID == member {
			return u
		}
	}
	f.t.Fatal("no demo login of the observation point's member")
	return ""
}

// Two reports of one enterprise, one by itself and one by its observation point: the liaison sees
// the other suggested, merges the second into the first; the duplicate closes as merged with its
// clocks stopped, its page names the main order, and each filer is told of its own order only.
func TestMergeClosesTheDuplicateAndTellsEachFiler(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	ent := f.memberFiler()
	obs := f.Actor("obs-chamber")
	main := f.file(ent, illegal, "")
	dup, err := f.svc.File(ctx, obs, grievance.Filing{Type: "conduct", Description: "同一次检查中检查人员干扰生产", EnterpriseID: obs.Members[0], Consent: true}, "")
	if err != nil {
		t.Fatal(err)
	}
	f.act("liaison-lc", main.ID, grievance.Move{Action: "accept"})
	f.act("liaison-lc", main.ID, grievance.Move{Action: "dispatch", UnitID: 1})
	d, err := f.svc.Detail(ctx, f.Actor("liaison-lc"), dup.ID)
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(d.Duplicates, func(x grievance.Duplicate) bool { return x.ID == main.ID }); i < 0 || !d.Duplicates[i].SameEnterprise || d.MergeWindowDays != 30 {
		t.Fatalf("the liaison's suggestions %+v (window %d), want the main order by its enterprise", d.Duplicates, d.MergeWindowDays)
	}
	if d, _ := f.svc.Detail(ctx, f.Actor(ent), main.ID); len(d.Duplicates) != 0 {
		t.Fatalf("the enterprise is shown duplicates: %+v", d.Duplicates)
	}
	if _, err := f.svc.Act(ctx, f.Actor("liaison-lc"), dup.ID, grievance.Move{Action: "merge", MainID: dup.ID}); err == nil {
		t.Fatal("merged into itself")
	}
	got := f.act("liaison-lc", dup.ID, grievance.Move{Action: "merge", MainID: main.ID, Reason: "同一检查"})
	if got.Status != lifecycle.Merged || got.MergedInto == nil || got.MergedInto.Number != main.Number {
		t.Fatalf("merged: status %s, main %+v", got.Status, got.MergedInto)
	}
	if o := f.order(dup.ID); o.MergedIntoID == nil || *o.MergedIntoID != main.ID || o.NextDueAt != nil {
		t.Fatalf("the duplicate's row: %+v", o)
	}
	if open, _ := f.St.OpenDeadlines(ctx, dup.ID); len(open) != 0 {
		t.Fatalf("the duplicate's clocks still run: %+v", open)
	}
	if d, err := f.svc.Detail(ctx, obs, dup.ID); err != nil || d.MergedInto == nil || d.MergedInto.Visible || d.MergedInto.Number != main.Number {
		t.Fatalf("the observation point sees its merged order as %+v %v, want the main order's number, not a link to it", d, err)
	}
	if d, _ := f.svc.Detail(ctx, f.Actor("liaison-lc"), main.ID); d.MergedCount != 1 || len(d.Merged) != 1 || d.Merged[0].ID != dup.ID || !d.Merged[0].Visible {
		t.Fatalf("the main order lists %+v", d.Merged)
	}
	if d, _ := f.svc.Detail(ctx, f.Actor(ent), main.ID); d.MergedCount != 1 || len(d.Merged) != 0 {
		t.Fatalf("the main order's filer sees merged %+v (count %d), want the count only", d.Merged, d.MergedCount)
	}
	// Each filer is told, and never who filed the other.
	obsUser, entUser := f.User("obs-chamber"), f.User(ent)
	dupTold, mainTold := f.told(obsUser.ID, "order.merge"), f.told(entUser.ID, "order.merged_in")
	if len(dupTold) != 1 || len(mainTold) != 1 {
		t.Fatalf("told the duplicate's filer %v, the main's %v; want once each", dupTold, mainTold)
	}
	for _, who := range []string{obsUser.DisplayName, obsUser.OrgName, obsUser.Username, dup.Number} {
		if who != "" && strings.Contains(mainTold[0], who) {
			t.Fatalf("the main order's filer learns %q of the other: %s", who, mainTold[0])
		}
	}
	if entUser.DisplayName != "" && strings.Contains(dupTold[0], entUser.DisplayName) {
		t.Fatalf("the duplicate's filer learns the other filer: %s", dupTold[0])
	}
	// The main order's answer reaches the merged order's filer too, as news of its own order.
	f.act("officer-scj", main.ID, grievance.Move{Action: "reply", Note: "已依法处理"})
	if told := f.told(obsUser.ID, "order.main_reply"); len(told) != 1 || strings.Contains(told[0], "已依法处理") {
		t.Fatalf("the merged order's filer told of the main's reply: %v", told)
	}
	// A main order is not merged away; a merged order takes no other move but split.
	other := f.file(ent, illegal, "")
	if _, err := f.svc.Act(ctx, f.Actor("liaison-lc"), main.ID, grievance.Move{Action: "merge", MainID: other.ID}); !errors.Is(err, lifecycle.ErrNotAllowed) {
		t.Fatalf("merging a main order away: %v", err)
	}
	if _, err := f.svc.Act(ctx, f.Actor("liaison-lc"), other.ID, grievance.Move{Action: "merge", MainID: dup.ID}); err == nil {
		t.Fatal("merged into a merged order")
	}
	// Its stopped clocks never fire.
	f.Clock.Advance(60 * 24 * time.Hour)
	f.runDueTimers()
	if o := f.order(dup.ID); o.Level != 0 || o.Status != "merged" {
		t.Fatalf("a merged order escalated: %+v", o)
	}
}

// A split takes the duplicate out again: back to the liaison to dispatch, its limits from the
// split, in a new round; both filers are told.
func TestSplitReopensWithDeadlinesFromNow(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	main, dup := f.file("ent-a", illegal, ""), f.file("ent-a", illegal, "")
	before := f.stage(dup.ID, "resolve")
	f.act("liaison-lc", dup.ID, grievance.Move{Action: "merge", MainID: main.ID})
	f.Clock.Advance(3 * 24 * time.Hour)
	now := f.Clock.Now()
	if _, err := f.svc.Act(ctx, f.Actor("liaison-lc"), dup.ID, grievance.Move{Action: "split"}); err == nil {
		t.Fatal("split without a reason")
	}
	got := f.act("liaison-lc", dup.ID, grievance.Move{Action: "split", Reason: "不是同一事项"})
	if got.Status != lifecycle.Accepted || got.MergedInto != nil {
		t.Fatalf("split: %s %+v", got.Status, got.MergedInto)
	}
	open, _ := f.St.OpenDeadlines(ctx, dup.ID)
	var stages []string
	for _, d := range open {
		stages = append(stages, d.Stage)
		if !d.StartedAt.Equal(now) || d.Round <= before.Round {
			t.Fatalf("deadline %s from %v round %d, want from the split %v in a round after %d", d.Stage, d.StartedAt, d.Round, now, before.Round)
		}
	}
	slices.Sort(stages)
	if !slices.Equal(stages, []string{"dispatch", "resolve"}) || f.order(dup.ID).NextDueAt == nil {
		t.Fatalf("open after the split: %v", stages)
	}
	if d, _ := f.svc.Detail(ctx, f.Actor("liaison-lc"), main.ID); d.MergedCount != 0 {
		t.Fatalf("the main order still counts %d merged", d.MergedCount)
	}
	if n := len(f.told(f.User("ent-a").ID, "order.split")); n != 2 {
		t.Fatalf("%d split notices, want one per order", n)
	}
}

// The window is data: an order filed exactly the window's days after another is suggested, a
// minute later it is not, and a shorter window in merge_settings narrows it.
func TestDuplicateWindowEdge(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	li := f.Actor("liaison-lc")
	first := f.file("ent-a", illegal, "")
	f.Clock.Advance(30 * 24 * time.Hour)
	edge := f.file("ent-a", illegal, "")
	f.Clock.Advance(time.Minute)
	late := f.file("ent-a", illegal, "")
	suggests := func(id, other uint64) bool {
		d, err := f.svc.Detail(ctx, li, id)
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(d.Duplicates, func(x grievance.Duplicate) bool { return x.ID == other })
	}
	if !suggests(edge.ID, first.ID) || !suggests(first.ID, edge.ID) {
		t.Fatal("an order filed on the window's last minute is not suggested")
	}
	if suggests(late.ID, first.ID) || suggests(first.ID, late.ID) {
		t.Fatal("an order filed past the window is suggested")
	}
	if !suggests(late.ID, edge.ID) {
		t.Fatal("orders a minute apart are not suggested")
	}
	f.St.Gorm().Exec("UPDATE merge_settings SET window_days = 10 WHERE id = 1")
	if suggests(edge.ID, first.ID) {
		t.Fatal("a 10-day window still suggests an order 30 days older")
	}
}

// Orders of different enterprises naming the same inspection code (whatever its case and spaces)
// are suggested; an anonymous one never is, its match would tell what its redaction keeps.
func TestSameInspectionCodeMatches(t *testing.T) {
	t.Parallel()
	f := newFx(t)
	ctx := context.Background()
	code := grievance.Filing{Type: "missing_code", Description: "检查人员出示的行为码无法核验", InspectionCode: "QJX-404-0001", CodeForged: true}
	a := f.file("ent-a", code, "")
	code.InspectionCode = " qjx-404-0001 "
	b := f.file("ent-b", code, "")
	code.Anonymous = true
	anon := f.file("ent-b", code, "")
	plain := f.file("ent-b", grievance.Filing{Type: "conduct", Description: "另一件与检查无关的事"}, "")
	d, err := f.svc.Detail(ctx, f.Actor("liaison-city"), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(d.Duplicates, func(x grievance.Duplicate) bool { return x.Number == b.Number })
	if i < 0 || !d.Duplicates[i].SameInspection || d.Duplicates[i].SameEnterprise {
		t.Fatalf("suggestions %+v, want the other enterprise's order by its inspection", d.Duplicates)
	}
	for _, x := range d.Duplicates {
		if x.Number == anon.Number || x.Number == plain.Number {
			t.Fatalf("suggested %s", x.Number)
		}
	}
}

// officerOf makes an officer login of body.
func (f *fx) officerOf(name string, body uint) account.Actor {
	f.t.Helper()
	b := body
	if err := f.St.CreateUser(context.Background(), &account.User{Username: name, Role: account.RoleOfficer, DisplayName: name, BodyID: &b}); err != nil {
		f.t.Fatal(err)
	}
	return f.Actor(name)
}

// A co-handling unit's officer sees the order in its list and on its page, may post its part and
// nothing else; the lead's reply waits for the part; the enterprise never sees the part; a removed
// co-handler loses sight of the order.
func TestCohandlerScopeAndReplyGating(t *testing.T) {
	t.Parallel()
	f, o := dispatched(t, monday)
	ctx := context.Background()
	co, gone := f.officerOf("officer-sthj", 2), f.officerOf("officer-yjj", 3)
	if _, err := f.svc.Detail(ctx, co, o.ID); !errors.Is(err, grievance.ErrNotFound) {
		t.Fatalf("another unit sees the order before co-handling it: %v", err)
	}
	if _, err := f.svc.Act(ctx, f.Actor("liaison-lc"), o.ID, grievance.Move{Action: "add_cohandler", UnitID: 1}); err == nil {
		t.Fatal("the lead added as its co-handler")
	}
	f.act("liaison-lc", o.ID, grievance.Move{Action: "add_cohandler", UnitID: 2})
	f.act("liaison-lc", o.ID, grievance.Move{Action: "add_cohandler", UnitID: 3})
	f.act("liaison-lc", o.ID, grievance.Move{Action: "remove_cohandler", UnitID: 3})
	if _, err := f.svc.Detail(ctx, gone, o.ID); !errors.Is(err, grievance.ErrNotFound) {
		t.Fatalf("a removed co-handler still sees the order: %v", err)
	}
	d, err := f.svc.Detail(ctx, co, o.ID)
	if err != nil || !slices.Equal(d.Allowed, []lifecycle.Action{lifecycle.CohandlerReply}) || len(d.CoHandlers) != 1 || d.CoHandlers[0].UnitID != 2 || d.CoHandlers[0].DueAt == nil {
		t.Fatalf("the co-handler's view: %+v %v", d, err)
	}
	list, err := f.svc.List(ctx, co, grievance.Query{})
	if err != nil || !slices.ContainsFunc(list, func(v grievance.OrderView) bool { return v.ID == o.ID }) {
		t.Fatalf("the co-handler's list lacks the order: %v", err)
	}
	if list, _ := f.svc.List(ctx, gone, grievance.Query{}); len(list) != 0 {
		t.Fatalf("a removed co-handler lists %d orders", len(list))
	}
	for _, a := range []string{"message", "reply", "start", "request_info", "return"} {
		if _, err := f.svc.Act(ctx, co, o.ID, grievance.Move{Action: a, Note: "x", Reason: "x", ReturnCode: "other"}); err == nil {
			t.Fatalf("the co-handler could %s", a)
		}
	}
	lead := f.Actor("officer-scj")
	f.act("officer-scj", o.ID, grievance.Move{Action: "sign"})
	if _, err := f.svc.Act(ctx, lead, o.ID, grievance.Move{Action: "reply", Note: "答复"}); !errors.Is(err, lifecycle.ErrNotAllowed) {
		t.Fatalf("the lead replied before the co-handler's part: %v", err)
	}
	if d, _ := f.svc.Detail(ctx, lead, o.ID); !d.CoPending || slices.Contains(d.Allowed, lifecycle.Reply) {
		t.Fatalf("the lead's page: pending %v, allowed %v", d.CoPending, d.Allowed)
	}
	if _, err := f.svc.Act(ctx, lead, o.ID, grievance.Move{Action: "cohandler_reply", Note: "x"}); err == nil {
		t.Fatal("the lead posted a co-handler's part")
	}
	f.act("officer-sthj", o.ID, grievance.Move{Action: "cohandler_reply", Note: "协办意见：已核实排污许可情况"})
	if dl := f.stage(o.ID, "cohandle:2"); dl.MetAt == nil {
		t.Fatalf("the part's deadline is not met: %+v", dl)
	}
	if d, _ := f.svc.Detail(ctx, lead, o.ID); len(d.CoHandlers) != 1 || d.CoHandlers[0].Part != "协办意见：已核实排污许可情况" || d.CoPending {
		t.Fatalf("the lead sees parts %+v", d.CoHandlers)
	}
	if n := len(f.told(f.User("officer-scj").ID, "order.unit")); n == 0 {
		t.Fatal("the lead unit was not told of the part")
	}
	f.act("officer-scj", o.ID, grievance.Move{Action: "reply", Note: "已依法处理"})
	d, err = f.svc.Detail(ctx, f.Actor("ent-a"), o.ID)
	if err != nil || len(d.CoHandlers) != 0 {
		t.Fatalf("the enterprise sees co-handlers %+v %v", d.CoHandlers, err)
	}
	for _, e := range d.Timeline {
		if strings.Contains(e.Note, "排污许可") {
			t.Fatalf("the enterprise reads the co-handler's part on the timeline: %+v", e)
		}
	}
}

// A co-handler's part runs on its own limit (two working days on 12348) across the national
// holiday, reminds its unit at 75% and escalates the order at 100% through the deadline timers,
// never early; then the lead's reply is no longer held back. Started the Friday before an adjusted
// working Saturday, that Saturday counts.
func TestCohandlerDeadlineRemindsAndEscalates(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 9, 30, 10, 0, 0, 0, calendar.Location())
	f, o := dispatched(t, start)
	ctx := context.Background()
	if o.Channel != "12348" {
		t.Fatalf("the order runs on %s, the test expects 12348", o.Channel)
	}
	f.officerOf("officer-sthj", 2)
	f.act("officer-scj", o.ID, grievance.Move{Action: "sign"})
	f.act("liaison-lc", o.ID, grievance.Move{Action: "add_cohandler", UnitID: 2})
	dl := f.stage(o.ID, "cohandle:2")
	if want := time.Date(2026, 10, 9, 17, 30, 0, 0, calendar.Location()); !dl.DueAt.Equal(want) {
		t.Fatalf("co-handler due %v, want %v (Oct 1–7 off)", dl.DueAt, want)
	}
	f.Clock.Set(dl.RemindAt.Add(-time.Minute))
	f.runDueTimers()
	if d := f.stage(o.ID, "cohandle:2"); d.RemindedAt != nil {
		t.Fatal("reminded early")
	}
	f.Clock.Set(dl.RemindAt)
	f.runDueTimers()
	if d := f.stage(o.ID, "cohandle:2"); d.RemindedAt == nil {
		t.Fatal("not reminded at 75%")
	}
	if told := f.told(f.User("officer-sthj").ID, "order.unit"); !slices.ContainsFunc(told, func(s string) bool { return strings.Contains(s, "协办时限") }) {
		t.Fatalf("the co-handling unit was not reminded: %v", told)
	}
	lead := f.Actor("officer-scj")
	f.Clock.Set(dl.DueAt.Add(-time.Minute))
	f.runDueTimers()
	if d, _ := f.svc.Detail(ctx, lead, o.ID); f.order(o.ID).Level != 0 || slices.Contains(d.Allowed, lifecycle.Reply) {
		t.Fatal("escalated, or the reply was free, before the part's deadline")
	}
	f.Clock.Set(dl.DueAt)
	f.runDueTimers()
	f.Clock.Advance(time.Minute)
	f.runDueTimers()
	if got := f.order(o.ID); got.Level != 1 {
		t.Fatalf("after the missed part: level %d, want 1", got.Level)
	}
	if d := f.stage(o.ID, "cohandle:2"); d.BreachedAt == nil {
		t.Fatal("the part's deadline is not breached")
	}
	if d, _ := f.svc.Detail(ctx, lead, o.ID); !slices.Contains(d.Allowed, lifecycle.Reply) {
		t.Fatalf("the lead may not reply past the part's deadline: %v", d.Allowed)
	}
	// The adjusted working Saturday counts: added on Friday Oct 9, due Monday Oct 12.
	f.Clock.Set(time.Date(2026, 10, 9, 10, 0, 0, 0, calendar.Location()))
	f.officerOf("officer-yjj", 3)
	f.act("liaison-lc", o.ID, grievance.Move{Action: "add_cohandler", UnitID: 3})
	if d := f.stage(o.ID, "cohandle:3"); !d.DueAt.Equal(time.Date(2026, 10, 12, 17, 30, 0, 0, calendar.Location())) {
		t.Fatalf("co-handler added Friday Oct 9 due %v, want Monday Oct 12 (Saturday Oct 10 is a working day)", d.DueAt)
	}
}
