package grievance

import (
	"context"
	"fmt"

	"qijian/internal/grievance/lifecycle"
	"qijian/internal/store"
)

// FileClue turns a rule violation found by the automatic checks into a work order in the
// liaisons' queue, raised by the system (source system, no filer) for the inspected enterprise,
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
	o := &store.WorkOrder{Type: string(lifecycle.TypeIllegalInspection), Description: "【系统线索】" + evidence, Status: string(lifecycle.Submitted),
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
