package grievance

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"qijian/internal/account"
	"qijian/internal/audit"
	"qijian/internal/errs"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/store"
)

// Move is one lifecycle action with what it carries: the body of POST
// /api/v1/complaints/{id}/actions and the form of the order page.
type Move struct {
	Action     string `json:"action" form:"action" validate:"required,oneof=accept dispatch sign start reply return refuse_return transfer request_info supply_info message follow_up record_follow_up follow_up_failed rehandle rate close reopen escalate route assign classify ask_extension approve_extension refuse_extension note merge split add_cohandler remove_cohandler cohandler_reply mark_urgent clear_urgent dismiss_clue merge_clue convert_clue" doc:"note: an internal note (内部备注) in note, for the handlers only; the enterprise never sees it"`
	UnitID     uint   `json:"unit_id" form:"unit_id"`
	Channel    string `json:"channel" form:"channel" validate:"omitempty,oneof=12345 12348"`
	AssigneeID uint   `json:"assignee_id" form:"assignee_id"`
	Type       string `json:"type" form:"type" validate:"omitempty,oneof=illegal_inspection missing_code conduct appeal consultation help complaint report suggestion"`
	Reason     string `json:"reason" form:"reason" validate:"max=500"`
	ReturnCode string `json:"return_code" form:"return_code" validate:"omitempty,oneof=not_our_duty incomplete duplicate outside_area not_admissible other" doc:"a bounce's reason (return): not_our_duty 非本单位职责, incomplete 信息不全, duplicate 重复工单, outside_area 不属本辖区, not_admissible 不属受理范围, other 其他"`
	Solved     string `json:"solved" form:"solved" validate:"omitempty,oneof=yes no" doc:"record_follow_up: was the matter solved (解决)"`
	Satisfied  string `json:"satisfied" form:"satisfied" validate:"omitempty,oneof=yes no" doc:"record_follow_up: is the enterprise satisfied (满意); no sends the order back to its unit (重办)"`
	Until      string `json:"until" form:"until" validate:"max=10" doc:"ask_extension: the date asked for, YYYY-MM-DD (Wenzhou); the stage is then due at the end of that working day"`
	Rating     int    `json:"rating" form:"rating" validate:"min=0,max=5"`
	Note       string `json:"note" form:"note" validate:"max=5000"`
	MainID     uint64 `json:"main_id" form:"main_id" doc:"merge: the main order this one is merged into (its id as the API names it)"`
	Target     string `json:"target" form:"target" validate:"max=40" doc:"merge_clue: the clue or order a clue goes into, by number or id"`
}

func (m Move) input() lifecycle.Input {
	yesNo := func(s string) *bool {
		if s == "" {
			return nil
		}
		b := s == "yes"
		return &b
	}
	return lifecycle.Input{Solved: yesNo(m.Solved), Satisfied: yesNo(m.Satisfied), Unit: m.UnitID, Channel: lifecycle.Channel(m.Channel), Assignee: m.AssigneeID, Type: lifecycle.Type(m.Type), Reason: m.Reason, Code: m.ReturnCode, Rating: m.Rating, Note: m.Note, Order: m.MainID}
}

// Act applies one lifecycle action to an order the caller may see, and answers the order as the
// caller now sees it (even when the move took it out of the caller's sight, as a unit's return).
func (s *Service) Act(ctx context.Context, by account.Actor, id uint64, m Move) (*OrderDetail, error) {
	switch lifecycle.Action(m.Action) {
	case lifecycle.DismissClue, lifecycle.MergeClue, lifecycle.ConvertClue:
		// A clue's review is its own use case (the review record, the merge's target).
		return s.ReviewClue(ctx, by, id, ClueMove{Action: strings.TrimSuffix(m.Action, "_clue"), Reason: m.Reason, Target: m.Target, Type: m.Type})
	}
	in := m.input()
	if m.Until != "" {
		until, err := s.EndOfWorkingDay(m.Until)
		if err != nil {
			return nil, err
		}
		in.Until = until
	}
	o, err := s.act(ctx, by, id, lifecycle.Action(m.Action), in)
	if err != nil {
		return nil, err
	}
	return s.detail(ctx, by, o)
}

// act runs one action in a transaction of its own and returns the changed order.
func (s *Service) act(ctx context.Context, by account.Actor, id uint64, act lifecycle.Action, in lifecycle.Input) (*store.WorkOrder, error) {
	var out *store.WorkOrder
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		o, err := s.load(ctx, by, id, true)
		if err != nil {
			return err
		}
		if act == lifecycle.InternalNote {
			out, err = s.note(ctx, o, by, in) // apart from the timeline: note.go
			return err
		}
		if act == lifecycle.Merge {
			if in.Order, err = s.mergeTarget(ctx, by, o, in.Order); err != nil {
				return err
			}
		}
		if (act == lifecycle.Dispatch || act == lifecycle.Transfer || act == lifecycle.AddCohandler) && in.Unit != 0 {
			if _, err := s.St.Body(ctx, in.Unit); errors.Is(err, store.ErrNotFound) {
				return errs.Field("unit_id", "err.invalid")
			} else if err != nil {
				return err
			}
		}
		if act == lifecycle.Assign && in.Assignee != 0 {
			u, err := s.St.User(ctx, in.Assignee)
			if errors.Is(err, store.ErrNotFound) || (err == nil && (u.Role != account.RoleLiaison || u.Disabled || (u.CountyCode != "" && u.CountyCode != o.CountyCode))) {
				return errs.Field("assignee_id", "err.invalid")
			} else if err != nil {
				return err
			}
		}
		out, err = s.apply(ctx, o, actorOf(by), act, in)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("complaint: %s order %d: %w", act, id, err)
	}
	return out, nil
}

// apply runs the lifecycle and writes everything that follows from it, in ctx's transaction.
func (s *Service) apply(ctx context.Context, o *store.WorkOrder, by lifecycle.Actor, act lifecycle.Action, in lifecycle.Input) (*store.WorkOrder, error) {
	now := s.Clock.Now()
	open, err := s.St.OpenDeadlines(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	g, err := s.ruled(ctx, o, open)
	if err != nil {
		return nil, err
	}
	n, ev, err := lifecycle.Apply(g, act, by, in, now)
	if err != nil {
		return nil, err
	}
	if act == lifecycle.AskExtension {
		if err := s.checkExtension(ctx, o, open, in.Until); err != nil {
			return nil, err
		}
	}
	asked, pausedSince, oldLevel := o.ExtensionUntil, o.PausedAt, o.Level
	o.ExtensionCount, o.ExtensionUntil, o.PausedAt = n.ExtensionCount, n.ExtensionUntil, n.PausedAt
	o.FollowSolved, o.FollowSatisfied, o.FollowFailures = n.FollowSolved, n.FollowSatisfied, n.FollowFailures
	if n.ExtensionUntil == nil {
		o.ExtensionReason = ""
	} else if act == lifecycle.AskExtension {
		o.ExtensionReason = in.Reason
	}
	o.Status, o.Level, o.Rating, o.ReopenCount, o.ReturnReason, o.ClosedAt = string(n.Status), n.Level, n.Rating, n.ReopenCount, n.ReturnReason, n.ClosedAt
	o.ReturnCode, o.ReturnCount = n.ReturnCode, n.ReturnCount
	if n.ReturnedUnit != 0 {
		ru := n.ReturnedUnit
		o.ReturnedUnitID = &ru
	}
	was := keyOf(o)
	o.Channel, o.Urgent = string(n.Channel), n.Urgent
	if act == lifecycle.ConvertClue {
		o.Type = string(n.Type) // the liaison may correct the clue's type as it becomes an order
	}
	if act == lifecycle.Classify && o.Type != string(n.Type) {
		o.Type = string(n.Type)
		if n.Type != lifecycle.TypeIllegalInspection {
			if err := s.St.ClearOrderReasons(ctx, o.ID); err != nil { // reasons belong to illegal inspections only
				return nil, err
			}
		}
	}
	if n.Assignee != 0 {
		a := n.Assignee
		o.AssigneeID = &a
	}
	if n.Unit != 0 {
		u := n.Unit
		o.UnitBodyID = &u
	} else {
		o.UnitBodyID = nil
	}
	o.UpdatedAt = now
	row := &store.OrderEvent{OrderID: o.ID, At: now, ActorID: by.UserID, ActorRole: string(by.Role), Action: string(ev.Action),
		FromStatus: string(ev.From), ToStatus: string(ev.To), Level: ev.Level, Note: ev.Note}
	if err := s.St.AddOrderEvent(ctx, row); err != nil {
		return nil, err
	}
	if act == lifecycle.Reply { // the files uploaded for the reply go out with it (replyfiles.go)
		if err := s.St.LinkReplyFiles(ctx, o.ID, unitOf(o), row.ID); err != nil {
			return nil, err
		}
	}
	if n.Level > oldLevel {
		// Every rung climbed, by a person or the system, issues its document.
		if err := s.issueDocuments(ctx, o, oldLevel, n.Level, by, ev.Note, now); err != nil {
			return nil, err
		}
	}
	// Deadlines: meet what this action fulfils, open what the new status starts.
	met := lifecycle.StagesMetBy(act)
	round := 1
	var still []store.Deadline // open deadlines this action leaves open
	for _, d := range open {
		round = max(round, d.Round)
		if slices.Contains(met, lifecycle.Stage(d.Stage)) {
			t := now
			d.MetAt = &t
			if err := s.St.SaveDeadline(ctx, &d); err != nil {
				return nil, err
			}
			continue
		}
		still = append(still, d)
	}
	stages := lifecycle.StagesOpenedBy(n.Status)
	if act == lifecycle.Reopen {
		round = o.ReopenCount + 1
		stages = []lifecycle.Stage{lifecycle.StageDispatch, lifecycle.StageResolve}
	}
	if act == lifecycle.Rehandle {
		round = o.ReopenCount + 1 // a new handling deadline for the unit, in a round of its own
		stages = []lifecycle.Stage{lifecycle.StageReply}
	}
	if still, stages, round, err = s.applyParts(ctx, o, by, act, in, still, stages, round, now); err != nil { // merges and co-handling (merge.go)
		return nil, err
	}
	newUnit := act == lifecycle.Transfer || (act == lifecycle.Dispatch && ev.From == lifecycle.Returned)
	if err := s.retime(ctx, o, newUnit, was, still, now); err != nil {
		return nil, err
	}
	if act == lifecycle.ApproveExtension && asked != nil {
		if err := s.extend(ctx, still, *asked); err != nil {
			return nil, err
		}
	}
	if pausedSince != nil && o.PausedAt == nil {
		if err := s.resume(ctx, still, *pausedSince, now); err != nil {
			return nil, err
		}
	}
	if pausedSince == nil && o.PausedAt != nil {
		stages = []lifecycle.Stage{lifecycle.StageInfo} // the enterprise's own limit to answer; the status stays
	}
	if ev.From != ev.To || act == lifecycle.Reopen || act == lifecycle.Rehandle || newUnit || (pausedSince == nil && o.PausedAt != nil) {
		if _, err := s.openStages(ctx, o, stages, now, round); err != nil {
			return nil, err
		}
	}
	if err := s.refreshNextDue(ctx, o); err != nil {
		return nil, err
	}
	if o.UnitBodyID != nil && (act == lifecycle.Dispatch || act == lifecycle.Transfer || act == lifecycle.RefuseReturn) {
		// Concentrated complaints: counted once the order is saved with its unit.
		if err := s.checkConcentration(ctx, *o.UnitBodyID, now); err != nil {
			return nil, err
		}
	}
	if err := s.St.QueueAudit(ctx, audit.Event{At: now, ActorID: by.UserID, ActorRole: string(by.Role), Action: "order." + string(act), ObjectType: "order", ObjectID: o.ID,
		Detail: fmt.Sprintf(`{"from":%q,"to":%q,"level":%d}`, ev.From, ev.To, ev.Level)}); err != nil {
		return nil, err
	}
	if err := s.notifyChange(ctx, o, act, now); err != nil {
		return nil, err
	}
	if act != lifecycle.Rehandle && lifecycle.Dissatisfied(n) {
		// 重办: a dissatisfied answer sends the order back to its unit a rung up, with a new
		// handling deadline, at once.
		return s.apply(ctx, o, lifecycle.Actor{Role: lifecycle.RoleSystem}, lifecycle.Rehandle, lifecycle.Input{Note: "回访不满意，退回原单位重办"})
	}
	return o, nil
}

// refreshNextDue keeps the queue's sort key: the nearest open deadline.
func (s *Service) refreshNextDue(ctx context.Context, o *store.WorkOrder) error {
	open, err := s.St.OpenDeadlines(ctx, o.ID)
	if err != nil {
		return err
	}
	o.NextDueAt = nil
	for _, d := range open { // nearest first
		if o.Status == string(lifecycle.Closed) {
			break
		}
		if o.PausedAt != nil && d.Stage != string(lifecycle.StageInfo) {
			continue // paused: only the enterprise's answer limit runs
		}
		t := d.DueAt
		o.NextDueAt = &t
		break
	}
	return s.St.SaveOrder(ctx, o)
}
