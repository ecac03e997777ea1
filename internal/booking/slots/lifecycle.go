package slots

import (
	"time"

	"qijian/internal/errs"
)

// Status of a booking.
type Status string

// Statuses.
const (
	Booked     Status = "booked"
	Confirmed  Status = "confirmed"
	InProgress Status = "in_progress"
	Completed  Status = "completed"
	Cancelled  Status = "cancelled"
	NoShow     Status = "no_show"
)

// Action moves a booking on.
type Action string

// Actions, and who takes them.
const (
	Confirm    Action = "confirm"    // provider
	Start      Action = "start"      // provider
	Complete   Action = "complete"   // provider, with the report
	MarkNoShow Action = "no_show"    // provider
	Cancel     Action = "cancel"     // enterprise or provider
	Reschedule Action = "reschedule" // enterprise
)

// Side is who acts: the enterprise that booked, or the provider that serves.
type Side string

// Sides.
const (
	Enterprise Side = "enterprise"
	Provider   Side = "provider"
)

type step struct {
	from []Status
	to   Status
	by   []Side
}

// table is the whole lifecycle: the code and the tests read it.
var table = map[Action]step{
	Confirm:    {[]Status{Booked}, Confirmed, []Side{Provider}},
	Start:      {[]Status{Booked, Confirmed}, InProgress, []Side{Provider}},
	Complete:   {[]Status{InProgress}, Completed, []Side{Provider}},
	MarkNoShow: {[]Status{Booked, Confirmed}, NoShow, []Side{Provider}},
	Cancel:     {[]Status{Booked, Confirmed}, Cancelled, []Side{Enterprise, Provider}},
	Reschedule: {[]Status{Booked, Confirmed}, Booked, []Side{Enterprise}},
}

// ErrNotAllowed: the action is not open to this side in this status.
var ErrNotAllowed = errs.New(errs.Conflict, "not_allowed", "booking.err.not_allowed")

// Next is the status after a, or ErrNotAllowed.
func Next(from Status, a Action, by Side) (Status, error) {
	s, ok := table[a]
	if !ok {
		return "", ErrNotAllowed
	}
	okFrom, okBy := false, false
	for _, f := range s.from {
		okFrom = okFrom || f == from
	}
	for _, b := range s.by {
		okBy = okBy || b == by
	}
	if !okFrom || !okBy {
		return "", ErrNotAllowed
	}
	return s.to, nil
}

// Allowed lists what by may do now, for the page's buttons.
func Allowed(from Status, by Side) []Action {
	var out []Action
	for _, a := range []Action{Confirm, Start, Complete, MarkNoShow, Reschedule, Cancel} {
		if _, err := Next(from, a, by); err == nil {
			out = append(out, a)
		}
	}
	return out
}

// StartWindow is how long before its start a booking may be started: the provider opens the
// session when the enterprise arrives, not days ahead. A no-show is marked only once the start
// has passed.
const StartWindow = 30 * time.Minute

// ErrTooEarly: starting, or marking a no-show, before its time.
var ErrTooEarly = errs.New(errs.Conflict, "too_early", "booking.err.too_early")

// Timely refuses an action whose time has not come: Start earlier than StartWindow before the
// start, MarkNoShow before the start. Other actions are not bound to the clock here.
func Timely(a Action, startsAt, now time.Time) error {
	switch {
	case a == Start && now.Before(startsAt.Add(-StartWindow)):
		return ErrTooEarly
	case a == MarkNoShow && now.Before(startsAt):
		return ErrTooEarly
	}
	return nil
}

// AllowedAt is Allowed without the actions whose time has not come.
func AllowedAt(from Status, by Side, startsAt, now time.Time) []Action {
	var out []Action
	for _, a := range Allowed(from, by) {
		if Timely(a, startsAt, now) == nil {
			out = append(out, a)
		}
	}
	return out
}

// Active tells whether the booking still holds its seat.
func (s Status) Active() bool { return s == Booked || s == Confirmed || s == InProgress }
