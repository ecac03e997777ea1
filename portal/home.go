package portal

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/store"
)

// home shows each role its own start page; sections that have no data yet say what will appear.
func (s *Server) home(c *fiber.Ctx) error {
	v := viewerOf(c)
	ctx := c.UserContext()
	data := fiber.Map{}
	if v.User == nil {
		return s.render(c, "home_anon", data)
	}
	counties, err := s.Store.Counties(ctx)
	if err != nil {
		return err
	}
	countyName := func(code string) string {
		for _, k := range counties {
			if k.Code == code {
				if langOf(c) == "en" {
					return k.NameEn
				}
				return k.NameZh
			}
		}
		return ""
	}
	switch v.User.Role {
	case account.RoleEnterprise:
		e, err := s.Store.Enterprise(ctx, v.Actor.EnterpriseID)
		if err != nil {
			return err
		}
		if !account.Can(v.Actor, account.ViewEnterprise, account.Object{EnterpriseID: e.ID, CountyCode: e.CountyCode}) {
			return errNotFound
		}
		data["Enterprise"] = e
		list, err := s.Store.Inspections(ctx, store.InspectionFilter{EnterpriseID: e.ID, Limit: 5})
		if err != nil {
			return err
		}
		data["Inspections"] = list
		data["County"] = countyName(e.CountyCode)
		data["Industry"] = industryName(e.Industry, langOf(c))
		orders, err := s.Store.Orders(ctx, store.OrderFilter{EnterpriseID: e.ID, Now: s.Clock.Now(), Limit: 5})
		if err != nil {
			return err
		}
		upcoming, err := s.Store.Bookings(ctx, store.BookingFilter{EnterpriseID: e.ID, From: s.Clock.Now(), Limit: 5})
		if err != nil {
			return err
		}
		data["Orders"], data["Bookings"] = orders, upcoming
	case account.RoleObserver:
		var members []*account.Enterprise
		for _, id := range v.Actor.Members {
			e, err := s.Store.Enterprise(ctx, id)
			if err != nil {
				return err
			}
			members = append(members, e)
		}
		data["Members"] = members
		// This month's figures for the members (Wenzhou time).
		now := s.Clock.Now().In(shanghai)
		from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, shanghai)
		figs, err := s.Store.MonthlyFigures(ctx, v.Actor.Members, from, from.AddDate(0, 1, 0))
		if err != nil {
			return err
		}
		byID := map[uint]store.MemberFigures{}
		for _, f := range figs {
			byID[f.EnterpriseID] = f
		}
		data["Figures"], data["Month"] = byID, from.Format("2006-01")
	case account.RoleLiaison:
		data["Scope"] = countyName(v.User.CountyCode)
	case account.RoleProvider:
		now := s.Clock.Now().In(shanghai)
		day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, shanghai)
		today, err := s.Store.Bookings(ctx, store.BookingFilter{ProviderID: v.User.ID, From: day, To: day.AddDate(0, 0, 1)})
		if err != nil {
			return err
		}
		next, err := s.Store.Bookings(ctx, store.BookingFilter{ProviderID: v.User.ID, From: day.AddDate(0, 0, 1), Limit: 10})
		if err != nil {
			return err
		}
		data["Today"], data["Upcoming"] = today, next
	case account.RoleOfficer:
		if v.User.BodyID != nil {
			b, err := s.Store.Body(ctx, *v.User.BodyID)
			if err != nil {
				return err
			}
			data["Body"] = b
		}
	case account.RoleAdmin:
		users, err := s.Store.Users(ctx)
		if err != nil {
			return err
		}
		bodies, err := s.Store.Bodies(ctx)
		if err != nil {
			return err
		}
		n, err := s.Store.CountEnterprises(ctx)
		if err != nil {
			return err
		}
		data["Users"], data["Bodies"], data["Enterprises"] = len(users), len(bodies), n
	}
	return s.render(c, "home_"+string(v.User.Role), data)
}

func industryName(code, lang string) string {
	for _, i := range account.Industries {
		if i.Code == code {
			if lang == "en" {
				return i.En
			}
			return i.Zh
		}
	}
	return code
}
