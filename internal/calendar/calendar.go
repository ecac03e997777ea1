// Package calendar answers "is this a working day?" and "when is this due?"
// for Wenzhou administrative inspections. It follows the official Chinese
// holiday calendar, including adjusted working days (调休: some weekends are
// worked, some weekdays are off), plus office hours for working-hour SLAs.
//
// All date arithmetic happens in Asia/Shanghai regardless of the location of
// the time.Time values passed in; returned instants are in the caller's
// location. Holiday data comes from github.com/6tail/lunar-go/HolidayUtil;
// admin overrides win over it. Years the library does not cover (see
// HasHolidayData) fall back to plain Monday–Friday, so admins must enter
// overrides for them until the library is upgraded.
package calendar

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"
	_ "time/tzdata" // guarantees Asia/Shanghai on hosts without zoneinfo

	"github.com/6tail/lunar-go/HolidayUtil"
)

var shanghai = loadShanghai()

func loadShanghai() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		// Unreachable with time/tzdata embedded. China has had no DST since
		// 1991, so a fixed +08:00 zone gives identical results for our dates.
		return time.FixedZone("CST", 8*60*60)
	}
	return loc
}

// Location returns the zone all calendar arithmetic uses (Asia/Shanghai).
func Location() *time.Location { return shanghai }

// Date is a civil date in Asia/Shanghai. It is comparable and usable as a
// map key.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date normalized like time.Date (Feb 30 → Mar 1/2).
func NewDate(year int, month time.Month, day int) Date {
	y, m, d := time.Date(year, month, day, 0, 0, 0, 0, shanghai).Date()
	return Date{y, m, d}
}

// DateOf returns the Asia/Shanghai date of t.
func DateOf(t time.Time) Date {
	y, m, d := t.In(shanghai).Date()
	return Date{y, m, d}
}

// Time returns midnight at the start of d in Asia/Shanghai.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, shanghai) }

// AddDays returns the date n calendar days after d (before, if n < 0).
func (d Date) AddDays(n int) Date { return NewDate(d.Year, d.Month, d.Day+n) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.Time().Weekday() }

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	return cmp.Or(cmp.Compare(d.Year, o.Year), cmp.Compare(d.Month, o.Month), cmp.Compare(d.Day, o.Day))
}

// String formats d as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day) }

// Override is an admin decision about one date; it wins over the library.
type Override struct {
	Date    Date
	Working bool
	Name    string // shown by HolidayName, e.g. "台风停工"
}

// Span is one office-hours interval [Start, End), given as offsets from
// local midnight (e.g. 8h30m).
type Span struct {
	Start, End time.Duration
}

var defaultHours = []Span{
	{8*time.Hour + 30*time.Minute, 12 * time.Hour},
	{13*time.Hour + 30*time.Minute, 17*time.Hour + 30*time.Minute},
}

// DefaultHours returns the standard office hours: 08:30–12:00 and
// 13:30–17:30 (7.5 working hours per working day).
func DefaultHours() []Span { return slices.Clone(defaultHours) }

// ErrInvalidHours is wrapped by every error ValidateHours returns.
var ErrInvalidHours = errors.New("calendar: invalid office hours")

// ValidateHours reports whether spans are non-empty, sorted,
// non-overlapping, of positive length and within one day. Use it when
// loading Hours from configuration.
func ValidateHours(spans []Span) error {
	if len(spans) == 0 {
		return fmt.Errorf("%w: no spans", ErrInvalidHours)
	}
	var prevEnd time.Duration
	for i, s := range spans {
		switch {
		case s.Start < prevEnd:
			return fmt.Errorf("%w: span %d starts at %v, before %v (unsorted, overlapping or negative)", ErrInvalidHours, i, s.Start, prevEnd)
		case s.End <= s.Start:
			return fmt.Errorf("%w: span %d is empty or reversed (%v–%v)", ErrInvalidHours, i, s.Start, s.End)
		case s.End > 24*time.Hour:
			return fmt.Errorf("%w: span %d ends at %v, after midnight", ErrInvalidHours, i, s.End)
		}
		prevEnd = s.End
	}
	return nil
}

// Calendar decides working days and working hours. The zero value is usable
// (library data, default hours, no overrides); methods are safe for
// concurrent use, including SetOverrides.
type Calendar struct {
	// Hours are the office hours of every working day. Set them before the
	// Calendar is shared; they are not guarded. Invalid or empty Hours fall
	// back to DefaultHours so a bad config can never hang AddWorkingHours —
	// check configuration with ValidateHours.
	Hours []Span

	mu sync.RWMutex
	// overrides is replaced wholesale and never mutated, so a method can
	// take one snapshot and see a consistent set for its whole computation.
	overrides map[Date]Override
	// entered are the years an administrator entered or imported in full.
	entered map[int]bool
	// unloaded are the years without data a deadline or a count has touched.
	unloadedMu sync.Mutex
	unloaded   map[int]bool
}

// New returns a Calendar with DefaultHours and the given admin overrides.
func New(overrides ...Override) *Calendar {
	c := &Calendar{Hours: DefaultHours()}
	c.SetOverrides(overrides)
	return c
}

// SetOverrides replaces all admin overrides. Later entries for the same
// date win. Dates are normalized with NewDate.
func (c *Calendar) SetOverrides(overrides []Override) {
	m := make(map[Date]Override, len(overrides))
	for _, o := range overrides {
		o.Date = NewDate(o.Date.Year, o.Date.Month, o.Date.Day)
		m[o.Date] = o
	}
	c.mu.Lock()
	c.overrides = m
	c.mu.Unlock()
}

// SetEnteredYears replaces the years an administrator entered or imported in full (their
// holidays and adjusted working days are overrides): such a year counts as loaded.
func (c *Calendar) SetEnteredYears(years []int) {
	m := make(map[int]bool, len(years))
	for _, y := range years {
		m[y] = true
	}
	c.mu.Lock()
	c.entered = m
	c.mu.Unlock()
}

// YearSource says where a year's holidays come from.
type YearSource string

// The sources of a year's data.
const (
	SourceNone    YearSource = ""         // no data: weekdays are counted as working days
	SourceLibrary YearSource = "official" // the State Council's calendar, built in
	SourceEntered YearSource = "entered"  // entered or imported by an administrator
)

// Source tells where year's holidays come from; SourceNone means none are known.
func (c *Calendar) Source(year int) YearSource {
	c.mu.RLock()
	entered := c.entered[year]
	c.mu.RUnlock()
	switch {
	case entered:
		return SourceEntered
	case HasHolidayData(year):
		return SourceLibrary
	}
	return SourceNone
}

// Loaded reports whether year's holidays are known (built in or entered by an administrator).
func (c *Calendar) Loaded(year int) bool { return c.Source(year) != SourceNone }

// note remembers the years of the dates a deadline or a count started or ended in that have no
// data, for the warnings (Unloaded).
func (c *Calendar) note(ds ...Date) {
	for _, d := range ds {
		if c.Loaded(d.Year) {
			continue
		}
		c.unloadedMu.Lock()
		if c.unloaded == nil {
			c.unloaded = map[int]bool{}
		}
		first := !c.unloaded[d.Year]
		c.unloaded[d.Year] = true
		c.unloadedMu.Unlock()
		if first {
			slog.Warn("calendar: a deadline or notice period falls in a year without holiday data; holidays in it count as working days", "year", d.Year)
		}
	}
}

// Unloaded lists, in order, the years without data in which a deadline or a notice's count has
// started or ended in this process, and that are still without data.
func (c *Calendar) Unloaded() []int {
	c.unloadedMu.Lock()
	var out []int
	for y := range c.unloaded {
		out = append(out, y)
	}
	c.unloadedMu.Unlock()
	out = slices.DeleteFunc(out, c.Loaded)
	slices.Sort(out)
	return out
}

// Overrides returns the current overrides sorted by date.
func (c *Calendar) Overrides() []Override {
	v := c.view()
	out := make([]Override, 0, len(v))
	for _, o := range v {
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b Override) int { return a.Date.Compare(b.Date) })
	return out
}

// view is an immutable snapshot of the overrides.
type view map[Date]Override

func (c *Calendar) view() view {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.overrides
}

// working applies the precedence: override, then library, then weekday.
func (v view) working(d Date) bool {
	if o, ok := v[d]; ok {
		return o.Working
	}
	if h, ok := libYear(d.Year)[d]; ok {
		return h.work
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// countOpen counts working dates strictly between a and b (a < d < b).
func (v view) countOpen(a, b Date) int {
	n := 0
	for d := a.AddDays(1); d.Compare(b) < 0; d = d.AddDays(1) {
		if v.working(d) {
			n++
		}
	}
	return n
}

// IsWorkingDay reports whether t's Asia/Shanghai date is a working day.
func (c *Calendar) IsWorkingDay(t time.Time) bool { return c.view().working(DateOf(t)) }

// IsWorkingDate is IsWorkingDay for a civil date.
func (c *Calendar) IsWorkingDate(d Date) bool { return c.view().working(d) }

// HolidayName returns a display name for t's date: the override's Name if
// an override exists, else the library's festival name with "调休" appended
// on adjusted working days (e.g. "春节", "春节调休"), else "".
func (c *Calendar) HolidayName(t time.Time) string {
	d := DateOf(t)
	if o, ok := c.view()[d]; ok {
		return o.Name
	}
	if h, ok := libYear(d.Year)[d]; ok {
		if h.work {
			return h.name + "调休"
		}
		return h.name
	}
	return ""
}

// AddWorkingDays returns the same Asia/Shanghai wall-clock time on the n-th
// working day after t's date (n > 0) or before it (n < 0). t's own date is
// never counted, whether or not it is a working day; n == 0 returns t.
func (c *Calendar) AddWorkingDays(t time.Time, n int) time.Time {
	if n == 0 {
		return t
	}
	v, step := c.view(), 1
	if n < 0 {
		step, n = -1, -n
	}
	d := DateOf(t)
	for n > 0 {
		d = d.AddDays(step)
		if v.working(d) {
			n--
		}
	}
	c.note(DateOf(t), d)
	local := t.In(shanghai)
	h, m, s := local.Clock()
	return time.Date(d.Year, d.Month, d.Day, h, m, s, local.Nanosecond(), shanghai).In(t.Location())
}

// WorkingDaysBetween counts working dates d with date(from) < d <= date(to)
// (Asia/Shanghai); the clock times are ignored. If to's date is before
// from's, the result is -WorkingDaysBetween(to, from). Thus for n > 0,
// WorkingDaysBetween(t, AddWorkingDays(t, n)) == n.
func (c *Calendar) WorkingDaysBetween(from, to time.Time) int {
	a, b := DateOf(from), DateOf(to)
	if a.Compare(b) > 0 {
		return -c.WorkingDaysBetween(to, from)
	}
	return c.view().countOpen(a, b.AddDays(1))
}

// NoticeInTime implements NOTICE-1 (seed §2.8 二: 检查前3个工作日送达): a notice delivered at
// `delivered` is in time for an inspection at `inspection` when it was delivered on or before
// the latest delivery day (LatestNoticeDate) and not after the inspection began. The delivery's
// clock time does not matter. Example with days = 3: inspection Thursday of an ordinary week →
// Wednesday 1, Tuesday 2, Monday 3: delivered Monday (even 23:00) is in time, Tuesday is late.
func (c *Calendar) NoticeInTime(delivered, inspection time.Time, days int) bool {
	if delivered.After(inspection) {
		return false
	}
	return DateOf(delivered).Compare(c.LatestNoticeDate(inspection, days)) <= 0
}

// LatestNoticeDate is NOTICE-1's one deadline: count back `days` working days from the
// inspection's date (which is not counted itself); the day reached is the last day on which the
// notice may be delivered. It is always a working day (an adjusted working Sunday can be one).
// For days <= 0 it returns the inspection's date.
func (c *Calendar) LatestNoticeDate(inspection time.Time, days int) Date {
	if days <= 0 {
		return DateOf(inspection)
	}
	return DateOf(c.AddWorkingDays(inspection, -days))
}

// EndOfWorkingDays is the deadline of a period of n working days started at t (《民法典》第二百零一条、
// 第二百零三条): the day it starts is not counted, whether or not it is a working day or t is in
// office hours, and the period ends at the close of office hours of the n-th working day after
// it. A filing on Saturday 10:00 or Monday 10:00 with one working day is due Monday 17:30 or
// Tuesday 17:30. n <= 0 returns t. The result is in t's location.
func (c *Calendar) EndOfWorkingDays(t time.Time, n int) time.Time {
	if n <= 0 {
		return t
	}
	d := DateOf(c.AddWorkingDays(t, n))
	spans := c.hours()
	return d.Time().Add(spans[len(spans)-1].End).In(t.Location())
}

func (c *Calendar) hours() []Span {
	if ValidateHours(c.Hours) != nil {
		return defaultHours
	}
	return c.Hours
}

// AddWorkingHours returns the earliest instant by which d of working time
// (office hours on working days) has elapsed since t. If t is outside office
// hours, counting starts at the next opening; a deadline that fills a span
// exactly ends at that span's close (e.g. 12:00, not 13:30). d <= 0
// returns t unchanged.
func (c *Calendar) AddWorkingHours(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return t
	}
	v, spans := c.view(), c.hours()
	cur := t.In(shanghai)
	// Terminates: spans have positive length and overrides are finite, so
	// every week eventually contributes working time.
	for day := DateOf(cur); ; day = day.AddDays(1) {
		if !v.working(day) {
			continue
		}
		midnight := day.Time()
		for _, s := range spans {
			start, end := midnight.Add(s.Start), midnight.Add(s.End)
			if !cur.Before(end) {
				continue
			}
			if cur.Before(start) {
				cur = start
			}
			avail := end.Sub(cur)
			if d <= avail {
				c.note(DateOf(t), day)
				return cur.Add(d).In(t.Location())
			}
			d -= avail
			cur = end
		}
	}
}

// WorkingDuration returns the working time (office hours on working days)
// in [from, to). It is negative if to is before from. For d >= 0,
// WorkingDuration(t, AddWorkingHours(t, d)) == d.
func (c *Calendar) WorkingDuration(from, to time.Time) time.Duration {
	if to.Before(from) {
		return -c.WorkingDuration(to, from)
	}
	v, spans := c.view(), c.hours()
	var total time.Duration
	last := DateOf(to)
	for day := DateOf(from); day.Compare(last) <= 0; day = day.AddDays(1) {
		if !v.working(day) {
			continue
		}
		midnight := day.Time()
		for _, s := range spans {
			start, end := midnight.Add(s.Start), midnight.Add(s.End)
			if start.Before(from) {
				start = from
			}
			if end.After(to) {
				end = to
			}
			if start.Before(end) {
				total += end.Sub(start)
			}
		}
	}
	return total
}

// HasHolidayData reports whether the library has official holiday data for
// year. Without it the Calendar falls back to Monday–Friday plus overrides.
func HasHolidayData(year int) bool { return len(libYear(year)) > 0 }

type libDay struct {
	name string
	work bool // true: adjusted working day (调休上班)
}

var (
	libMu    sync.RWMutex
	libYears = map[int]map[Date]libDay{}
)

// libYear returns the library's entries for year, loading them once.
// HolidayUtil scans one long string on every call, so a whole year is loaded
// at a time and cached; its data is static (we never call HolidayUtil.Fix).
func libYear(year int) map[Date]libDay {
	libMu.RLock()
	m, ok := libYears[year]
	libMu.RUnlock()
	if ok {
		return m
	}
	m = make(map[Date]libDay)
	l := HolidayUtil.GetHolidaysByYear(year)
	for e := l.Front(); e != nil; e = e.Next() {
		h, ok := e.Value.(*HolidayUtil.Holiday)
		if !ok {
			continue
		}
		t, err := time.Parse(time.DateOnly, h.GetDay())
		if err != nil {
			continue // static, well-formed data; skipping beats failing lookups
		}
		m[Date{t.Year(), t.Month(), t.Day()}] = libDay{name: h.GetName(), work: h.IsWork()}
	}
	libMu.Lock()
	defer libMu.Unlock()
	if prev, ok := libYears[year]; ok {
		return prev
	}
	libYears[year] = m
	return m
}
