package grievance

import (
	"context"
	"fmt"
	"time"

	"qijian/internal/account"
	"qijian/internal/calendar"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/store"
)

// HomeOrder is one order on an enterprise's home page.
type HomeOrder struct {
	ID     uint64
	Number string
	Status string
	Source lifecycle.Source // who raised it: the enterprise itself, an observation point for it, or the checks
}

// HomeOrders lists an enterprise login's own orders, nearest deadline first, for its home page.
// Any other caller gets none: the list never widens to everyone's orders.
func (s *Service) HomeOrders(ctx context.Context, a account.Actor, limit int) ([]HomeOrder, error) {
	if a.Role != account.RoleEnterprise || a.EnterpriseID == 0 || a.UserID == 0 {
		return nil, nil
	}
	rows, err := s.St.Orders(ctx, store.OrderFilter{EnterpriseID: a.EnterpriseID, Now: s.Clock.Now(), Limit: limit})
	if err != nil {
		return nil, fmt.Errorf("grievance: home orders: %w", err)
	}
	out := make([]HomeOrder, len(rows))
	for i, o := range rows {
		out[i] = HomeOrder{ID: s.extID(&o), Number: o.Number, Status: o.Status, Source: lifecycle.Source(o.Source)}
	}
	return out, nil
}

// MemberFigures are one member enterprise's counts for the month: the orders filed about it (and
// how many are still open) and the inspections it was scheduled for.
type MemberFigures struct {
	EnterpriseID uint
	Name         string
	Orders       int64
	OrdersOpen   int64
	Inspections  int64
}

// MemberMonth is an observation point's view of its members this month.
type MemberMonth struct {
	Month   string // YYYY-MM, Wenzhou time
	Members []MemberFigures
}

// MemberMonth counts this month's figures for the enterprises that consented to an observation
// point. Any other caller, and an observation point without members, gets none.
func (s *Service) MemberMonth(ctx context.Context, a account.Actor) (MemberMonth, error) {
	loc := calendar.Location()
	now := s.Clock.Now().In(loc)
	from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
	m := MemberMonth{Month: from.Format("2006-01")}
	if a.Role != account.RoleObserver || a.UserID == 0 || len(a.Members) == 0 {
		return m, nil
	}
	names, err := s.St.EnterpriseNames(ctx, a.Members)
	if err != nil {
		return MemberMonth{}, fmt.Errorf("grievance: member month: %w", err)
	}
	figs, err := s.St.MonthlyFigures(ctx, a.Members, from, from.AddDate(0, 1, 0))
	if err != nil {
		return MemberMonth{}, fmt.Errorf("grievance: member month: %w", err)
	}
	for _, f := range figs {
		m.Members = append(m.Members, MemberFigures{EnterpriseID: f.EnterpriseID, Name: names[f.EnterpriseID], Orders: f.Orders, OrdersOpen: f.OrdersOpen, Inspections: f.Inspections})
	}
	return m, nil
}
