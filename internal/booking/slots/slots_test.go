package slots_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"qijian/internal/booking/slots"
	"qijian/internal/calendar"
)

var loc = calendar.Location()

func weekdayRules() []slots.Rule {
	var r []slots.Rule
	for wd := time.Monday; wd <= time.Friday; wd++ {
		r = append(r, slots.Rule{Weekday: wd, Start: "09:00", Minutes: 90, Capacity: 2}, slots.Rule{Weekday: wd, Start: "14:00", Minutes: 90, Capacity: 1})
	}
	return r
}

func days(occ []slots.Occurrence) map[string]int {
	out := map[string]int{}
	for _, o := range occ {
		out[o.Start.In(loc).Format("2006-01-02")]++
	}
	return out
}

// National Day 2026: Oct 1–7 off (Thu–Wed), Sat Oct 10 is an adjusted working day (调休).
func TestExpandFollowsTheOfficialCalendar(t *testing.T) {
	t.Parallel()
	cal := calendar.New()
	occ := slots.Expand(weekdayRules(), nil, cal, calendar.NewDate(2026, 9, 28), calendar.NewDate(2026, 10, 11))
	got := days(occ)
	for _, d := range []string{"2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07", "2026-10-03", "2026-10-11"} {
		if got[d] != 0 {
			t.Errorf("%s is a holiday or weekend, yet has %d slots", d, got[d])
		}
	}
	for _, d := range []string{"2026-09-28", "2026-09-30", "2026-10-08", "2026-10-09"} {
		if got[d] != 2 {
			t.Errorf("%s is a working day, want 2 slots, got %d", d, got[d])
		}
	}
	if !cal.IsWorkingDate(calendar.NewDate(2026, 10, 10)) {
		t.Skip("calendar library has no 调休 for 2026-10-10") // guarded by the calendar package's own tests
	}
	if got["2026-10-10"] != 2 {
		t.Errorf("adjusted working Saturday 2026-10-10 should open with the Monday schedule, got %d", got["2026-10-10"])
	}
}

func TestExpandSpringFestival2026(t *testing.T) {
	t.Parallel()
	occ := slots.Expand(weekdayRules(), nil, calendar.New(), calendar.NewDate(2026, 2, 16), calendar.NewDate(2026, 2, 20))
	if len(occ) != 0 {
		t.Fatalf("Spring Festival week 2026 (Feb 16–20 off) opened %d slots", len(occ))
	}
}

func TestExpandExceptionsAndTimes(t *testing.T) {
	t.Parallel()
	mon := calendar.NewDate(2026, 3, 2)
	exc := []slots.Exception{{Day: mon, Closed: true}, {Day: mon.AddDays(1), Capacity: 5}}
	occ := slots.Expand(weekdayRules(), exc, calendar.New(), mon, mon.AddDays(1))
	if len(occ) != 2 {
		t.Fatalf("closed Monday, open Tuesday: want 2 slots, got %d", len(occ))
	}
	first := occ[0]
	if want := time.Date(2026, 3, 3, 9, 0, 0, 0, loc); !first.Start.Equal(want) || first.End.Sub(first.Start) != 90*time.Minute || first.Capacity != 5 {
		t.Fatalf("slot %+v", first)
	}
}

func TestBookableNamesEachReason(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, loc)
	for _, tc := range []struct {
		start          time.Time
		closed         bool
		booked, capcty int
		want           error
	}{
		{now.Add(time.Hour), false, 0, 1, nil},
		{now.Add(time.Hour), false, 1, 1, slots.ErrFull},
		{now.Add(time.Hour), true, 0, 1, slots.ErrClosed},
		{now, false, 0, 1, slots.ErrPast},
		{now.Add(-time.Hour), true, 1, 1, slots.ErrPast},
	} {
		if err := slots.Bookable(now, tc.start, tc.closed, tc.booked, tc.capcty); !errors.Is(err, tc.want) {
			t.Errorf("%+v: %v, want %v", tc, err, tc.want)
		}
	}
}

func TestRescheduleUntil24HoursBefore(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 5, 9, 0, 0, 0, loc)
	if err := slots.CanReschedule(start.Add(-24*time.Hour), start); err != nil {
		t.Errorf("exactly 24 h before: %v", err)
	}
	if err := slots.CanReschedule(start.Add(-24*time.Hour+time.Second), start); !errors.Is(err, slots.ErrTooLate) {
		t.Errorf("23:59:59 before: %v", err)
	}
	if err := slots.CanCancel(start.Add(-time.Minute), start); err != nil {
		t.Errorf("cancel a minute before: %v", err)
	}
	if err := slots.CanCancel(start, start); !errors.Is(err, slots.ErrPast) {
		t.Errorf("cancel at the start: %v", err)
	}
}

func TestLifecycleTable(t *testing.T) {
	t.Parallel()
	all := []slots.Status{slots.Booked, slots.Confirmed, slots.InProgress, slots.Completed, slots.Cancelled, slots.NoShow}
	want := map[string]slots.Status{
		"booked confirm provider":         slots.Confirmed,
		"booked start provider":           slots.InProgress,
		"confirmed start provider":        slots.InProgress,
		"in_progress complete provider":   slots.Completed,
		"booked no_show provider":         slots.NoShow,
		"confirmed no_show provider":      slots.NoShow,
		"booked cancel provider":          slots.Cancelled,
		"confirmed cancel provider":       slots.Cancelled,
		"booked cancel enterprise":        slots.Cancelled,
		"confirmed cancel enterprise":     slots.Cancelled,
		"booked reschedule enterprise":    slots.Booked,
		"confirmed reschedule enterprise": slots.Booked,
	}
	for _, from := range all {
		for _, a := range []slots.Action{slots.Confirm, slots.Start, slots.Complete, slots.MarkNoShow, slots.Cancel, slots.Reschedule, "bogus"} {
			for _, by := range []slots.Side{slots.Enterprise, slots.Provider, "other"} {
				key := string(from) + " " + string(a) + " " + string(by)
				got, err := slots.Next(from, a, by)
				if w, ok := want[key]; ok {
					if err != nil || got != w {
						t.Errorf("%s: %q %v, want %q", key, got, err, w)
					}
				} else if err == nil {
					t.Errorf("%s: allowed (→ %q), should not be", key, got)
				}
			}
		}
	}
	if a := slots.Allowed(slots.Completed, slots.Provider); len(a) != 0 {
		t.Errorf("a completed booking has actions %v", a)
	}
}

func TestICSRoundTrips(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 3, 5, 9, 0, 0, 0, loc)
	out := slots.ICS("企检预约", []slots.Event{{UID: "booking-7@qijian", Start: start, End: start.Add(90 * time.Minute), Summary: "合规体检, 温州市企检服务中心",
		Location: "鹿城区; 车站大道 1 号", Description: "请准备：营业执照\n近一年检查记录", Stamp: start.Add(-48 * time.Hour)}})
	if !strings.Contains(out, "BEGIN:VCALENDAR") || !strings.Contains(out, "DTSTART:20260305T010000Z") {
		t.Fatalf("ics:\n%s", out)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	ev := cal.Events()
	if len(ev) != 1 || ev[0].Id() != "booking-7@qijian" {
		t.Fatalf("events %v", ev)
	}
	if s := ev[0].GetProperty(ics.ComponentPropertySummary).Value; s != "合规体检, 温州市企检服务中心" && !strings.Contains(s, "合规体检") {
		t.Fatalf("summary %q", s)
	}
	if st, _ := ev[0].GetStartAt(); !st.Equal(start) {
		t.Fatalf("start %v", st)
	}
}
