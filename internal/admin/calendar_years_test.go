package admin_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"qijian/internal/admin"
	"qijian/internal/calendar"
	"qijian/internal/errs"
	"qijian/internal/testkit"
)

// A year without data: the page lists it as such, the warning names it once a deadline falls in
// it, an import with a bad line saves nothing, a good one makes the year loaded at once.
func TestImportAYearOfHolidays(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, time.Date(2027, 11, 20, 10, 0, 0, 0, calendar.Location()))
	ctx, adm := context.Background(), f.Actor("admin")
	years, err := f.App.Admin.Years(ctx, adm)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int]calendar.YearSource{}
	for _, y := range years {
		got[y.Year] = y.Source
	}
	if got[2027] != calendar.SourceLibrary || got[2028] != calendar.SourceNone {
		t.Fatalf("years: %+v", years)
	}
	if w := admin.CalendarWarnings(f.Cal, f.Clock.Now()); len(w) != 0 {
		t.Fatalf("no deadline in 2028 yet: %v", w)
	}
	f.Cal.EndOfWorkingDays(time.Date(2027, 12, 30, 10, 0, 0, 0, calendar.Location()), 2)
	if w := admin.CalendarWarnings(f.Cal, f.Clock.Now()); len(w) != 1 || w[0] != 2028 {
		t.Fatalf("a deadline in 2028: warnings %v", w)
	}
	bad := admin.YearImport{Year: 2028, Text: "2028-01-01~2028-01-03,休,元旦\n2027-12-31,休,跨年\n2028-02-05 放假"}
	lines, err := f.App.Admin.ImportYear(ctx, adm, bad)
	if errs.FieldsOf(err)["text"] == "" || len(lines) != 2 || lines[0].Line != 2 || lines[1].Line != 3 {
		t.Fatalf("bad lines: %+v %v", lines, err)
	}
	if f.Cal.Loaded(2028) {
		t.Fatal("a refused import marked the year")
	}
	good := admin.YearImport{Year: 2028, Source: "国办发明电〔2027〕7号", Text: "# 2028\n2028-01-01~2028-01-03,休,元旦\n2028-01-22\t班\t春节调休\n2028-01-26~2028-02-01 休 春节\n"}
	if _, err := f.App.Admin.ImportYear(ctx, adm, good); err != nil {
		t.Fatal(err)
	}
	if f.Cal.Source(2028) != calendar.SourceEntered || len(admin.CalendarWarnings(f.Cal, f.Clock.Now())) != 0 {
		t.Fatalf("after import: %q %v", f.Cal.Source(2028), admin.CalendarWarnings(f.Cal, f.Clock.Now()))
	}
	if f.Cal.IsWorkingDate(calendar.NewDate(2028, 1, 3)) || !f.Cal.IsWorkingDate(calendar.NewDate(2028, 1, 22)) || f.Cal.IsWorkingDate(calendar.NewDate(2028, 1, 27)) {
		t.Fatal("the imported days do not decide")
	}
	y, err := f.App.Admin.Year(ctx, adm, 2028)
	if err != nil || len(y.Months) != 12 || y.Status.Source != calendar.SourceEntered || y.Status.Overrides != 11 {
		t.Fatalf("year page: %v %+v", err, y.Status)
	}
	// January 2028 starts on a Saturday: the first week has five blanks, then 1 and 2.
	w := y.Months[0].Weeks[0]
	if w[4].Day != 0 || w[5].Day != 1 || w[5].Working || w[5].Name != "元旦" {
		t.Fatalf("first week of 2028: %+v", w)
	}
	wantAudit(t, f, adm.UserID, "calendar.year", "calendar", 2028, `{"year":2028,"days":11,"source":"国办发明电〔2027〕7号"}`)
	if _, err := f.App.Admin.ImportYear(ctx, f.Actor("liaison-lc"), good); !errors.Is(err, errs.Forbidden) {
		t.Fatalf("a liaison imports: %v", err)
	}
}
