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
	StageInfo     Stage = "info" // the enterprise's limit to answer a request for more (补充材料)
)

// Stages lists every stage.
var Stages = []Stage{StageAccept, StageDispatch, StageSign, StageReply, StageResolve, StageInfo}

// Allowance is how long a stage may take: working hours or working days.
type Allowance struct {
	Amount int
	Unit   string // "hours" or "days"
}

// Policy maps a channel and type ("*" for all types) and stage to an allowance.
type Policy map[Channel]map[Type]map[Stage]Allowance

// Lookup finds the allowance for a stage, preferring the type's own row over "*".
func (p Policy) Lookup(c Channel, t Type, s Stage) (Allowance, bool) {
	if a, ok := p[c][t][s]; ok {
		return a, true
	}
	a, ok := p[c]["*"][s]
	return a, ok
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
	}
	return nil
}
