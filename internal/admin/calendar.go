package admin

import (
	"context"
	"fmt"
	"strings"

	"qijian/internal/account"
	"qijian/internal/store"
)

// Override is an admin's correction to the official calendar (holidays and 调休 come from the
// library): a local day off, or a day made working.
type Override struct {
	Day     string // YYYY-MM-DD
	Working bool
	Name    string
}

// Overrides lists the overrides by day.
func (s *Service) Overrides(ctx context.Context, a account.Actor) ([]Override, error) {
	if err := allow(a, account.ManageWorkflow); err != nil {
		return nil, err
	}
	rows, err := s.St.CalendarOverrides(ctx)
	if err != nil {
		return nil, fmt.Errorf("admin: overrides: %w", err)
	}
	out := make([]Override, len(rows))
	for i, r := range rows {
		out[i] = Override{Day: r.Day, Working: r.Working, Name: r.Name}
	}
	return out, nil
}

// OverrideInput sets one day's override.
type OverrideInput struct {
	Day     string `form:"day" json:"day" validate:"required,datetime=2006-01-02"`
	Working bool   `form:"working" json:"working"`
	Name    string `form:"name" json:"name" validate:"max=60"`
}

// OverrideDay names the day whose override goes.
type OverrideDay struct {
	Day string `form:"day" json:"day" validate:"required,datetime=2006-01-02"`
}

// SaveOverride sets or replaces one day's override; in has passed the validator. This process
// applies it at once; others pick it up on their periodic reload.
func (s *Service) SaveOverride(ctx context.Context, a account.Actor, in OverrideInput) error {
	if err := allow(a, account.ManageWorkflow); err != nil {
		return err
	}
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		if err := s.St.SaveCalendarOverride(ctx, &store.CalendarOverride{Day: in.Day, Working: in.Working, Name: strings.TrimSpace(in.Name)}); err != nil {
			return err
		}
		return s.record(ctx, a, "calendar.override", "calendar", 0, struct {
			Day     string `json:"day"`
			Working bool   `json:"working"`
		}{in.Day, in.Working})
	})
	if err != nil {
		return fmt.Errorf("admin: save override: %w", err)
	}
	return s.reload(ctx)
}

// DeleteOverride removes one day's override, if there is one, and applies the change at once.
func (s *Service) DeleteOverride(ctx context.Context, a account.Actor, in OverrideDay) error {
	if err := allow(a, account.ManageWorkflow); err != nil {
		return err
	}
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		if err := s.St.DeleteCalendarOverride(ctx, in.Day); err != nil {
			return err
		}
		return s.record(ctx, a, "calendar.override.delete", "calendar", 0, struct {
			Day string `json:"day"`
		}{in.Day})
	})
	if err != nil {
		return fmt.Errorf("admin: delete override: %w", err)
	}
	return s.reload(ctx)
}

// reload puts the stored overrides into this process's calendar.
func (s *Service) reload(ctx context.Context) error {
	if s.Cal == nil {
		return nil
	}
	if err := s.St.LoadCalendar(ctx, s.Cal); err != nil {
		return fmt.Errorf("admin: reload calendar: %w", err)
	}
	return nil
}
