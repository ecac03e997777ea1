package lifecycle

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"qijian/internal/errs"
)

// Role is who acts on an order.
type Role string

// Roles that act on orders. System is the timers.
const (
	RoleEnterprise Role = "enterprise"
	RoleObserver   Role = "observer"
	RoleLiaison    Role = "liaison"
	RoleOfficer    Role = "officer"
	RoleAdmin      Role = "admin"
	RoleSystem     Role = "system"
)

// Actor is who acts, with the scope that bounds them.
type Actor struct {
	Role         Role
	UserID       uint
	EnterpriseID uint   // enterprise users
	UnitID       uint   // officers: their body
	County       string // liaisons: empty is the city level
}

// Action is something done to an order.
type Action string

// Actions.
const (
	Accept       Action = "accept"
	Dispatch     Action = "dispatch"
	Sign         Action = "sign" // 签收: the unit takes the dispatched order in
	Start        Action = "start"
	Reply        Action = "reply"
	Return       Action = "return"        // 退单: the unit bounces a misrouted order
	RefuseReturn Action = "refuse_return" // 退单不予认可: the liaison upholds the unit's handling and sends it back
	Transfer     Action = "transfer"      // 转办: to another unit
	RequestInfo  Action = "request_info"
	Message      Action = "message"
	StartFollow  Action = "follow_up"
	Rate         Action = "rate"
	Close        Action = "close"
	Reopen       Action = "reopen" // 重办
	Escalate     Action = "escalate"
	Reroute      Action = "route"    // a liaison overrides the routing table, with a reason
	Assign       Action = "assign"   // a liaison takes or hands the order within the supervision office
	Classify     Action = "classify" // a liaison corrects the type the filer chose
	// 延期: the unit asks for more time with a reason and a date; the liaison grants or refuses it.
	AskExtension     Action = "ask_extension"
	ApproveExtension Action = "approve_extension"
	RefuseExtension  Action = "refuse_extension"
	SupplyInfo       Action = "supply_info" // 补充材料: the enterprise answers a request for more, and the clocks run again
	// 回访: the liaison records the enterprise's answer, or a failed attempt to reach it.
	RecordFollowUp Action = "record_follow_up"
	FollowUpFailed Action = "follow_up_failed"
	Rehandle       Action = "rehandle" // 重办: a dissatisfied answer sends the order back to the unit a rung up
	// InternalNote (内部备注): a handler's note for the other handlers, kept apart from the
	// timeline the enterprise reads; it changes nothing on the order.
	InternalNote Action = "note"
	// Duplicates and merges (合并/拆分): a liaison merges a duplicate into a main order, or splits it back out.
	Merge Action = "merge"
	Split Action = "split"
	// 主办/协办: a liaison adds or removes co-handling units; each co-handler submits its part.
	AddCohandler    Action = "add_cohandler"
	RemoveCohandler Action = "remove_cohandler"
	CohandlerReply  Action = "cohandler_reply"
	// 紧急: a liaison marks an order urgent, or takes the mark off, with a reason; its open limits
	// are worked out again from the urgent rows (or the ordinary ones).
	MarkUrgent  Action = "mark_urgent"
	ClearUrgent Action = "clear_urgent"
	// Clues: a liaison dismisses a clue with a reason, merges it into another clue or order, or
	// converts it into an order that then runs on the ordinary limits.
	DismissClue Action = "dismiss_clue"
	MergeClue   Action = "merge_clue"
	ConvertClue Action = "convert_clue"
)

// Actions lists every action (the exhaustive tests walk it).
var Actions = []Action{Accept, Dispatch, Sign, Start, Reply, Return, RefuseReturn, Transfer, RequestInfo, Message, StartFollow, Rate, Close, Reopen, Escalate, Reroute, Assign, Classify, AskExtension, ApproveExtension, RefuseExtension, SupplyInfo, RecordFollowUp, FollowUpFailed, Rehandle, InternalNote, Merge, Split, AddCohandler, RemoveCohandler, CohandlerReply, MarkUrgent, ClearUrgent, DismissClue, MergeClue, ConvertClue}

// Input is what an action carries.
type Input struct {
	Unit      uint
	Channel   Channel
	Assignee  uint
	Type      Type
	Reason    string
	Code      string    // a bounce's reason code (ReturnCodes)
	Until     time.Time // the due time an extension asks for
	Solved    *bool     // a follow-up's answer: was the matter solved
	Satisfied *bool     // and is the enterprise satisfied
	Rating    int
	Note      string
	Order     uint64 // merge: the main order's row id
	Target    uint64 // merge_clue: the clue or order it goes into
}

// Event is what an applied action adds to the timeline.
type Event struct {
	Action   Action
	From, To Status
	Level    int
	Note     string
}

// step is one row of the lifecycle table: in these states, this action, by these roles, leads to
// To ("" keeps the status).
type step struct {
	From   []Status
	Action Action
	Roles  []Role
	To     Status
}

var open = []Status{Submitted, Accepted, Dispatched, Signed, InProgress, Replied, FollowUp, Returned}

// Table is the whole lifecycle: the code and the tests both read it.
var Table = []step{
	{[]Status{Submitted}, Accept, []Role{RoleLiaison, RoleAdmin}, Accepted},
	{[]Status{Accepted, Returned}, Dispatch, []Role{RoleLiaison, RoleAdmin}, Dispatched},
	{[]Status{Dispatched, Signed, InProgress}, Transfer, []Role{RoleLiaison, RoleAdmin}, Dispatched},
	{[]Status{Dispatched}, Sign, []Role{RoleOfficer}, Signed},
	{[]Status{Dispatched, Signed}, Start, []Role{RoleOfficer}, InProgress},
	{[]Status{Dispatched, Signed}, Return, []Role{RoleOfficer}, Returned}, // only before handling starts
	{[]Status{Returned}, RefuseReturn, []Role{RoleLiaison, RoleAdmin}, Dispatched},
	{[]Status{Accepted, Dispatched, Signed, InProgress}, Reply, []Role{RoleOfficer, RoleLiaison}, Replied},
	{[]Status{Replied}, StartFollow, []Role{RoleLiaison, RoleAdmin, RoleSystem}, FollowUp},
	{[]Status{FollowUp}, Rate, []Role{RoleEnterprise, RoleObserver}, ""},
	{[]Status{FollowUp}, Close, []Role{RoleLiaison, RoleAdmin}, Closed}, // only after the follow-up's answer, or three failures to reach the enterprise
	{[]Status{FollowUp}, RecordFollowUp, []Role{RoleLiaison, RoleAdmin}, ""},
	{[]Status{FollowUp}, FollowUpFailed, []Role{RoleLiaison, RoleAdmin}, ""},
	{[]Status{FollowUp}, Rehandle, []Role{RoleLiaison, RoleAdmin, RoleSystem}, InProgress}, // the unit handles it again; it signed for it before
	{[]Status{Closed}, Reopen, []Role{RoleEnterprise, RoleObserver}, Accepted},
	{open, Escalate, []Role{RoleLiaison, RoleAdmin, RoleSystem}, ""},
	{[]Status{Accepted, Dispatched, Signed, InProgress, Returned}, RequestInfo, []Role{RoleLiaison, RoleOfficer}, ""},
	{open, Message, []Role{RoleEnterprise, RoleObserver, RoleLiaison, RoleOfficer}, ""},
	{[]Status{Submitted, Accepted, Returned}, Reroute, []Role{RoleLiaison, RoleAdmin}, ""},
	{open, Assign, []Role{RoleLiaison, RoleAdmin}, ""},
	{[]Status{Submitted, Accepted, Returned}, Classify, []Role{RoleLiaison, RoleAdmin}, ""},
	{[]Status{Signed, InProgress}, AskExtension, []Role{RoleOfficer}, ""},
	{[]Status{Signed, InProgress}, ApproveExtension, []Role{RoleLiaison, RoleAdmin}, ""},
	{[]Status{Signed, InProgress}, RefuseExtension, []Role{RoleLiaison, RoleAdmin}, ""},
	{open, SupplyInfo, []Role{RoleEnterprise, RoleObserver}, ""},
	// Replies and notes (issue 19 item 11): handlers note an order for one another, closed ones
	// too; an officer only while its unit handles the order (scope).
	{append(slices.Clone(open), Closed, Merged, Clue, Dismissed), InternalNote, []Role{RoleLiaison, RoleOfficer, RoleAdmin}, ""},
	// Duplicates and merges (issue 19 item 9): the duplicate closes as merged into its main order;
	// split takes it out again, back to the liaison to dispatch, its deadlines from now.
	{open, Merge, []Role{RoleLiaison, RoleAdmin}, Merged},
	{[]Status{Merged}, Split, []Role{RoleLiaison, RoleAdmin}, Accepted},
	// 主办/协办 (issue 19 item 10): co-handling units of a dispatched order, and their parts.
	{[]Status{Dispatched, Signed, InProgress}, AddCohandler, []Role{RoleLiaison, RoleAdmin}, ""},
	{[]Status{Dispatched, Signed, InProgress, Returned}, RemoveCohandler, []Role{RoleLiaison, RoleAdmin}, ""},
	{[]Status{Dispatched, Signed, InProgress}, CohandlerReply, []Role{RoleOfficer}, ""},
	// Urgent orders (issue 19 item 7): a liaison sets or clears the mark while the unit has not replied.
	{[]Status{Submitted, Accepted, Dispatched, Signed, InProgress, Returned}, MarkUrgent, []Role{RoleLiaison, RoleAdmin}, ""},
	{[]Status{Submitted, Accepted, Dispatched, Signed, InProgress, Returned}, ClearUrgent, []Role{RoleLiaison, RoleAdmin}, ""},
	// Clues (issue 19 item 8): reviewed by a liaison apart from the complaints.
	{[]Status{Clue}, DismissClue, []Role{RoleLiaison, RoleAdmin}, Dismissed},
	{[]Status{Clue}, MergeClue, []Role{RoleLiaison, RoleAdmin}, Dismissed},
	{[]Status{Clue}, ConvertClue, []Role{RoleLiaison, RoleAdmin}, Submitted},
	{[]Status{Clue}, Assign, []Role{RoleLiaison, RoleAdmin}, ""},
}

// blocked tells whether the order's own record rules act out now, though its status allows it.
func blocked(o Order, act Action, now time.Time) bool {
	switch act {
	case Escalate:
		return o.Level >= MaxLevel
	case Rate:
		return o.Rating > 0 // rated once: the rating stands (a dissatisfied one sends the order back)
	case Return:
		return o.Status == Dispatched && o.SignDue != nil && now.After(*o.SignDue)
	case AskExtension:
		return o.ExtensionUntil != nil || o.ExtensionCount >= o.ExtensionLimit
	case ApproveExtension, RefuseExtension:
		return o.ExtensionUntil == nil
	case SupplyInfo:
		return o.PausedAt == nil
	case Close:
		return !answered(o) && o.FollowFailures < FollowUpAttempts
	case RecordFollowUp:
		return answered(o)
	case FollowUpFailed:
		return answered(o) || o.FollowFailures >= FollowUpAttempts
	case Rehandle:
		return o.FollowSatisfied == nil || *o.FollowSatisfied || o.Unit == 0
	case Reply:
		return coPending(o, now) // the lead replies for all: once every part is in or overdue
	case Merge:
		return o.MergedCount > 0 // a main order stays the main order
	case AddCohandler:
		return o.Unit == 0
	case RemoveCohandler:
		return len(o.CoHandlers) == 0
	case MarkUrgent:
		return o.Urgent
	case ClearUrgent:
		return !o.Urgent
	}
	return false
}

// mayEscalate tells whether by may raise o a rung: the last rung, referral to discipline
// inspection (移送纪检监察), is for the city level only (a city liaison or an admin); the system's
// breach timers stop below it.
func mayEscalate(o Order, by Actor) bool {
	if o.Level+1 < MaxLevel {
		return true
	}
	return by.Role == RoleAdmin || (by.Role == RoleLiaison && by.County == "")
}

// sideClimb is the rung an order climbs to by a bounce, a re-handling or a reopening: one up,
// but never by itself to referral (移送纪检监察), which is the city level's own decision
// (mayEscalate); an order already there stays.
func sideClimb(level int) int {
	if level >= MaxLevel-1 {
		return level
	}
	return level + 1
}

// answered tells whether the follow-up has the enterprise's whole answer.
func answered(o Order) bool { return o.FollowSolved != nil && o.FollowSatisfied != nil }

// Dissatisfied tells whether the follow-up found the enterprise dissatisfied and the order can go
// back to its unit (the use case then applies Rehandle as the system).
func Dissatisfied(o Order) bool { return o.Status == FollowUp && !blocked(o, Rehandle, time.Time{}) }

func find(s Status, a Action) (step, bool) {
	for _, st := range Table {
		if st.Action == a && slices.Contains(st.From, s) {
			return st, true
		}
	}
	return step{}, false
}

// inScope tells whether the actor's scope covers the order for act. A co-handling unit's officer
// is in scope for its own part only (cohandler_reply), the lead unit's never for that.
func inScope(o Order, by Actor, act Action) bool {
	if act == CohandlerReply {
		return by.Role == RoleOfficer && by.UnitID != 0 && coAwaits(o, by.UnitID)
	}
	switch by.Role {
	case RoleEnterprise:
		return by.EnterpriseID != 0 && by.EnterpriseID == o.EnterpriseID
	case RoleObserver:
		return by.UserID != 0 && by.UserID == o.ObserverID
	case RoleOfficer:
		return by.UnitID != 0 && by.UnitID == o.Unit
	case RoleLiaison:
		return by.County == "" || by.County == o.County
	case RoleAdmin, RoleSystem:
		return true
	}
	return false
}

// Apply performs act on o. It returns the changed order and the timeline event, or an error
// wrapping ErrNotAllowed (wrong role, state or scope) or ErrInput; o itself is never modified.
func Apply(o Order, act Action, by Actor, in Input, now time.Time) (Order, Event, error) {
	st, ok := find(o.Status, act)
	if !ok {
		return o, Event{}, fmt.Errorf("%w: %s in status %s", ErrNotAllowed, act, o.Status)
	}
	if !slices.Contains(st.Roles, by.Role) || !inScope(o, by, act) {
		return o, Event{}, fmt.Errorf("%w: %s by %s on this order", ErrNotAllowed, act, by.Role)
	}
	if blocked(o, act, now) {
		return o, Event{}, fmt.Errorf("%w: %s is not open to this order now", ErrNotAllowed, act)
	}
	if act == Escalate && !mayEscalate(o, by) {
		return o, Event{}, fmt.Errorf("%w: referral to discipline inspection is a city-level action", ErrNotAllowed)
	}
	n := o
	note := strings.TrimSpace(in.Note)
	switch act {
	case Reply, Close, Transfer, Return:
		n.PausedAt = nil // the order moves on: no longer waiting on the enterprise
		if act != Reply && act != Close {
			n.ExtensionUntil = nil // a pending request goes with the unit
		}
	}
	switch act {
	case Dispatch, Transfer:
		if in.Unit == 0 {
			return o, Event{}, needs(act, "unit_id")
		}
		if coIndex(o, in.Unit) >= 0 {
			return o, Event{}, fmt.Errorf("%w: %s needs a handling unit (not one of its co-handlers)", ErrInput, act)
		}
		if act == Transfer && in.Unit == o.Unit && (in.Channel == "" || in.Channel == o.Channel) {
			return o, Event{}, fieldErr(act, "unit_id", "err.transfer.same")
		}
		if act == Transfer && strings.TrimSpace(in.Reason) == "" {
			return o, Event{}, needs(act, "reason")
		}
		if act == Transfer && in.Channel != "" {
			if in.Channel != Channel12345 && in.Channel != Channel12348 {
				return o, Event{}, fieldErr(act, "channel", "err.invalid")
			}
			n.Channel = in.Channel // 改派 to the other hotline: the remaining deadlines follow its limits
		}
		n.Unit = in.Unit
		n.ReturnReason, n.ReturnCode = "", ""
		if in.Reason != "" {
			note = strings.TrimSpace(in.Reason + " " + note)
		}
	case Return:
		var missing []string
		if !slices.Contains(ReturnCodes, in.Code) {
			missing = append(missing, "return_code")
		}
		if strings.TrimSpace(in.Reason) == "" {
			missing = append(missing, "reason")
		}
		if len(missing) > 0 {
			return o, Event{}, needs(act, missing...)
		}
		n.ReturnReason, n.ReturnCode = strings.TrimSpace(in.Reason), in.Code
		n.ReturnedUnit = o.Unit
		n.Unit = 0 // back to the liaison, who dispatches it again or refuses the bounce
		n.ReturnCount++
		if n.ReturnCount >= ReturnsToEscalate {
			n.Level = sideClimb(n.Level) // bounced again and again: the order climbs the ladder
		}
		note = n.ReturnReason
	case RefuseReturn:
		if o.ReturnedUnit == 0 {
			return o, Event{}, fmt.Errorf("%w: refusing a bounce needs the unit that bounced it", ErrInput)
		}
		if strings.TrimSpace(in.Reason) == "" {
			return o, Event{}, needs(act, "reason")
		}
		n.Unit = o.ReturnedUnit // the unit's duty stands: it handles the order
		n.ReturnReason, n.ReturnCode = "", ""
		note = strings.TrimSpace(in.Reason + " " + note)
	case Rate:
		if in.Rating < 1 || in.Rating > 5 {
			return o, Event{}, needs(act, "rating")
		}
		n.Rating = in.Rating
		sat := in.Rating >= 3 // 满意 from 3 of 5; 1 and 2 are 不满意
		n.FollowSatisfied = &sat
	case RecordFollowUp:
		var missing []string
		if in.Solved == nil {
			missing = append(missing, "solved")
		}
		if in.Satisfied == nil {
			missing = append(missing, "satisfied")
		}
		if len(missing) > 0 {
			return o, Event{}, needs(act, missing...)
		}
		solved, sat := *in.Solved, *in.Satisfied
		n.FollowSolved, n.FollowSatisfied = &solved, &sat
	case FollowUpFailed:
		if note == "" {
			return o, Event{}, needs(act, "note")
		}
		n.FollowFailures++
	case Rehandle:
		n.Level = sideClimb(n.Level)
		n.ReopenCount++
		n.Rating, n.FollowSolved, n.FollowSatisfied, n.FollowFailures = 0, nil, nil, 0
	case Close:
		t := now
		n.ClosedAt = &t
	case Reopen:
		if o.ClosedAt == nil || now.Sub(*o.ClosedAt) > ReopenWindow {
			return o, Event{}, fmt.Errorf("%w: reopening is possible within 15 days of closing", ErrNotAllowed)
		}
		// Reopened orders go back to the liaison to accept again, one level up the ladder.
		n.ClosedAt = nil
		n.ReopenCount++
		n.Rating, n.FollowSolved, n.FollowSatisfied, n.FollowFailures = 0, nil, nil, 0
		n.Level = sideClimb(n.Level)
	case Escalate:
		// Every rung a person raises names its reason; the system's breach names its stage.
		if reason := strings.TrimSpace(in.Reason); reason != "" {
			note = strings.TrimSpace(reason + " " + note)
		} else if by.Role != RoleSystem {
			return o, Event{}, needs(act, "reason")
		}
		n.Level++
	case AskExtension:
		var missing []string
		if !in.Until.After(now) {
			missing = append(missing, "until")
		}
		if strings.TrimSpace(in.Reason) == "" {
			missing = append(missing, "reason")
		}
		if len(missing) > 0 {
			return o, Event{}, needs(act, missing...)
		}
		u := in.Until
		n.ExtensionUntil = &u
		note = strings.TrimSpace(in.Reason + " " + note)
	case ApproveExtension:
		n.ExtensionCount++
		n.ExtensionUntil = nil
	case RefuseExtension:
		if strings.TrimSpace(in.Reason) == "" {
			return o, Event{}, needs(act, "reason")
		}
		n.ExtensionUntil = nil
		note = strings.TrimSpace(in.Reason + " " + note)
	case RequestInfo:
		if note == "" {
			return o, Event{}, needs(act, "note")
		}
		if o.PausedAt == nil {
			t := now
			n.PausedAt = &t
		}
	case SupplyInfo:
		if note == "" {
			return o, Event{}, needs(act, "note")
		}
		n.PausedAt = nil
	case Reroute:
		if (in.Channel != Channel12345 && in.Channel != Channel12348) || strings.TrimSpace(in.Reason) == "" {
			return o, Event{}, needs(act, reroutes(in)...)
		}
		n.Channel = in.Channel
		note = fmt.Sprintf("%s → %s: %s", o.Channel, in.Channel, strings.TrimSpace(in.Reason))
	case Classify:
		if !ValidType(string(in.Type)) {
			return o, Event{}, needs(act, "type")
		}
		n.Type = in.Type
		note = fmt.Sprintf("%s → %s %s", o.Type, in.Type, note)
	case Assign:
		if in.Assignee == 0 {
			return o, Event{}, needs(act, "assignee_id")
		}
		n.Assignee = in.Assignee
	case MarkUrgent, ClearUrgent, DismissClue:
		if strings.TrimSpace(in.Reason) == "" {
			return o, Event{}, fmt.Errorf("%w: %s needs a reason", ErrInput, act)
		}
		n.Urgent = act == MarkUrgent || (act != ClearUrgent && o.Urgent)
		note = strings.TrimSpace(in.Reason + " " + note)
	case MergeClue:
		if in.Target == 0 || in.Target == o.ID {
			return o, Event{}, fmt.Errorf("%w: a merge needs another clue or order", ErrInput)
		}
		if r := strings.TrimSpace(in.Reason); r != "" {
			note = strings.TrimSpace(r + " " + note)
		}
	case ConvertClue:
		if in.Type != "" {
			if !ValidType(string(in.Type)) {
				return o, Event{}, fmt.Errorf("%w: convert needs a known type", ErrInput)
			}
			n.Type = in.Type
		}
		if r := strings.TrimSpace(in.Reason); r != "" {
			note = strings.TrimSpace(r + " " + note)
		}
	case Message, Reply, InternalNote:
		if note == "" {
			return o, Event{}, needs(act, "note")
		}
	case Merge, Split, AddCohandler, RemoveCohandler, CohandlerReply:
		var err error
		if n, note, err = applyParts(o, n, act, by, in, note, now); err != nil {
			return o, Event{}, err
		}
	}
	if st.To != "" {
		n.Status = st.To
	}
	return n, Event{Action: act, From: o.Status, To: n.Status, Level: n.Level, Note: note}, nil
}

// Allowed lists the actions actor may take on o now (for buttons in pages).
func Allowed(o Order, by Actor, now time.Time) []Action {
	var out []Action
	for _, st := range Table {
		if slices.Contains(st.From, o.Status) && slices.Contains(st.Roles, by.Role) && inScope(o, by, st.Action) && !slices.Contains(out, st.Action) {
			if blocked(o, st.Action, now) || (st.Action == Escalate && !mayEscalate(o, by)) {
				continue
			}
			out = append(out, st.Action)
		}
	}
	return out
}

// needs is the refusal of an action that lacks what it needs, naming each missing field by its
// request name (unit_id, reason, rating …) so a form can mark it; it wraps ErrInput.
func needs(act Action, fields ...string) error {
	f := make(map[string]string, len(fields))
	for _, k := range fields {
		f[k] = "err.required"
	}
	return fmt.Errorf("%s: %w", act, &errs.Error{Kind: errs.Invalid, Code: "validation", Key: "err.form", Fields: f, Err: ErrInput})
}

// fieldErr is a refusal of one field's value, with its own message; it wraps ErrInput.
func fieldErr(act Action, field, key string) error {
	return fmt.Errorf("%s: %w", act, &errs.Error{Kind: errs.Invalid, Code: "validation", Key: "err.form", Fields: map[string]string{field: key}, Err: ErrInput})
}

// reroutes names what a route override lacks: a known channel, a reason.
func reroutes(in Input) []string {
	var missing []string
	if in.Channel != Channel12345 && in.Channel != Channel12348 {
		missing = append(missing, "channel")
	}
	if strings.TrimSpace(in.Reason) == "" {
		missing = append(missing, "reason")
	}
	return missing
}
