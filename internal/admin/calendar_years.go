package admin

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"qijian/internal/account"
	"qijian/internal/calendar"
	"qijian/internal/errs"
	"qijian/internal/store"
)

// YearStatus is where one year's holidays come from, for the calendar page's list of years.
type YearStatus struct {
	Year      int
	Source    calendar.YearSource // official (built in), entered (by an administrator) or none
	Overrides int                 // the administrators' days in the year
	Touched   bool                // a deadline or a notice's count fell in it while it had no data
}

// DayCell is one day of the year's grid; Day 0 is a blank before the 1st or after the last day.
type DayCell struct {
	Day      int
	Date     string
	Working  bool
	Weekend  bool
	Name     string // the holiday or adjusted working day, or the override's name
	Override bool
}

// MonthGrid is a month as weeks of seven days, Monday first.
type MonthGrid struct {
	Month time.Month
	Weeks [][7]DayCell
}

// YearCalendar is the calendar page of one year.
type YearCalendar struct {
	Year   int
	Status YearStatus
	Months []MonthGrid
	Years  []YearStatus // the years around it and every year with data or a warning
}

// Years lists the years the calendar page shows: last year to two years ahead, every year with
// an administrator's days or entry, and every year a deadline touched without data.
func (s *Service) Years(ctx context.Context, a account.Actor) ([]YearStatus, error) {
	if err := allow(a, account.ManageWorkflow); err != nil {
		return nil, err
	}
	rows, err := s.St.CalendarOverrides(ctx)
	if err != nil {
		return nil, fmt.Errorf("admin: calendar years: %w", err)
	}
	count := map[int]int{}
	for _, r := range rows {
		if t, err := time.Parse(time.DateOnly, r.Day); err == nil {
			count[t.Year()]++
		}
	}
	now := calendar.DateOf(s.Clock.Now()).Year
	set := map[int]bool{now - 1: true, now: true, now + 1: true, now + 2: true}
	for y := range count {
		set[y] = true
	}
	touched := map[int]bool{}
	for _, y := range s.Cal.Unloaded() {
		set[y], touched[y] = true, true
	}
	entered, err := s.St.CalendarYears(ctx)
	if err != nil {
		return nil, fmt.Errorf("admin: calendar years: %w", err)
	}
	for _, y := range entered {
		set[y.Year] = true
	}
	var out []YearStatus
	for y := range set {
		out = append(out, YearStatus{Year: y, Source: s.Cal.Source(y), Overrides: count[y], Touched: touched[y]})
	}
	slices.SortFunc(out, func(a, b YearStatus) int { return a.Year - b.Year })
	return out, nil
}

// Year is the calendar page of year: its grid and the list of years.
func (s *Service) Year(ctx context.Context, a account.Actor, year int) (*YearCalendar, error) {
	years, err := s.Years(ctx, a)
	if err != nil {
		return nil, err
	}
	if year < 2000 || year > 2100 {
		year = calendar.DateOf(s.Clock.Now()).Year
	}
	out := &YearCalendar{Year: year, Years: years, Status: YearStatus{Year: year, Source: s.Cal.Source(year)}}
	for _, y := range years {
		if y.Year == year {
			out.Status = y
		}
	}
	ovs := map[calendar.Date]bool{}
	for _, o := range s.Cal.Overrides() {
		ovs[o.Date] = true
	}
	for m := time.January; m <= time.December; m++ {
		g := MonthGrid{Month: m}
		first := calendar.NewDate(year, m, 1)
		col := (int(first.Weekday()) + 6) % 7 // Monday first
		var week [7]DayCell
		for d := first; d.Month == m; d = d.AddDays(1) {
			wd := d.Weekday()
			week[col] = DayCell{Day: d.Day, Date: d.String(), Working: s.Cal.IsWorkingDate(d), Weekend: wd == time.Saturday || wd == time.Sunday,
				Name: s.Cal.HolidayName(d.Time()), Override: ovs[d]}
			if col++; col == 7 {
				g.Weeks, week, col = append(g.Weeks, week), [7]DayCell{}, 0
			}
		}
		if col > 0 {
			g.Weeks = append(g.Weeks, week)
		}
		out.Months = append(out.Months, g)
	}
	return out, nil
}

// YearImport is a year's holidays and adjusted working days as the State Council's notice
// gives them, one line a day or a range of days (docs on the calendar page):
//
//	2028-01-26~2028-02-01,休,春节
//	2028-02-05,班,春节调休
//
// Fields are separated by a comma, a tab or spaces; the kind is 休 / off or 班 / work; lines
// starting with # are comments. Every date must lie in Year. Empty Text only marks the year as
// entered (its days were entered by hand, one by one).
type YearImport struct {
	Year   int    `form:"year" json:"year" validate:"required,min=2000,max=2100"`
	Source string `form:"source" json:"source" validate:"max=200"` // e.g. the notice's document number
	Text   string `form:"text" json:"text" validate:"max=20000"`
}

// ImportLineError is one refused line of an import.
type ImportLineError struct {
	Line int
	Text string
}

// ErrImportLines is the field error of an import with refused lines; nothing was saved.
var ErrImportLines = errs.Field("text", "cal.import.bad")

// ParseYear reads an import's lines into overrides; it returns the refused lines, if any.
func ParseYear(in YearImport) ([]calendar.Override, []ImportLineError) {
	var out []calendar.Override
	var bad []ImportLineError
	for i, line := range strings.Split(strings.ReplaceAll(in.Text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(strings.TrimPrefix(line, "\ufeff"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == '，' || r == '\t' || r == ' ' })
		ovs, ok := parseLine(in.Year, f)
		if !ok {
			bad = append(bad, ImportLineError{Line: i + 1, Text: line})
			continue
		}
		out = append(out, ovs...)
	}
	return out, bad
}

func parseLine(year int, f []string) ([]calendar.Override, bool) {
	if len(f) < 2 {
		return nil, false
	}
	from, to, ok := strings.Cut(strings.ReplaceAll(f[0], "～", "~"), "~")
	if !ok {
		to = from
	}
	a, err1 := time.Parse(time.DateOnly, strings.TrimSpace(from))
	b, err2 := time.Parse(time.DateOnly, strings.TrimSpace(to))
	if err1 != nil || err2 != nil || b.Before(a) || a.Year() != year || b.Year() != year || b.Sub(a) > 40*24*time.Hour {
		return nil, false
	}
	var working bool
	switch strings.ToLower(f[1]) {
	case "休", "off", "holiday":
	case "班", "work", "working":
		working = true
	default:
		return nil, false
	}
	name := strings.Join(f[2:], " ")
	if len([]rune(name)) > 60 {
		return nil, false
	}
	var out []calendar.Override
	for d := calendar.NewDate(a.Year(), a.Month(), a.Day()); d.Compare(calendar.NewDate(b.Year(), b.Month(), b.Day())) <= 0; d = d.AddDays(1) {
		out = append(out, calendar.Override{Date: d, Working: working, Name: name})
	}
	return out, true
}

// ImportYear saves a year's days (replacing the administrators' earlier days of that year) and
// marks the year as entered, so it counts as loaded; this process applies it at once. A text
// with a refused line saves nothing and answers the refused lines.
func (s *Service) ImportYear(ctx context.Context, a account.Actor, in YearImport) ([]ImportLineError, error) {
	if err := allow(a, account.ManageWorkflow); err != nil {
		return nil, err
	}
	ovs, bad := ParseYear(in)
	if len(bad) > 0 {
		return bad, ErrImportLines
	}
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		if len(ovs) > 0 {
			rows, err := s.St.CalendarOverrides(ctx)
			if err != nil {
				return err
			}
			for _, r := range rows {
				if strings.HasPrefix(r.Day, fmt.Sprintf("%04d-", in.Year)) {
					if err := s.St.DeleteCalendarOverride(ctx, r.Day); err != nil {
						return err
					}
				}
			}
			for _, o := range ovs {
				if err := s.St.SaveCalendarOverride(ctx, &store.CalendarOverride{Day: o.Date.String(), Working: o.Working, Name: o.Name}); err != nil {
					return err
				}
			}
		}
		if err := s.St.SaveCalendarYear(ctx, &store.CalendarYear{Year: in.Year, EnteredBy: a.UserID, EnteredAt: s.Clock.Now(), Source: strings.TrimSpace(in.Source)}); err != nil {
			return err
		}
		return s.record(ctx, a, "calendar.year", "calendar", uint64(in.Year), struct {
			Year   int    `json:"year"`
			Days   int    `json:"days"`
			Source string `json:"source"`
		}{in.Year, len(ovs), strings.TrimSpace(in.Source)})
	})
	if err != nil {
		return nil, fmt.Errorf("admin: import year %d: %w", in.Year, err)
	}
	return nil, s.reload(ctx)
}

// CalendarWarnings lists the years without holiday data that matter now: the current year if
// it has none, and every year a deadline or a notice's count touched while it had none.
func CalendarWarnings(cal *calendar.Calendar, now time.Time) []int {
	out := cal.Unloaded()
	if y := calendar.DateOf(now).Year; !cal.Loaded(y) && !slices.Contains(out, y) {
		out = append(out, y)
		slices.Sort(out)
	}
	return out
}
