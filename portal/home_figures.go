package portal

import (
	"context"
	"slices"

	"qijian/internal/account"
	"qijian/internal/grievance"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/inspection"
)

// figure is one live number on a home page, with the list it opens.
type figure struct {
	Key, Href string
	N         int
	Alert     bool // a number that wants attention (overdue) when it is not zero
}

// homeFigures are the numbers a home page leads with and its next items.
type homeFigures struct {
	Figures []figure
	Next    []grievance.OrderView // the open orders nearest their deadline
	Soon    []inspection.View     // the inspections coming next, soonest first
	Due     map[uint64]string     // an order's deadline in words
	Late    map[uint64]bool       // an order past its deadline
}

func newHomeFigures() *homeFigures {
	return &homeFigures{Due: map[uint64]string{}, Late: map[uint64]bool{}}
}

// orderFigures counts the open orders in the viewer's scope: open, due today, overdue and at
// risk, each leading to the queue filtered for it; Next holds the five nearest their deadline.
func (s *Server) orderFigures(ctx context.Context, a account.Actor, lang string, h *homeFigures) error {
	all, err := s.svc.Orders.List(ctx, a, grievance.Query{Limit: 500})
	if err != nil {
		return err
	}
	risky, err := s.svc.Orders.List(ctx, a, grievance.Query{AtRisk: true, Limit: 500})
	if err != nil {
		return err
	}
	now := s.svc.Clock.Now()
	today := dayNumber(now.In(shanghai))
	var open, dueToday, late int
	for i := range all {
		o := &all[i]
		if o.Status == lifecycle.Closed || o.Status == lifecycle.Returned || o.Status == lifecycle.Merged {
			continue
		}
		open++
		if o.NextDueAt == nil {
			continue
		}
		switch {
		case o.NextDueAt.Before(now):
			late++
		case dayNumber(o.NextDueAt.In(shanghai)) == today:
			dueToday++
		}
		if len(h.Next) < 5 {
			h.Next = append(h.Next, *o)
			h.Due[o.ID], h.Late[o.ID] = countdown(lang, o.NextDueAt, now)
		}
	}
	h.Figures = append(h.Figures,
		figure{Key: "fig.open", Href: "/complaints", N: open},
		figure{Key: "fig.due_today", Href: "/complaints", N: dueToday},
		figure{Key: "fig.overdue", Href: "/complaints?late=1", N: late, Alert: late > 0},
		figure{Key: "fig.at_risk", Href: "/complaints?at_risk=1", N: len(risky), Alert: len(risky) > 0})
	return nil
}

// inspectionFigures counts the viewer's inspections still to come (and, for an enterprise, the
// notices it has not signed for); Soon holds the next five.
func (s *Server) inspectionFigures(ctx context.Context, a account.Actor, h *homeFigures) error {
	l, err := s.svc.Inspections.List(ctx, a)
	if err != nil {
		return err
	}
	now := s.svc.Clock.Now()
	var upcoming, toSign int
	for _, in := range l.Rows {
		if in.Status == "cancelled" || in.Status == "done" || in.Status == "merged" {
			continue
		}
		if in.NoticeDeliveredAt != nil && in.NoticeAckAt == nil && a.Role == account.RoleEnterprise {
			toSign++
		}
		if !in.ScheduledAt.Before(now) {
			upcoming++
			h.Soon = append(h.Soon, in)
		}
	}
	slices.SortFunc(h.Soon, func(x, y inspection.View) int { return x.ScheduledAt.Compare(y.ScheduledAt) })
	h.Soon = h.Soon[:min(len(h.Soon), 5)]
	if a.Role == account.RoleEnterprise {
		h.Figures = append(h.Figures, figure{Key: "fig.to_sign", Href: "/inspections", N: toSign, Alert: toSign > 0})
	}
	h.Figures = append(h.Figures, figure{Key: "fig.upcoming_inspections", Href: "/inspections", N: upcoming})
	return nil
}
