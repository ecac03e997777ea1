package admin

import (
	"context"
	"errors"
	"fmt"

	"qijian/internal/account"
	"qijian/internal/errs"
	"qijian/internal/store"
)

// Rule is one row of the routing table, with names instead of ids. An empty Type, CountyName or
// BodyName matches anything.
type Rule struct {
	ID         uint
	Position   int
	Type       string
	County     string
	CountyName string
	BodyName   string // the body reported
	Channel    string
	UnitName   string // the handling unit, if the rule names one
}

// SLA is one stage's allowance for a channel and type ("*": any type).
type SLA struct {
	ID      uint
	Channel string
	Type    string
	Stage   string
	Urgent  bool // a row for urgent orders (紧急)
	Amount  int
	Unit    string // hours or days, of working time
	// Fallback: the channel's row for every type (not urgent), which every order falls back
	// to; it is edited, never removed.
	Fallback bool
}

// Workflow is the routing table in order and the SLA table.
type Workflow struct {
	Rules []Rule
	SLA   []SLA
}

// Workflow reads both tables, named in lang.
func (s *Service) Workflow(ctx context.Context, a account.Actor, lang string) (Workflow, error) {
	if err := allow(a, account.ManageWorkflow); err != nil {
		return Workflow{}, err
	}
	rules, err := s.St.RoutingRules(ctx)
	if err != nil {
		return Workflow{}, fmt.Errorf("admin: workflow: %w", err)
	}
	sla, err := s.St.SLAPolicies(ctx)
	if err != nil {
		return Workflow{}, fmt.Errorf("admin: workflow: %w", err)
	}
	n, err := s.names(ctx, lang)
	if err != nil {
		return Workflow{}, fmt.Errorf("admin: workflow: %w", err)
	}
	body := func(id *uint) string {
		if id == nil {
			return ""
		}
		if name, ok := n.bodies[*id]; ok {
			return name
		}
		return fmt.Sprint(*id) // a body made since the names were read
	}
	w := Workflow{Rules: make([]Rule, len(rules)), SLA: make([]SLA, len(sla))}
	for i, r := range rules {
		w.Rules[i] = Rule{ID: r.ID, Position: r.Position, Type: r.Type, County: r.CountyCode, CountyName: n.counties[r.CountyCode],
			BodyName: body(r.BodyID), Channel: r.Channel, UnitName: body(r.UnitBodyID)}
	}
	for i, p := range sla {
		w.SLA[i] = slaOf(p)
	}
	return w, nil
}

// RuleInput is a new routing rule: orders of Type from County about BodyID go to Channel, and to
// the handling unit UnitID if given. Zero values match anything.
type RuleInput struct {
	Type     string `form:"type" json:"type" validate:"omitempty,oneof=illegal_inspection missing_code conduct appeal consultation help complaint report suggestion"`
	County   string `form:"county" json:"county" validate:"omitempty,county"`
	BodyID   uint   `form:"body_id" json:"body_id"`
	Channel  string `form:"channel" json:"channel" validate:"required,oneof=12345 12348"`
	UnitID   uint   `form:"unit_id" json:"unit_id"`
	Position int    `form:"position" json:"position" validate:"min=0,max=100000"`
}

// AddRule appends a routing rule; in has passed the validator. It answers the rule's id.
func (s *Service) AddRule(ctx context.Context, a account.Actor, in RuleInput) (uint, error) {
	if err := allow(a, account.ManageWorkflow); err != nil {
		return 0, err
	}
	now := s.Clock.Now()
	r := &store.RoutingRule{Type: in.Type, CountyCode: in.County, Channel: in.Channel, Position: in.Position, CreatedAt: now, UpdatedAt: now}
	for _, p := range []struct {
		id    uint
		dst   **uint
		field string
	}{{in.BodyID, &r.BodyID, "body_id"}, {in.UnitID, &r.UnitBodyID, "unit_id"}} {
		if p.id == 0 {
			continue
		}
		if _, err := s.St.Body(ctx, p.id); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return 0, errs.Field(p.field, "err.invalid")
			}
			return 0, fmt.Errorf("admin: add rule: %w", err)
		}
		id := p.id
		*p.dst = &id
	}
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		if err := s.St.AddRoutingRule(ctx, r); err != nil {
			return err
		}
		return s.record(ctx, a, "routing.add", "routing_rule", uint64(r.ID), struct {
			Type    string `json:"type"`
			County  string `json:"county"`
			Channel string `json:"channel"`
		}{r.Type, r.CountyCode, r.Channel})
	})
	if err != nil {
		return 0, fmt.Errorf("admin: add rule: %w", err)
	}
	return r.ID, nil
}

// DeleteRule removes a routing rule.
func (s *Service) DeleteRule(ctx context.Context, a account.Actor, id uint) error {
	if err := allow(a, account.ManageWorkflow); err != nil {
		return err
	}
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		if err := s.St.DeleteRoutingRule(ctx, id); err != nil {
			return err
		}
		return s.record(ctx, a, "routing.delete", "routing_rule", uint64(id), nil)
	})
	if err != nil {
		return notFound("delete rule", err)
	}
	return nil
}

// SLAInput is one stage's new allowance, in working hours or days.
type SLAInput struct {
	Amount int    `form:"amount" json:"amount" validate:"required,min=1,max=365"`
	Unit   string `form:"unit" json:"unit" validate:"required,oneof=hours days"`
}

// SetSLA changes one stage's allowance; in has passed the validator. Deadlines set from now on
// use it; those already set are not moved.
func (s *Service) SetSLA(ctx context.Context, a account.Actor, id uint, in SLAInput) error {
	if err := allow(a, account.ManageWorkflow); err != nil {
		return err
	}
	bad := map[string]string{}
	if in.Amount < 1 || in.Amount > 365 {
		bad["amount"] = "err.invalid"
	}
	if in.Unit != "hours" && in.Unit != "days" {
		bad["unit"] = "err.invalid"
	}
	if len(bad) > 0 {
		return errs.InvalidFields(bad)
	}
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		if err := s.St.SetSLAPolicy(ctx, id, in.Amount, in.Unit); err != nil {
			return err
		}
		return s.record(ctx, a, "sla.set", "sla_policy", uint64(id), struct {
			Amount int    `json:"amount"`
			Unit   string `json:"unit"`
		}{in.Amount, in.Unit})
	})
	if err != nil {
		return notFound("set sla", err)
	}
	return nil
}
