package grievance

import (
	"context"
	"fmt"

	"qijian/internal/grievance/lifecycle"
	"qijian/internal/store"
)

// FileClue turns a rule violation found by the automatic checks into a clue waiting for a
// liaison's review (status clue, its own review limit, apart from the complaint queue), raised by the system (source system, no filer) for the inspected enterprise,
// in ctx's transaction (ErrNoTx without one). The order's rows are written when that transaction
// commits: its id may be stored, but the order cannot be read back before then.
func (s *Service) FileClue(ctx context.Context, enterpriseID, bodyID uint, rule, evidence, code string) (Filed, error) {
	if !store.InTx(ctx) {
		return Filed{}, ErrNoTx
	}
	now := s.Clock.Now()
	ent, err := s.St.Enterprise(ctx, enterpriseID)
	if err != nil {
		return Filed{}, fmt.Errorf("complaint: clue: %w", err)
	}
	rules, err := s.rules(ctx)
	if err != nil {
		return Filed{}, fmt.Errorf("complaint: clue: %w", err)
	}
	rt := lifecycle.Decide(rules, lifecycle.TypeIllegalInspection, ent.CountyCode, bodyID)
	o := &store.WorkOrder{Type: string(lifecycle.TypeIllegalInspection), Description: "【系统线索】" + evidence, Status: string(lifecycle.Clue),
		Source: string(lifecycle.SourceSystem), Channel: string(rt.Channel), CountyCode: ent.CountyCode, EnterpriseID: ent.ID, InspectionCode: code, CreatedAt: now, UpdatedAt: now}
	if bodyID != 0 {
		b := bodyID
		o.BodyID = &b
	}
	items := []newOrder{{o: o, reasons: []string{rule}, role: "system", unit: rt.Unit}}
	if err := s.plan(ctx, items, now); err != nil {
		return Filed{}, fmt.Errorf("complaint: clue: %w", err)
	}
	if err := s.create(ctx, items, now); err != nil {
		return Filed{}, fmt.Errorf("complaint: clue: %w", err)
	}
	return s.filedOf(o, true), nil
}

// rules is the routing table in the lifecycle's terms.
func (s *Service) rules(ctx context.Context) ([]lifecycle.Rule, error) {
	rows, err := s.St.RoutingRules(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]lifecycle.Rule, len(rows))
	for i, r := range rows {
		out[i] = lifecycle.Rule{Type: lifecycle.Type(r.Type), County: r.CountyCode, Chan: lifecycle.Channel(r.Channel)}
		if r.BodyID != nil {
			out[i].BodyID = *r.BodyID
		}
		if r.UnitBodyID != nil {
			out[i].Unit = *r.UnitBodyID
		}
	}
	return out, nil
}

// WithdrawClue records, in ctx's transaction, that the clue behind a system order no longer
// holds (its facts changed: a rating corrected, the inspection cancelled, a count fallen back
// under the cap): the order's timeline says why, its open deadlines stop (a withdrawn clue is
// not escalated), and the liaison dismisses it after a look (or, once converted, closes it). An order already closed only gets the
// note.
func (s *Service) WithdrawClue(ctx context.Context, orderID uint64, note string) error {
	if !store.InTx(ctx) {
		return ErrNoTx
	}
	o, err := s.St.Order(ctx, orderID, true)
	if err != nil {
		return fmt.Errorf("complaint: withdraw clue: %w", err)
	}
	now := s.Clock.Now()
	if err := s.St.AddOrderEvent(ctx, &store.OrderEvent{OrderID: o.ID, At: now, ActorRole: string(lifecycle.RoleSystem), Action: ActionClueWithdrawn,
		FromStatus: o.Status, ToStatus: o.Status, Level: o.Level, Note: note}); err != nil {
		return fmt.Errorf("complaint: withdraw clue: %w", err)
	}
	open, err := s.St.OpenDeadlines(ctx, o.ID)
	if err != nil {
		return fmt.Errorf("complaint: withdraw clue: %w", err)
	}
	for _, d := range open {
		t := now
		d.MetAt = &t
		if err := s.St.SaveDeadline(ctx, &d); err != nil {
			return fmt.Errorf("complaint: withdraw clue: %w", err)
		}
	}
	o.UpdatedAt = now
	return s.refreshNextDue(ctx, o)
}

// ActionClueWithdrawn is the timeline event of a withdrawn clue.
const ActionClueWithdrawn = "clue_withdrawn"
