// Package slots holds the rules of compliance check-ups and menu-style services (seed §2.8 一):
// which slots a provider's weekly schedule opens on the working-day calendar, when a booking may
// still be moved or cancelled, and who may move it through its life. Plain Go: no storage here.
package slots

import (
	"fmt"
	"time"

	"qijian/internal/calendar"
	"qijian/internal/errs"
)

// Rule is one weekly recurring slot of a provider's service.
type Rule struct {
	Weekday  time.Weekday // Monday..Friday; weekend rules open only on the weekend itself
	Start    string       // "09:30", Wenzhou time
	Minutes  int          // how long the service takes
	Capacity int          // how many enterprises at once
}

// Exception changes one date of a provider's schedule: closed, or a different capacity.
type Exception struct {
	Day      calendar.Date
	Closed   bool
	Capacity int // > 0: replaces every rule's capacity that day
}

// Occurrence is one concrete slot.
type Occurrence struct {
	Start, End time.Time
	Capacity   int
}

// WorkingDays is what Expand needs of the calendar.
type WorkingDays interface {
	IsWorkingDate(d calendar.Date) bool
}

// ParseClock reads "HH:MM".
func ParseClock(s string) (h, m int, err error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, 0, fmt.Errorf("booking: start %q is not HH:MM: %w", s, err)
	}
	return t.Hour(), t.Minute(), nil
}

// Expand lists the slots rules open on dates from..to (inclusive). The calendar decides: a
// public holiday on a weekday opens nothing, and an adjusted working day (调休) on a weekend opens
// with the provider's Monday schedule, the day it stands in for in most official arrangements.
// Weekend rules open only on weekends that are not adjusted working days.
func Expand(rules []Rule, exceptions []Exception, cal WorkingDays, from, to calendar.Date) []Occurrence {
	exc := map[calendar.Date]Exception{}
	for _, e := range exceptions {
		exc[e.Day] = e
	}
	loc := calendar.Location()
	var out []Occurrence
	for d := from; d.Compare(to) <= 0; d = d.AddDays(1) {
		if e, ok := exc[d]; ok && e.Closed {
			continue
		}
		wd := d.Weekday()
		weekend := wd == time.Saturday || wd == time.Sunday
		working := cal.IsWorkingDate(d)
		var use time.Weekday
		switch {
		case weekend && working:
			use = time.Monday // 调休: a working weekend day
		case weekend:
			use = wd
		case working:
			use = wd
		default:
			continue // a holiday on a weekday
		}
		for _, r := range rules {
			if r.Weekday != use || r.Minutes <= 0 || r.Capacity <= 0 {
				continue
			}
			h, m, err := ParseClock(r.Start)
			if err != nil {
				continue
			}
			start := time.Date(d.Year, d.Month, d.Day, h, m, 0, 0, loc)
			capacity := r.Capacity
			if e, ok := exc[d]; ok && e.Capacity > 0 {
				capacity = e.Capacity
			}
			out = append(out, Occurrence{Start: start, End: start.Add(time.Duration(r.Minutes) * time.Minute), Capacity: capacity})
		}
	}
	return out
}

// Refusals a person sees when a slot cannot be booked or a booking changed; each has its own
// code and message.
var (
	ErrPast    = errs.New(errs.Conflict, "slot_past", "booking.err.past")     // the slot has already begun
	ErrClosed  = errs.New(errs.Conflict, "slot_closed", "booking.err.closed") // the provider closed it
	ErrFull    = errs.New(errs.Conflict, "slot_full", "booking.err.full")
	ErrTooLate = errs.New(errs.Conflict, "too_late", "booking.err.too_late") // less than 24 hours before
)

// ChangeNotice is how long before the start a booking can still be moved (rescheduled).
const ChangeNotice = 24 * time.Hour

// Bookable says why a slot cannot take one more booking, or nil.
func Bookable(now, start time.Time, closed bool, booked, capacity int) error {
	switch {
	case !now.Before(start):
		return ErrPast
	case closed:
		return ErrClosed
	case booked >= capacity:
		return ErrFull
	}
	return nil
}

// CanReschedule: until 24 hours before the start.
func CanReschedule(now, start time.Time) error {
	if now.Add(ChangeNotice).After(start) {
		return ErrTooLate
	}
	return nil
}

// CanCancel: any time before the start; after it, the provider records a no-show instead.
func CanCancel(now, start time.Time) error {
	if !now.Before(start) {
		return ErrPast
	}
	return nil
}
