package grievance_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"qijian/internal/admin"
	"qijian/internal/calendar"
	"qijian/internal/errs"
	"qijian/internal/grievance"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/testkit"
)

// Two starts around the 2026 Spring Festival: Friday 13 Feb 16:30, the day before Saturday 14 Feb,
// an adjusted working day (春节调休), and that Saturday 16:30 itself, the last working hour before
// the holiday (15–23 Feb); Saturday 28 Feb is worked again. The due times are written by hand from
// the official calendar, not computed by the code under test.
var (
	sh          = calendar.Location()
	beforeAdj   = time.Date(2026, 2, 13, 16, 30, 0, 0, sh)
	onAdjusted  = time.Date(2026, 2, 14, 16, 30, 0, 0, sh)
	endOfDay    = func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 17, 30, 0, 0, sh) }
	handWritten = map[lifecycle.Allowance][2]time.Time{ // allowance → due from beforeAdj, from onAdjusted
		{Amount: 1, Unit: "days"}:  {endOfDay(2, 14), endOfDay(2, 24)}, // the adjusted Saturday counts
		{Amount: 2, Unit: "days"}:  {endOfDay(2, 24), endOfDay(2, 25)}, // the holiday does not
		{Amount: 3, Unit: "days"}:  {endOfDay(2, 25), endOfDay(2, 26)},
		{Amount: 4, Unit: "days"}:  {endOfDay(2, 26), endOfDay(2, 27)},
		{Amount: 5, Unit: "days"}:  {endOfDay(2, 27), endOfDay(2, 28)}, // Saturday 28 Feb is worked
		{Amount: 10, Unit: "days"}: {endOfDay(3, 5), endOfDay(3, 6)},
		{Amount: 15, Unit: "days"}: {endOfDay(3, 12), endOfDay(3, 13)},
		{Amount: 20, Unit: "days"}: {endOfDay(3, 19), endOfDay(3, 20)},
		{Amount: 2, Unit: "hours"}: {time.Date(2026, 2, 14, 9, 30, 0, 0, sh), time.Date(2026, 2, 24, 9, 30, 0, 0, sh)},
	}
)

// Every row of the default time-limits table (channel × matter type × urgent × stage), started
// before an adjusted working day and on it, across the Spring Festival: each is due when the
// official calendar says.
func TestEveryDefaultLimitAcrossAHolidayAndAnAdjustedWorkingDay(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, beforeAdj)
	rows, err := f.St.SLAPolicies(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, r := range rows {
		a := lifecycle.Allowance{Amount: r.Amount, Unit: r.Unit}
		want, ok := handWritten[a]
		if !ok {
			t.Errorf("row %s/%s/%s urgent=%v: no hand-written due time for %+v", r.Channel, r.Type, r.Stage, r.Urgent, a)
			continue
		}
		for i, start := range []time.Time{beforeAdj, onAdjusted} {
			if got := lifecycle.Due(f.App.Orders.Cal, start, a); !got.Equal(want[i]) {
				t.Errorf("row %s/%s/%s urgent=%v from %v: due %v, want %v", r.Channel, r.Type, r.Stage, r.Urgent, start, got, want[i])
			}
		}
		kinds[fmt.Sprintf("%s/%v", r.Type, r.Urgent)] = true
	}
	for _, k := range []string{"consultation/false", "help/false", "complaint/false", "report/false", "suggestion/false", "missing_code/false", "*/true", "*/false"} {
		if !kinds[k] {
			t.Errorf("no default rows for %s", k)
		}
	}
}

// An order's deadlines come from the most specific row: its type's, else its channel's fallback;
// an urgent order's urgent rows first. Filed on Friday 13 Feb 16:30, before the adjusted Saturday
// and the Spring Festival.
func TestDeadlinesFollowTheMatterTypeAndUrgency(t *testing.T) {
	t.Parallel()
	f := &fx{Fixture: testkit.NewFixture(t, beforeAdj), t: t}
	f.svc = f.App.Orders
	for _, tc := range []struct {
		name            string
		filing          grievance.Filing
		accept, resolve time.Time
	}{
		{"咨询 on 12345: 3 working days", grievance.Filing{Type: "consultation", Description: "想了解检查计划公示"}, endOfDay(2, 14), endOfDay(2, 25)},
		{"求助: 10", grievance.Filing{Type: "help", Description: "请协助了解整改要求"}, endOfDay(2, 14), endOfDay(3, 5)},
		{"投诉: 15", grievance.Filing{Type: "complaint", Description: "检查人员态度恶劣"}, endOfDay(2, 14), endOfDay(3, 12)},
		{"举报: 15, as the law gives", grievance.Filing{Type: "report", Description: "举报违规收费行为"}, endOfDay(2, 14), endOfDay(3, 12)},
		{"建议: 20", grievance.Filing{Type: "suggestion", Description: "建议合并同类检查"}, endOfDay(2, 14), endOfDay(3, 19)},
		{"诉求: the channel's fallback, 15", grievance.Filing{Type: "appeal", Description: "希望公示检查计划"}, endOfDay(2, 14), endOfDay(3, 12)},
		{"未亮码 on 12348: 5", grievance.Filing{Type: "missing_code", Description: "检查时未出示行政行为码", BodyID: 1}, handWritten[lifecycle.Allowance{Amount: 2, Unit: "hours"}][0], endOfDay(2, 27)},
		{"urgent 投诉: 2 working hours to accept, 2 days to resolve", grievance.Filing{Type: "complaint", Description: "企业被责令停产", Urgent: true}, time.Date(2026, 2, 14, 9, 30, 0, 0, sh), endOfDay(2, 24)},
		{"urgent 咨询: the urgent limit, never longer than its own", grievance.Filing{Type: "consultation", Description: "急需了解复产条件", Urgent: true}, time.Date(2026, 2, 14, 9, 30, 0, 0, sh), endOfDay(2, 24)},
	} {
		o := f.file("ent-a", tc.filing, "")
		if got := f.dueOf(o.ID, "accept"); !got.Equal(tc.accept) {
			t.Errorf("%s: accept due %v, want %v", tc.name, got, tc.accept)
		}
		if got := f.dueOf(o.ID, "resolve"); !got.Equal(tc.resolve) {
			t.Errorf("%s: resolve due %v, want %v", tc.name, got, tc.resolve)
		}
		if o.Urgent != tc.filing.Urgent {
			t.Errorf("%s: urgent %v", tc.name, o.Urgent)
		}
	}
	// An admin adds a row for 求助's resolution on 12345: the next filing uses it.
	ctx, adm := context.Background(), f.Actor("admin")
	if _, err := f.App.Admin.AddSLA(ctx, adm, admin.NewSLAInput{Channel: "12345", Type: "help", Stage: "resolve", Amount: 4, Unit: "days"}); !errors.Is(err, admin.ErrSLAExists) {
		t.Fatalf("a second 12345/help/resolve row: %v, want it refused", err)
	}
	row, err := f.App.Admin.AddSLA(ctx, adm, admin.NewSLAInput{Channel: "12345", Type: "help", Stage: "resolve", Urgent: true, Amount: 4, Unit: "days"})
	if err != nil || row.ID == 0 || !row.Urgent || row.Fallback {
		t.Fatalf("add an urgent 求助 row: %+v %v", row, err)
	}
	o := f.file("ent-a", grievance.Filing{Type: "help", Description: "企业停产急需协调", Urgent: true}, "")
	if got := f.dueOf(o.ID, "resolve"); !got.Equal(endOfDay(2, 26)) {
		t.Errorf("urgent 求助 after the admin's row: resolve due %v, want %v", got, endOfDay(2, 26))
	}
}

// A liaison marks an order urgent (with a reason): its open stages are worked out again from
// their start on the urgent rows, the old rows kept as set aside; taking the mark off goes back.
func TestMarkingAnOrderUrgentRetimesItsOpenStages(t *testing.T) {
	t.Parallel()
	f := &fx{Fixture: testkit.NewFixture(t, beforeAdj), t: t}
	f.svc = f.App.Orders
	ctx := context.Background()
	o := f.file("ent-a", grievance.Filing{Type: "complaint", Description: "检查人员态度恶劣"}, "")
	if _, err := f.svc.Act(ctx, f.Actor("liaison-lc"), o.ID, grievance.Move{Action: "mark_urgent"}); !errors.Is(err, lifecycle.ErrInput) {
		t.Fatalf("marking urgent without a reason: %v", err)
	}
	if _, err := f.svc.Act(ctx, f.Actor("ent-a"), o.ID, grievance.Move{Action: "mark_urgent", Reason: "急"}); !errors.Is(err, lifecycle.ErrNotAllowed) {
		t.Fatalf("the enterprise marking urgent: %v", err)
	}
	f.Clock.Advance(30 * time.Minute)
	d := f.act("liaison-lc", o.ID, grievance.Move{Action: "mark_urgent", Reason: "企业已停产"})
	if !d.Urgent {
		t.Fatal("not marked")
	}
	if got := f.stage(o.ID, "accept").DueAt; !got.In(sh).Equal(time.Date(2026, 2, 14, 9, 30, 0, 0, sh)) {
		t.Errorf("urgent accept due %v, want 2 working hours from filing", got)
	}
	if got := f.stage(o.ID, "resolve").DueAt; !got.In(sh).Equal(endOfDay(2, 24)) {
		t.Errorf("urgent resolve due %v", got)
	}
	if n := f.count("SELECT COUNT(*) FROM order_deadlines WHERE order_id = ? AND superseded_at IS NOT NULL", o.ID); n != 2 {
		t.Errorf("%d rows set aside, want the 2 ordinary ones", n)
	}
	f.act("liaison-lc", o.ID, grievance.Move{Action: "clear_urgent", Reason: "已复产"})
	if got := f.stage(o.ID, "resolve").DueAt; !got.In(sh).Equal(endOfDay(3, 12)) {
		t.Errorf("resolve due %v after the mark came off, want the 15 working days again", got)
	}
	if _, err := f.svc.Act(ctx, f.Actor("liaison-lc"), o.ID, grievance.Move{Action: "clear_urgent", Reason: "x"}); !errors.Is(err, lifecycle.ErrNotAllowed) {
		t.Fatalf("clearing a mark not set: %v", err)
	}
}

// Adding a row is checked field by field: the error names each bad field.
func TestAddingALimitNamesTheBadField(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, time.Time{})
	ctx, adm := context.Background(), f.Actor("admin")
	for _, tc := range []struct {
		in    admin.NewSLAInput
		field string
	}{
		{admin.NewSLAInput{Channel: "12349", Type: "*", Stage: "accept", Amount: 1, Unit: "days"}, "channel"},
		{admin.NewSLAInput{Channel: "12345", Type: "gossip", Stage: "accept", Amount: 1, Unit: "days"}, "type"},
		{admin.NewSLAInput{Channel: "12345", Type: "*", Stage: "lunch", Amount: 1, Unit: "days"}, "stage"},
		{admin.NewSLAInput{Channel: "12345", Type: "*", Stage: "accept", Amount: 0, Unit: "days"}, "amount"},
		{admin.NewSLAInput{Channel: "12345", Type: "*", Stage: "accept", Amount: 1, Unit: "weeks"}, "unit"},
	} {
		_, err := f.App.Admin.AddSLA(ctx, adm, tc.in)
		var e *errs.Error
		if !errors.As(err, &e) || e.Kind != errs.Invalid || e.Fields[tc.field] == "" {
			t.Errorf("%+v: %v, want the field %s named", tc.in, err, tc.field)
		}
	}
	if _, err := f.App.Admin.AddSLA(ctx, f.Actor("liaison-city"), admin.NewSLAInput{Channel: "12345", Type: "help", Stage: "accept", Amount: 1, Unit: "days"}); err == nil {
		t.Error("a liaison added a limit")
	}
	w, err := f.App.Admin.Workflow(ctx, adm, "zh")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range w.SLA {
		if r.Fallback {
			if err := f.App.Admin.DeleteSLA(ctx, adm, r.ID); !errors.Is(err, admin.ErrSLAFallback) {
				t.Errorf("removing the fallback row %+v: %v", r, err)
			}
			break
		}
	}
}
