package grievance

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"qijian/internal/account"
	"qijian/internal/errs"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/store"
)

// Duplicates and merges (合并), and co-handling units (主办/协办), issue 19 items 9 and 10.
//
// A liaison merges a duplicate into a main order: the duplicate closes as merged (its deadlines
// set aside, its co-handlers off), its page names the main order, and both filers are told, each
// of its own order only (neither learns who filed the other). A split takes it out again: back
// to the liaison to dispatch, with its dispatch and resolve limits counted from now in a new
// round. Duplicates are suggested to liaisons from the same enterprise or the same inspection
// code within the window (merge_settings, 30 days), named orders only.
//
// A dispatched order's lead unit may get co-handling units, each with its part's deadline (the
// cohandle stage's limit, or a date the liaison sets): a deadline row of stage cohandle:<unit>,
// which reminds and escalates through the same timers as every stage. A co-handler's officers see
// the order and post their part, nothing else. The lead's reply waits until every part is in or
// its deadline has passed (an overdue part escalates by its own timer and holds the reply back no
// longer): the enterprise is not kept waiting past a co-handler's limit.

// OrderLink names another order as the viewer may follow it.
type OrderLink struct {
	ID      uint64 // as the API names it
	Number  string
	Status  lifecycle.Status
	Visible bool // the viewer may open it
}

// Duplicate is a suggested duplicate of an order and why.
type Duplicate struct {
	OrderLink
	SameEnterprise, SameInspection bool
}

// CohandlerView is a co-handling unit of an order and its part.
type CohandlerView struct {
	UnitID     uint
	AddedAt    time.Time
	DueAt      *time.Time // its part's running deadline
	AnsweredAt *time.Time
	Part       string // shown to liaisons, the lead unit and the co-handler itself
}

// Parts is what an order's view shows of merges and co-handling.
type Parts struct {
	MergedInto      *OrderLink  // a merged duplicate: its main order
	MergedCount     int         // how many were merged into this one
	Merged          []OrderLink // and which (liaisons and admins)
	Duplicates      []Duplicate // suggested duplicates (liaisons and admins, while it may be merged)
	MergeWindowDays int
	CoHandlers      []CohandlerView
	CoPending       bool // the lead's reply waits on a co-handler's part
}

// partsAction tells whether act tells its own (applyParts) rather than by notifyChange.
func partsAction(act lifecycle.Action) bool {
	switch act {
	case lifecycle.Merge, lifecycle.Split, lifecycle.AddCohandler, lifecycle.RemoveCohandler, lifecycle.CohandlerReply:
		return true
	}
	return false
}

func init() {
	actionZh[lifecycle.Merge] = "已合并"
	actionZh[lifecycle.Split] = "已拆分"
	actionZh[lifecycle.AddCohandler] = "已增加协办单位"
	actionZh[lifecycle.RemoveCohandler] = "已撤销协办单位"
	actionZh[lifecycle.CohandlerReply] = "协办单位已提交协办意见"
	stageZh[string(lifecycle.StageCohandle)] = "协办"
}

// stageWord is a deadline stage's name in Chinese (a co-handler's part: 协办).
func stageWord(stage string) string { return stageZh[string(lifecycle.PolicyStage(stage))] }

// stageWordEn is a deadline stage's name in English.
func stageWordEn(stage string) string {
	if lifecycle.PolicyStage(stage) == lifecycle.StageCohandle {
		return "co-handling part"
	}
	return stage
}

// withParts adds to g what the rules read of merges and co-handlers.
func (s *Service) withParts(ctx context.Context, o *store.WorkOrder, open []store.Deadline, g lifecycle.Order) (lifecycle.Order, error) {
	cos, err := s.St.OrderCohandlers(ctx, o.ID)
	if err != nil {
		return g, err
	}
	for _, c := range cos {
		ch := lifecycle.CoHandler{Unit: c.BodyID, Answered: c.AnsweredAt != nil}
		for _, d := range open {
			if d.Stage == string(lifecycle.CohandleStage(c.BodyID)) {
				due := d.DueAt
				ch.Due = &due
			}
		}
		g.CoHandlers = append(g.CoHandlers, ch)
	}
	merged, err := s.St.MergedOrders(ctx, o.ID)
	g.MergedCount = len(merged)
	return g, err
}

// mergeTarget checks the main order a merge names (by its outside id): one by may see, another
// than o, still open. It answers the main order's row id.
func (s *Service) mergeTarget(ctx context.Context, by account.Actor, o *store.WorkOrder, mainID uint64) (uint64, error) {
	if mainID == 0 {
		return 0, errs.Field("main_id", "err.required")
	}
	main, err := s.load(ctx, by, mainID, true)
	if errors.Is(err, ErrNotFound) {
		return 0, errs.Field("main_id", "err.invalid")
	} else if err != nil {
		return 0, err
	}
	if main.ID == o.ID || main.Status == string(lifecycle.Closed) || main.Status == string(lifecycle.Merged) {
		return 0, errs.Field("main_id", "err.invalid")
	}
	return main.ID, nil
}

// applyParts writes what a merge, a split or a co-handler's move does beyond the order's row, in
// apply's transaction: the deadlines it sets aside, opens or meets, the co-handler rows, and the
// notices. It answers the deadlines still open and the stages and round apply then opens.
func (s *Service) applyParts(ctx context.Context, o *store.WorkOrder, by lifecycle.Actor, act lifecycle.Action, in lifecycle.Input, still []store.Deadline,
	stages []lifecycle.Stage, round int, now time.Time) ([]store.Deadline, []lifecycle.Stage, int, error) {
	// set marks the open deadlines keep reports false on, met or set aside, and drops them.
	set := func(keep func(d store.Deadline) bool, met bool) error {
		var left []store.Deadline
		for _, d := range still {
			if keep(d) {
				left = append(left, d)
				continue
			}
			t := now
			if met {
				d.MetAt = &t
			} else {
				d.SupersededAt = &t
			}
			if err := s.St.SaveDeadline(ctx, &d); err != nil {
				return err
			}
		}
		still = left
		return nil
	}
	isCo := func(d store.Deadline) bool { _, ok := lifecycle.CohandleUnit(d.Stage); return ok }
	stageOf := func(unit uint) string { return string(lifecycle.CohandleStage(unit)) }
	switch act {
	case lifecycle.Merge:
		if err := set(func(store.Deadline) bool { return false }, false); err != nil { // its clocks stop
			return nil, nil, 0, err
		}
		if err := s.removeCohandlers(ctx, o.ID, 0, now); err != nil {
			return nil, nil, 0, err
		}
		main, err := s.St.Order(ctx, in.Order, false)
		if err != nil {
			return nil, nil, 0, err
		}
		m := main.ID
		o.MergedIntoID = &m
		if err := s.St.AddOrderEvent(ctx, &store.OrderEvent{OrderID: main.ID, At: now, ActorID: by.UserID, ActorRole: string(by.Role), Action: string(lifecycle.Merge),
			FromStatus: main.Status, ToStatus: main.Status, Level: main.Level, Note: "并入工单 " + o.Number}); err != nil {
			return nil, nil, 0, err
		}
		// Each filer hears of its own order only: never who filed the other.
		if err := s.notifyFiler(ctx, o, now, "order.merge", "您的工单 "+o.Number+" 已并入工单 "+main.Number+" 合并办理，办理结果以该工单为准",
			"Your work order "+o.Number+" was merged into work order "+main.Number+" and is handled with it"); err != nil {
			return nil, nil, 0, err
		}
		if err := s.notifyFiler(ctx, main, now, "order.merged_in", "工单 "+main.Number+"：另有一件同一事项的诉求已并入本工单合并办理",
			"Work order "+main.Number+": another report of the same matter was merged into it"); err != nil {
			return nil, nil, 0, err
		}
		return still, nil, round, s.notifyUnit(ctx, o, now, "工单 "+o.Number+" 已并入工单 "+main.Number+"，无需单独办理", "Work order "+o.Number+" was merged into "+main.Number+": no separate handling")
	case lifecycle.Split:
		var main *store.WorkOrder
		if o.MergedIntoID != nil {
			m, err := s.St.Order(ctx, *o.MergedIntoID, false)
			if err != nil {
				return nil, nil, 0, err
			}
			main = m
		}
		o.MergedIntoID = nil
		last, err := s.St.LastRound(ctx, o.ID)
		if err != nil {
			return nil, nil, 0, err
		}
		if err := s.notifyFiler(ctx, o, now, "order.split", "您的工单 "+o.Number+" 已拆出单独办理", "Your work order "+o.Number+" is handled on its own again"); err != nil {
			return nil, nil, 0, err
		}
		if main != nil {
			if err := s.St.AddOrderEvent(ctx, &store.OrderEvent{OrderID: main.ID, At: now, ActorID: by.UserID, ActorRole: string(by.Role), Action: string(lifecycle.Split),
				FromStatus: main.Status, ToStatus: main.Status, Level: main.Level, Note: "拆出工单 " + o.Number}); err != nil {
				return nil, nil, 0, err
			}
			if err := s.notifyFiler(ctx, main, now, "order.split", "工单 "+main.Number+"：一件并入的诉求已拆出单独办理", "Work order "+main.Number+": a report merged into it is handled on its own again"); err != nil {
				return nil, nil, 0, err
			}
		}
		// Back to the liaison to dispatch: its limits count from now, in a round of their own.
		return still, []lifecycle.Stage{lifecycle.StageDispatch, lifecycle.StageResolve}, last + 1, nil
	case lifecycle.AddCohandler:
		if err := s.St.SaveCohandler(ctx, &store.Cohandler{OrderID: o.ID, BodyID: in.Unit, AddedBy: by.UserID, AddedAt: now}); err != nil {
			return nil, nil, 0, err
		}
		o.CoBodyIDs = append(o.CoBodyIDs, in.Unit)
		due, ok := in.Until, !in.Until.IsZero()
		if !ok {
			p, err := s.policy(ctx)
			if err != nil {
				return nil, nil, 0, err
			}
			var a lifecycle.Allowance
			if a, ok = p.Lookup(lifecycle.Channel(o.Channel), lifecycle.Type(o.Type), o.Urgent, lifecycle.StageCohandle); ok {
				due = lifecycle.Due(s.Cal, now, a)
			}
		}
		when := ""
		if ok {
			d := store.Deadline{OrderID: o.ID, Stage: stageOf(in.Unit), Round: round, StartedAt: now, DueAt: due, RemindAt: lifecycle.RemindAt(s.Cal, now, due)}
			if err := s.St.CreateDeadline(ctx, &d); err != nil {
				return nil, nil, 0, err
			}
			if err := s.armTimers(ctx, &d, now); err != nil {
				return nil, nil, 0, err
			}
			still = append(still, d)
			when = due.In(s.calLoc()).Format("01-02 15:04")
		}
		return still, stages, round, s.notifyBody(ctx, o, in.Unit, now, "协办工单："+o.Number+"，请于 "+when+" 前提交协办意见", "Work order "+o.Number+" to co-handle: your part is due "+when)
	case lifecycle.RemoveCohandler:
		if err := s.removeCohandlers(ctx, o.ID, in.Unit, now); err != nil {
			return nil, nil, 0, err
		}
		o.CoBodyIDs = slices.DeleteFunc(o.CoBodyIDs, func(b uint) bool { return b == in.Unit })
		if err := set(func(d store.Deadline) bool { return d.Stage != stageOf(in.Unit) }, false); err != nil {
			return nil, nil, 0, err
		}
		return still, stages, round, s.notifyBody(ctx, o, in.Unit, now, "工单 "+o.Number+" 已撤销贵单位的协办", "Work order "+o.Number+": your unit no longer co-handles it")
	case lifecycle.CohandlerReply:
		cos, err := s.St.OrderCohandlers(ctx, o.ID)
		if err != nil {
			return nil, nil, 0, err
		}
		for i := range cos {
			if cos[i].BodyID == by.UnitID {
				t := now
				cos[i].Part, cos[i].AnsweredAt = strings.TrimSpace(in.Note), &t
				if err := s.St.SaveCohandler(ctx, &cos[i]); err != nil {
					return nil, nil, 0, err
				}
			}
		}
		if err := set(func(d store.Deadline) bool { return d.Stage != stageOf(by.UnitID) }, true); err != nil {
			return nil, nil, 0, err
		}
		zh, en := "工单 "+o.Number+"：协办单位已提交协办意见", "Work order "+o.Number+": a co-handler submitted its part"
		if err := s.notifyUnit(ctx, o, now, zh, en); err != nil {
			return nil, nil, 0, err
		}
		return still, stages, round, s.notifyLiaisons(ctx, o, now, zh, en)
	case lifecycle.Close:
		if err := set(func(d store.Deadline) bool { return !isCo(d) }, true); err != nil {
			return nil, nil, 0, err
		}
		return still, stages, round, s.tellMerged(ctx, o, act, now)
	case lifecycle.Reply:
		return still, stages, round, s.tellMerged(ctx, o, act, now)
	}
	return still, stages, round, nil
}

// tellMerged tells the filers of the orders merged into o that it was answered or closed, each
// of its own order (the main order's words stay with its own filer).
func (s *Service) tellMerged(ctx context.Context, o *store.WorkOrder, act lifecycle.Action, now time.Time) error {
	merged, err := s.St.MergedOrders(ctx, o.ID)
	if err != nil {
		return err
	}
	for i := range merged {
		m := &merged[i]
		if err := s.notifyFiler(ctx, m, now, "order.main_"+string(act), "您的工单 "+m.Number+" 所并入的工单 "+o.Number+" "+actionZh[act],
			"Work order "+o.Number+", which your work order "+m.Number+" was merged into: "+string(act)); err != nil {
			return err
		}
	}
	return nil
}

// removeCohandlers takes unit (0: every one) off the order.
func (s *Service) removeCohandlers(ctx context.Context, orderID uint64, unit uint, now time.Time) error {
	cos, err := s.St.OrderCohandlers(ctx, orderID)
	if err != nil {
		return err
	}
	for i := range cos {
		if unit == 0 || cos[i].BodyID == unit {
			t := now
			cos[i].RemovedAt = &t
			if err := s.St.SaveCohandler(ctx, &cos[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// notifyBody tells a co-handling unit's officers.
func (s *Service) notifyBody(ctx context.Context, o *store.WorkOrder, body uint, now time.Time, zh, en string) error {
	b := body
	return s.notifyUnit(ctx, &store.WorkOrder{ID: o.ID, Number: o.Number, Anonymous: o.Anonymous, UnitBodyID: &b}, now, zh, en)
}

// remindCohandler tells a co-handling unit its part's deadline is near (the liaisons and the lead
// unit are told as for every stage).
func (s *Service) remindCohandler(ctx context.Context, o *store.WorkOrder, d *store.Deadline, now time.Time) error {
	unit, ok := lifecycle.CohandleUnit(d.Stage)
	if !ok {
		return nil
	}
	when := d.DueAt.In(s.calLoc()).Format("01-02 15:04")
	return s.notifyBody(ctx, o, unit, now, "工单 "+o.Number+" 的协办时限将到："+when, "Work order "+o.Number+": your co-handling part is due "+when)
}

// partsOf fills d's merges and co-handlers as by may see them.
func (s *Service) partsOf(ctx context.Context, by account.Actor, o *store.WorkOrder, g lifecycle.Order, d *OrderDetail) error {
	link := func(m *store.WorkOrder) (OrderLink, error) {
		if err := s.St.WithCohandlers(ctx, m); err != nil {
			return OrderLink{}, err
		}
		return OrderLink{ID: s.extID(m), Number: m.Number, Status: lifecycle.Status(m.Status), Visible: account.Can(by, account.ViewOrder, object(m))}, nil
	}
	if o.MergedIntoID != nil {
		main, err := s.St.Order(ctx, *o.MergedIntoID, false)
		if err != nil {
			return err
		}
		l, err := link(main)
		if err != nil {
			return err
		}
		d.MergedInto = &l
	}
	merged, err := s.St.MergedOrders(ctx, o.ID)
	if err != nil {
		return err
	}
	d.MergedCount = len(merged)
	if staff(by) {
		for i := range merged {
			l, err := link(&merged[i])
			if err != nil {
				return err
			}
			d.Merged = append(d.Merged, l)
		}
		if slices.Contains(d.Allowed, lifecycle.Merge) && !o.Anonymous {
			if err := s.duplicates(ctx, by, o, d, link); err != nil {
				return err
			}
		}
	}
	lead := by.Role == account.RoleOfficer && o.UnitBodyID != nil && *o.UnitBodyID == by.BodyID
	if staff(by) || by.Role == account.RoleOfficer {
		cos, err := s.St.OrderCohandlers(ctx, o.ID)
		if err != nil {
			return err
		}
		for _, c := range cos {
			if !staff(by) && !lead && c.BodyID != by.BodyID {
				continue // a co-handler sees its own part, not the others'
			}
			v := CohandlerView{UnitID: c.BodyID, AddedAt: c.AddedAt, AnsweredAt: c.AnsweredAt, Part: c.Part}
			for _, h := range g.CoHandlers {
				if h.Unit == c.BodyID {
					v.DueAt = h.Due
				}
			}
			d.CoHandlers = append(d.CoHandlers, v)
		}
		d.CoPending = lifecycle.CoPending(g, s.Clock.Now()) && o.Status != string(lifecycle.Replied)
	}
	return nil
}

// duplicates suggests the orders o may duplicate, in by's county.
func (s *Service) duplicates(ctx context.Context, by account.Actor, o *store.WorkOrder, d *OrderDetail, link func(*store.WorkOrder) (OrderLink, error)) error {
	days, err := s.St.MergeWindowDays(ctx)
	if err != nil {
		return err
	}
	d.MergeWindowDays = days
	county := ""
	if by.Role == account.RoleLiaison {
		county = by.CountyCode
	}
	cands, err := s.St.DuplicateCandidates(ctx, o, time.Duration(days)*24*time.Hour, county, 20)
	if err != nil {
		return err
	}
	code := strings.ToUpper(strings.TrimSpace(o.InspectionCode))
	for i := range cands {
		c := &cands[i]
		l, err := link(c)
		if err != nil {
			return err
		}
		if !l.Visible {
			continue
		}
		d.Duplicates = append(d.Duplicates, Duplicate{OrderLink: l, SameEnterprise: c.EnterpriseID == o.EnterpriseID,
			SameInspection: code != "" && strings.ToUpper(strings.TrimSpace(c.InspectionCode)) == code})
	}
	return nil
}
