package admin

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"qijian/internal/account"
	"qijian/internal/errs"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/store"
)

// The time-limits table (issue 19 item 7) is channel × matter type × urgent × stage: besides
// editing a row, an admin adds one (a type's own limit, or an urgent one) and removes it again;
// the channel's fallback rows (every type, not urgent) stay.

func slaOf(p store.SLAPolicy) SLA {
	return SLA{ID: p.ID, Channel: p.Channel, Type: p.Type, Stage: p.Stage, Urgent: p.Urgent, Amount: p.Amount, Unit: p.Unit,
		Fallback: p.Type == string(lifecycle.AnyType) && !p.Urgent}
}

// NewSLAInput is a new row of the time-limits table: its allowance in working hours or days for
// one stage of orders of a channel and matter type ("*": every type), urgent or not.
type NewSLAInput struct {
	Channel string `form:"channel" json:"channel" validate:"required,oneof=12345 12348"`
	Type    string `form:"type" json:"type" validate:"required,oneof=* illegal_inspection missing_code conduct appeal consultation help complaint report suggestion" doc:"a matter type, or * for every type"`
	Stage   string `form:"stage" json:"stage" validate:"required,oneof=accept dispatch sign reply resolve info review"`
	Urgent  bool   `form:"urgent" json:"urgent" doc:"the row holds for urgent orders (紧急) only"`
	Amount  int    `form:"amount" json:"amount" validate:"required,min=1,max=365"`
	Unit    string `form:"unit" json:"unit" validate:"required,oneof=hours days"`
}

// AddSLA adds a row to the time-limits table and answers it; the same channel, type, stage and
// urgency twice is a conflict naming the stage. Deadlines set from now on use it.
func (s *Service) AddSLA(ctx context.Context, a account.Actor, in NewSLAInput) (SLA, error) {
	if err := allow(a, account.ManageWorkflow); err != nil {
		return SLA{}, err
	}
	bad := map[string]string{}
	if in.Channel != string(lifecycle.Channel12345) && in.Channel != string(lifecycle.Channel12348) {
		bad["channel"] = "err.invalid"
	}
	if in.Type != string(lifecycle.AnyType) && !lifecycle.ValidType(in.Type) {
		bad["type"] = "err.invalid"
	}
	if !slices.Contains(lifecycle.Stages, lifecycle.Stage(in.Stage)) {
		bad["stage"] = "err.invalid"
	}
	if in.Amount < 1 || in.Amount > 365 {
		bad["amount"] = "err.invalid"
	}
	if in.Unit != "hours" && in.Unit != "days" {
		bad["unit"] = "err.invalid"
	}
	if len(bad) > 0 {
		return SLA{}, errs.InvalidFields(bad)
	}
	rows, err := s.St.SLAPolicies(ctx)
	if err != nil {
		return SLA{}, fmt.Errorf("admin: add sla: %w", err)
	}
	if slices.ContainsFunc(rows, func(r store.SLAPolicy) bool {
		return r.Channel == in.Channel && r.Type == in.Type && r.Stage == in.Stage && r.Urgent == in.Urgent
	}) {
		return SLA{}, ErrSLAExists
	}
	p := &store.SLAPolicy{Channel: in.Channel, Type: in.Type, Stage: in.Stage, Urgent: in.Urgent, Amount: in.Amount, Unit: in.Unit}
	err = s.St.WithTx(ctx, func(ctx context.Context) error {
		if err := s.St.AddSLAPolicy(ctx, p); err != nil {
			return err
		}
		return s.record(ctx, a, "sla.add", "sla_policy", uint64(p.ID), in)
	})
	if errors.Is(err, store.ErrConflict) {
		return SLA{}, ErrSLAExists // added by another admin meanwhile
	}
	if err != nil {
		return SLA{}, fmt.Errorf("admin: add sla: %w", err)
	}
	return slaOf(*p), nil
}

// ErrSLAExists answers a second row of the same channel, type, stage and urgency.
var ErrSLAExists = &errs.Error{Kind: errs.Conflict, Code: "sla_exists", Key: "limits.err.exists", Fields: map[string]string{"stage": "limits.err.exists"}}

// ErrSLAFallback answers removing a channel's fallback row, which every order falls back to.
var ErrSLAFallback = errs.New(errs.Conflict, "sla_fallback", "limits.err.fallback")

// DeleteSLA removes a row of the time-limits table (not a channel's fallback row).
func (s *Service) DeleteSLA(ctx context.Context, a account.Actor, id uint) error {
	if err := allow(a, account.ManageWorkflow); err != nil {
		return err
	}
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		p, err := s.St.SLAPolicyByID(ctx, id)
		if err != nil {
			return err
		}
		if slaOf(p).Fallback {
			return ErrSLAFallback
		}
		if err := s.St.DeleteSLAPolicy(ctx, id); err != nil {
			return err
		}
		return s.record(ctx, a, "sla.delete", "sla_policy", uint64(id), nil)
	})
	if errors.Is(err, ErrSLAFallback) {
		return fmt.Errorf("admin: delete sla: %w", err)
	}
	if err != nil {
		return notFound("delete sla", err)
	}
	return nil
}
