// Package appointment is the entrepreneur appointment (约见, seed §2.9 一): an enterprise head asks
// to meet the head of a municipal enforcement body; the body accepts with a time or proposes
// another; the meeting and its outcome are recorded; the enterprise rates it. Plain Go.
package appointment

import "qijian/internal/errs"

// Status of an appointment.
type Status string

// Statuses.
const (
	Requested Status = "requested"
	Proposed  Status = "proposed" // the body offered another time
	Scheduled Status = "scheduled"
	Held      Status = "held"
	Declined  Status = "declined"
	Cancelled Status = "cancelled"
)

// Action moves an appointment on.
type Action string

// Actions.
const (
	Accept  Action = "accept"  // body: at the time asked, or one it names
	Propose Action = "propose" // body: another time
	Agree   Action = "agree"   // enterprise: to the proposed time
	Decline Action = "decline" // body, with a reason
	Cancel  Action = "cancel"  // enterprise, before it is held
	Record  Action = "record"  // body: it took place, with the outcome
	Rate    Action = "rate"    // enterprise, once, after it was held
)

// Side is who acts.
type Side string

// Sides.
const (
	Enterprise Side = "enterprise"
	Body       Side = "body"
)

type step struct {
	from []Status
	to   Status
	by   Side
}

var table = map[Action]step{
	Accept:  {[]Status{Requested, Proposed}, Scheduled, Body},
	Propose: {[]Status{Requested, Proposed, Scheduled}, Proposed, Body},
	Agree:   {[]Status{Proposed}, Scheduled, Enterprise},
	Decline: {[]Status{Requested, Proposed}, Declined, Body},
	Cancel:  {[]Status{Requested, Proposed, Scheduled}, Cancelled, Enterprise},
	Record:  {[]Status{Scheduled}, Held, Body},
	Rate:    {[]Status{Held}, Held, Enterprise},
}

// ErrNotAllowed: not this side's move in this status.
var ErrNotAllowed = errs.New(errs.Conflict, "not_allowed", "booking.err.not_allowed")

// Next is the status after a by side, or ErrNotAllowed.
func Next(from Status, a Action, by Side) (Status, error) {
	s, ok := table[a]
	if !ok || s.by != by {
		return "", ErrNotAllowed
	}
	for _, f := range s.from {
		if f == from {
			return s.to, nil
		}
	}
	return "", ErrNotAllowed
}

// Allowed lists by's moves now, for the page.
func Allowed(from Status, by Side, rated bool) []Action {
	var out []Action
	for _, a := range []Action{Accept, Propose, Agree, Decline, Cancel, Record, Rate} {
		if _, err := Next(from, a, by); err == nil && !(a == Rate && rated) {
			out = append(out, a)
		}
	}
	return out
}

// NeedsTime tells whether an action must name a meeting time.
func NeedsTime(a Action) bool { return a == Propose }
