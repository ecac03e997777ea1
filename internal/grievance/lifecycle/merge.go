package lifecycle

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// CoHandler is a co-handling unit (协办单位) of an order: its body, its part's deadline while it
// runs (nil once met, breached or never set) and whether it has submitted its part.
type CoHandler struct {
	Unit     uint
	Due      *time.Time
	Answered bool
}

// StageCohandle is the policy's stage for a co-handler's part (the limit of each co-handler); its
// deadline rows are named per unit (CohandleStage), so each co-handler's part runs on its own.
const StageCohandle Stage = "cohandle"

// CohandleStage is the deadline stage of one co-handler's part.
func CohandleStage(unit uint) Stage {
	return Stage(string(StageCohandle) + ":" + strconv.FormatUint(uint64(unit), 10))
}

// CohandleUnit tells which co-handler a deadline stage belongs to, if it is one's.
func CohandleUnit(stage string) (uint, bool) {
	rest, ok := strings.CutPrefix(stage, string(StageCohandle)+":")
	if !ok {
		return 0, false
	}
	u, err := strconv.ParseUint(rest, 10, 32)
	return uint(u), err == nil && u != 0
}

// PolicyStage is the stage a deadline row's allowance is looked up by.
func PolicyStage(stage string) Stage {
	if _, ok := CohandleUnit(stage); ok {
		return StageCohandle
	}
	return Stage(stage)
}

func coIndex(o Order, unit uint) int {
	return slices.IndexFunc(o.CoHandlers, func(c CoHandler) bool { return c.Unit == unit })
}

// coAwaits tells whether unit is a co-handler of o that has not submitted its part.
func coAwaits(o Order, unit uint) bool {
	i := coIndex(o, unit)
	return i >= 0 && !o.CoHandlers[i].Answered
}

// coPending tells whether a co-handler's part is still awaited within its deadline: the lead
// unit's reply waits for every part, or for its deadline to pass (an overdue part is escalated
// by its own timer and no longer holds the reply back).
func coPending(o Order, now time.Time) bool {
	return slices.ContainsFunc(o.CoHandlers, func(c CoHandler) bool { return !c.Answered && c.Due != nil && now.Before(*c.Due) })
}

// CoPending is coPending for the pages: whose parts the lead's reply still waits on.
func CoPending(o Order, now time.Time) bool { return coPending(o, now) }

// applyParts is what merges and co-handling do to n, the changed copy of o.
func applyParts(o, n Order, act Action, by Actor, in Input, note string, now time.Time) (Order, string, error) {
	switch act {
	case Merge:
		if in.Order == 0 || in.Order == o.ID {
			return o, "", fmt.Errorf("%w: a merge needs another order to merge into", ErrInput)
		}
		n.MergedInto = in.Order
		n.PausedAt, n.ExtensionUntil = nil, nil // its clocks stop: the main order carries the matter
		n.CoHandlers = nil
		if r := strings.TrimSpace(in.Reason); r != "" {
			note = strings.TrimSpace(r + " " + note)
		}
	case Split:
		if strings.TrimSpace(in.Reason) == "" {
			return o, "", fmt.Errorf("%w: splitting an order out needs a reason", ErrInput)
		}
		n.MergedInto = 0
		n.Unit = 0 // back to the liaison to dispatch afresh: the unit it had before the merge no longer holds it
		note = strings.TrimSpace(in.Reason + " " + note)
	case AddCohandler:
		if in.Unit == 0 || in.Unit == o.Unit || coIndex(o, in.Unit) >= 0 || (!in.Until.IsZero() && !in.Until.After(now)) {
			return o, "", fmt.Errorf("%w: a co-handler is another unit than the lead and the present co-handlers, with a later deadline", ErrInput)
		}
		c := CoHandler{Unit: in.Unit}
		if !in.Until.IsZero() {
			u := in.Until
			c.Due = &u
		}
		n.CoHandlers = append(slices.Clone(o.CoHandlers), c)
	case RemoveCohandler:
		i := coIndex(o, in.Unit)
		if i < 0 {
			return o, "", fmt.Errorf("%w: that unit is not a co-handler of this order", ErrInput)
		}
		n.CoHandlers = slices.Delete(slices.Clone(o.CoHandlers), i, i+1)
	case CohandlerReply:
		if note == "" {
			return o, "", fmt.Errorf("%w: a co-handler's part needs text", ErrInput)
		}
		i := coIndex(o, by.UnitID)
		n.CoHandlers = slices.Clone(o.CoHandlers)
		n.CoHandlers[i].Answered, n.CoHandlers[i].Due = true, nil
		note = "" // the part goes to the lead unit, kept apart from the timeline the enterprise reads
	}
	return n, note, nil
}
