package lifecycle

import (
	"testing"
	"time"

	"qijian/internal/calendar"
)

func TestRoutingMostSpecificWins(t *testing.T) {
	t.Parallel()
	rules := []Rule{
		{Type: TypeAppeal, Chan: Channel12345},
		{Type: TypeAppeal, County: "330381", Chan: Channel12348, Unit: 9},
		{BodyID: 5, Chan: Channel12348, Unit: 6},
	}
	cases := []struct {
		name   string
		t      Type
		county string
		body   uint
		want   Route
	}{
		{"type rule", TypeAppeal, "330302", 0, Route{Channel12345, 0}},
		{"type and county beat type", TypeAppeal, "330381", 0, Route{Channel12348, 9}},
		{"body rule sends to its unit", TypeConsultation, "330302", 5, Route{Channel12348, 6}},
		{"tie: earlier rule wins", TypeAppeal, "330302", 5, Route{Channel12345, 5}},
		{"no rule: default 12348 with the reported body", TypeIllegalInspection, "330302", 2, Route{Channel12348, 2}},
		{"no rule: default 12345", TypeConsultation, "330302", 0, Route{Channel12345, 0}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Decide(rules, tc.t, tc.county, tc.body); got != tc.want {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestDeadlinesCountWorkingTimeAcrossNationalDay(t *testing.T) {
	t.Parallel()
	cal := calendar.New()
	sh := calendar.Location()
	// Filed on Wednesday 2026-09-30 at 16:00, before the National Day holiday (Oct 1–7 off).
	start := time.Date(2026, 9, 30, 16, 0, 0, 0, sh)
	accept := Due(cal, start, Allowance{2, "hours"})
	// 1.5 working hours remain on Sep 30; the next working day is Oct 8, opening 08:30.
	if want := time.Date(2026, 10, 8, 9, 0, 0, 0, sh); !accept.Equal(want) {
		t.Errorf("accept due %v, want %v", accept, want)
	}
	if got := Due(cal, start, Allowance{1, "days"}); calendar.DateOf(got) != calendar.NewDate(2026, 10, 8) {
		t.Errorf("1 working day after Sep 30: %v", got)
	}
	// 3 working days: Oct 8 (Thu), Oct 9 (Fri), Oct 10 (Saturday, an adjusted working day).
	if !cal.IsWorkingDay(time.Date(2026, 10, 10, 12, 0, 0, 0, sh)) {
		t.Skip("calendar data changed: 2026-10-10 is no longer an adjusted working day")
	}
	if got := Due(cal, start, Allowance{3, "days"}); calendar.DateOf(got) != calendar.NewDate(2026, 10, 10) {
		t.Errorf("3 working days after Sep 30: %v", got)
	}
	remind := RemindAt(cal, start, accept)
	if w := cal.WorkingDuration(start, remind); w != 90*time.Minute {
		t.Errorf("reminder after %v of working time, want 1h30m (75%% of 2h)", w)
	}
}

func TestPolicyLookupPrefersTheTypesRow(t *testing.T) {
	t.Parallel()
	p := Policy{
		{Channel12348, AnyType, false, StageResolve}:          {10, "days"},
		{Channel12348, TypeConsultation, false, StageResolve}: {3, "days"},
	}
	if a, _ := p.Lookup(Channel12348, TypeConsultation, false, StageResolve); a.Amount != 3 {
		t.Errorf("type row: %+v", a)
	}
	if a, _ := p.Lookup(Channel12348, TypeConduct, false, StageResolve); a.Amount != 10 {
		t.Errorf("star row: %+v", a)
	}
	if _, ok := p.Lookup(Channel12345, TypeConduct, false, StageReply); ok {
		t.Error("12345 has no reply stage")
	}
}

// The most specific row wins: an urgent order's type's urgent row, the channel's urgent row, the
// type's row, the channel's fallback; and an urgent row never lengthens the ordinary limit.
func TestPolicyLookupMostSpecificRow(t *testing.T) {
	t.Parallel()
	p := Policy{
		{Channel12345, AnyType, false, StageAccept}:           {1, "days"},
		{Channel12345, AnyType, true, StageAccept}:            {2, "hours"},
		{Channel12345, TypeComplaint, true, StageAccept}:      {1, "hours"},
		{Channel12345, AnyType, false, StageResolve}:          {15, "days"},
		{Channel12345, TypeConsultation, false, StageResolve}: {3, "days"},
		{Channel12345, AnyType, true, StageResolve}:           {5, "days"}, // longer than a consultation's own row
	}
	for _, tc := range []struct {
		name   string
		t      Type
		urgent bool
		s      Stage
		want   Allowance
	}{
		{"urgent type row", TypeComplaint, true, StageAccept, Allowance{1, "hours"}},
		{"urgent fallback", TypeHelp, true, StageAccept, Allowance{2, "hours"}},
		{"ordinary fallback", TypeComplaint, false, StageAccept, Allowance{1, "days"}},
		{"type row", TypeConsultation, false, StageResolve, Allowance{3, "days"}},
		{"urgent fallback shorter than the plain fallback", TypeHelp, true, StageResolve, Allowance{5, "days"}},
		{"urgent row longer than the type's own: the shorter stands", TypeConsultation, true, StageResolve, Allowance{3, "days"}},
	} {
		if got, ok := p.Lookup(Channel12345, tc.t, tc.urgent, tc.s); !ok || got != tc.want {
			t.Errorf("%s: %+v %v, want %+v", tc.name, got, ok, tc.want)
		}
	}
}
