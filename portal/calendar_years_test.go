package portal_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"qijian/internal/calendar"
)

// A deadline that falls in a year without holiday data is warned about loudly: on the admin
// home, in /readyz's detail and on the calendar page, which lists the years loaded, shows a
// year as a calendar, and imports a year's holidays and 调休 (a bad line saves nothing).
func TestYearWithoutDataIsWarnedAndImported(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	adm := e.browser()
	adm.login("admin", demoPassword)
	if r := adm.do("GET", "/", nil); strings.Contains(r.Body, `data-testid="calendar-gaps"`) {
		t.Fatal("a warning before any deadline fell in a year without data")
	}
	cal := e.srv.Services().Calendar
	cal.EndOfWorkingDays(time.Date(2027, 12, 30, 10, 0, 0, 0, calendar.Location()), 2) // a deadline in 2028
	if r := adm.do("GET", "/", nil); !strings.Contains(r.Body, `data-testid="calendar-gaps"`) || !strings.Contains(r.Body, `/admin/calendar?year=2028`) {
		t.Fatal("the admin home does not warn of 2028")
	}
	if code, out := e.api("GET", "/readyz", "", nil); code != 200 || fmt.Sprint(out["checks"].(map[string]any)["calendar_years_without_data"]) != "[2028]" {
		t.Fatalf("readyz: %d %v", code, out)
	}
	r := adm.do("GET", "/admin/calendar?year=2028", nil)
	for _, want := range []string{"国务院办公厅节假日安排（内置）", "无数据", "本年度没有节假日数据", `data-testid="year-grid"`, `title="2028-01-03"`, "起~止"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("calendar page lacks %q", want)
		}
	}
	if r := adm.post("/admin/calendar/import", "/admin/calendar", url.Values{"year": {"2028"}, "text": {"2028-01-01~2028-01-03,休,元旦\n2029-01-01,休,元旦"}}); r.Status != 422 || !strings.Contains(r.Body, "2029-01-01") || cal.Loaded(2028) {
		t.Fatalf("bad import: %d", r.Status)
	}
	if r := adm.post("/admin/calendar/import", "/admin/calendar", url.Values{"year": {"2028"}, "source": {"国办发明电〔2027〕7号"}, "text": {"2028-01-01~2028-01-03,休,元旦"}}); r.Status != 303 {
		t.Fatalf("import: %d", r.Status)
	}
	if !cal.Loaded(2028) || cal.IsWorkingDate(calendar.NewDate(2028, 1, 3)) {
		t.Fatal("the import did not apply at once")
	}
	if r := adm.do("GET", "/admin/calendar?year=2028", nil); !strings.Contains(r.Body, "管理员录入或导入") || strings.Contains(r.Body, "本年度没有节假日数据") {
		t.Fatal("2028 is not shown as entered")
	}
	if r := adm.do("GET", "/", nil); strings.Contains(r.Body, `data-testid="calendar-gaps"`) {
		t.Fatal("the warning stays after the import")
	}
}
