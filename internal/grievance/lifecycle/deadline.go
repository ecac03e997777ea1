package lifecycle

import (
	"time"

	"qijian/internal/calendar"
)

// Stage is a deadline an order must meet.
type Stage string

// Stages.
const (
	StageAccept   Stage = "accept"
	StageDispatch Stage = "dispatch"
	StageSign     Stage = "sign" // 签收: the unit takes a dispatched order in
	StageReply    Stage = "reply"
	StageResolve  Stage = "resolve"
	StageInfo     Stage = "info"   // the enterprise's limit to answer a request for more (补充材料)
	StageReview   Stage = "review" // a liaison's limit to review a clue the automatic checks raised (线索核查)
)

// Stages lists every stage.
var Stages = []Stage{StageAccept, StageDispatch, StageSign, StageReply, StageResolve, StageInfo, StageReview}

// Allowance is how long a stage may take: working hours or working days.
type Allowance struct {
	Amount int
	Unit   string // "hours" or "days"
}

// AnyType is the type of a channel's fallback rows: they hold for every type without its own.
const AnyType Type = "*"

// LimitKey names one row of the time-limits table: a channel, a matter type (AnyType: the
// channel's fallback), whether the row is for urgent orders (紧急), and a stage.
type LimitKey struct {
	Channel Channel
	Type    Type
	Urgent  bool
	Stage   Stage
}

// Policy is the time-limits table: channel × matter type × urgent × stage → allowance.
type Policy map[LimitKey]Allowance

// Lookup finds a stage's allowance from the most specific row: for an urgent order its type's
// urgent row, then the channel's urgent fallback; then (for every order) its type's row, then the
// channel's fallback. An urgent order never runs longer than its ordinary row would allow.
func (p Policy) Lookup(c Channel, t Type, urgent bool, s Stage) (Allowance, bool) {
	plain, okPlain := p[LimitKey{c, t, false, s}]
	if !okPlain {
		plain, okPlain = p[LimitKey{c, AnyType, false, s}]
	}
	if urgent {
		u, ok := p[LimitKey{c, t, true, s}]
		if !ok {
			u, ok = p[LimitKey{c, AnyType, true, s}]
		}
		if ok && (!okPlain || u.shorter(plain)) {
			return u, true
		}
	}
	return plain, okPlain
}

// shorter tells whether a is less working time than b (a working day counted as 8 hours).
func (a Allowance) shorter(b Allowance) bool { return a.hours() < b.hours() }

func (a Allowance) hours() int {
	if a.Unit == "hours" {
		return a.Amount
	}
	return a.Amount * 8
}

// Due computes a stage's deadline from its start on cal (docs/rules.md, "Working days and years
// without data"): working hours run in office hours only, from the next opening when the start is
// outside them; working days leave the starting day out and end at 17:30 of the last one.
func Due(cal *calendar.Calendar, start time.Time, a Allowance) time.Time {
	if a.Unit == "hours" {
		return cal.AddWorkingHours(start, time.Duration(a.Amount)*time.Hour)
	}
	return cal.EndOfWorkingDays(start, a.Amount)
}

// RemindAt is when 75% of the working time between start and due has passed.
func RemindAt(cal *calendar.Calendar, start, due time.Time) time.Time {
	w := cal.WorkingDuration(start, due)
	if w <= 0 {
		return due
	}
	return cal.AddWorkingHours(start, w*3/4)
}

// StagesOpenedBy says which stages start when an order enters a status (a new order opens
// accept and resolve; reopening opens them again in a new round).
func StagesOpenedBy(to Status) []Stage {
	switch to {
	case Submitted:
		return []Stage{StageAccept, StageResolve}
	case Accepted:
		return []Stage{StageDispatch}
	case Dispatched:
		return []Stage{StageSign, StageReply}
	case Clue:
		return []Stage{StageReview}
	}
	return nil
}

// StagesMetBy says which open stages an action fulfils.
func StagesMetBy(act Action) []Stage {
	switch act {
	case Accept:
		return []Stage{StageAccept}
	case Dispatch:
		return []Stage{StageDispatch}
	case Sign, Start:
		// Starting to handle it takes the order in too.
		return []Stage{StageSign}
	case Return:
		// A bounce is the unit's answer to it; the request for more goes with the unit.
		return []Stage{StageSign, StageInfo}
	case Reply:
		return []Stage{StageDispatch, StageSign, StageReply, StageInfo}
	case SupplyInfo, Transfer:
		return []Stage{StageInfo}
	case Rehandle:
		return []Stage{StageReply} // the unit's reply that did not satisfy; 重办 opens a new one
	case Close:
		return []Stage{StageAccept, StageDispatch, StageSign, StageReply, StageResolve, StageInfo}
	case DismissClue, MergeClue, ConvertClue:
		return []Stage{StageReview}
	}
	return nil
}
