package admin

import (
	"context"
	"fmt"

	"qijian/internal/account"
)

// Overview is what the admin's home page counts.
type Overview struct {
	Users, Bodies, Enterprises int64
	// CalendarGaps are the years without holiday data a deadline or count falls in (warned loudly).
	CalendarGaps []int
}

// Overview counts the logins, bodies and registered enterprises.
func (s *Service) Overview(ctx context.Context, a account.Actor) (Overview, error) {
	if err := allow(a, account.ViewOverview); err != nil {
		return Overview{}, err
	}
	var o Overview
	var err error
	if o.Users, err = s.St.CountUsers(ctx); err != nil {
		return Overview{}, fmt.Errorf("admin: overview: %w", err)
	}
	if o.Bodies, err = s.St.CountBodies(ctx); err != nil {
		return Overview{}, fmt.Errorf("admin: overview: %w", err)
	}
	if o.Enterprises, err = s.St.CountEnterprises(ctx); err != nil {
		return Overview{}, fmt.Errorf("admin: overview: %w", err)
	}
	if s.Cal != nil {
		o.CalendarGaps = CalendarWarnings(s.Cal, s.Clock.Now())
	}
	return o, nil
}
