package portal

import (
	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/grievance"
	"qijian/internal/grievance/lifecycle"
)

// home shows each role its own start page; sections that have no data yet say what will appear.
func (s *Server) home(c *fiber.Ctx) error {
	v := viewerOf(c)
	if v.User == nil {
		return s.render(c, "home_anon", nil)
	}
	ctx, lang, a := c.UserContext(), langOf(c), v.Actor
	p, err := s.svc.SignIn.Profile(ctx, v.Caller, lang)
	if err != nil {
		return err
	}
	if v.User.Role == account.RoleEnterprise && a.Applicant {
		// Until its application is approved the login has no enterprise home: its page is the
		// application's.
		return c.Redirect("/account/application", fiber.StatusSeeOther)
	}
	data := fiber.Map{"Profile": p}
	// Each role's home leads with its live numbers and what comes next.
	h := newHomeFigures()
	switch v.User.Role {
	case account.RoleLiaison:
		if err = s.orderFigures(ctx, a, lang, h); err == nil {
			err = s.clueFigures(ctx, a, h)
		}
	case account.RoleOfficer:
		if err = s.orderFigures(ctx, a, lang, h); err == nil {
			err = s.inspectionFigures(ctx, a, h)
		}
	case account.RoleEnterprise:
		err = s.inspectionFigures(ctx, a, h)
	case account.RoleOperator:
		err = s.callFigures(ctx, a, h)
	}
	if err != nil {
		return err
	}
	data["H"] = h
	switch v.User.Role {
	case account.RoleEnterprise:
		if data["Inspections"], err = s.svc.Inspections.HomeInspections(ctx, a, 5); err != nil {
			return err
		}
		if data["Orders"], err = s.svc.Orders.HomeOrders(ctx, a, 5); err != nil {
			return err
		}
		hb, err := s.svc.Bookings.HomeBookings(ctx, a)
		if err != nil {
			return err
		}
		data["Bookings"] = hb
		mine, err := s.svc.Orders.HomeOrders(ctx, a, 500)
		if err != nil {
			return err
		}
		open := 0
		for _, o := range mine {
			if o.Status != string(lifecycle.Closed) && o.Status != string(lifecycle.Returned) && o.Status != string(lifecycle.Merged) {
				open++
			}
		}
		h.Figures = append(h.Figures, figure{Key: "fig.upcoming_bookings", Href: "/bookings", N: len(hb.Upcoming)},
			figure{Key: "fig.open_complaints", Href: "/complaints", N: open})
	case account.RoleObserver:
		if data["Figures"], err = s.svc.Orders.MemberMonth(ctx, a); err != nil {
			return err
		}
		if data["Orders"], err = s.svc.Orders.List(ctx, a, grievance.Query{Limit: 5}); err != nil {
			return err
		}
	case account.RoleProvider:
		if data["Bookings"], err = s.svc.Bookings.HomeBookings(ctx, a); err != nil {
			return err
		}
	case account.RoleOfficer:
		if data["Joint"], err = s.svc.Inspections.JointRequests(ctx, a); err != nil {
			return err
		}
	case account.RoleAdmin:
		if data["Overview"], err = s.svc.Admin.Overview(ctx, a); err != nil {
			return err
		}
	}
	return s.render(c, "home_"+string(v.User.Role), data)
}
