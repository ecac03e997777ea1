package booking

import (
	"context"
	"time"

	"qijian/internal/account"
	"qijian/internal/calendar"
	"qijian/internal/store"
)

// CatalogueQuery picks whose menu comes first.
type CatalogueQuery struct {
	Industry string `query:"industry" json:"industry" validate:"omitempty,industry" doc:"an industry code; default: the caller's enterprise's"`
}

// Catalogue is the menu as one enterprise sees it.
type Catalogue struct {
	Industry string // the industry put first; empty: none
	Services []ServiceView
}

// Catalogue lists the active services. With an industry (asked, or else the viewer's
// enterprise's), the services meant for it come first, then those for every industry, and
// other industries' menus are left out.
func (s *Service) Catalogue(ctx context.Context, a account.Actor, q CatalogueQuery) (*Catalogue, error) {
	industry := q.Industry
	if industry == "" && a.Role == account.RoleEnterprise && a.EnterpriseID != 0 {
		e, err := s.St.Enterprise(ctx, a.EnterpriseID)
		if err != nil {
			return nil, err
		}
		industry = e.Industry
	}
	all, err := s.St.Services(ctx, false)
	if err != nil {
		return nil, err
	}
	out := &Catalogue{Industry: industry}
	var forAll []ServiceView
	for i := range all {
		v := serviceView(&all[i])
		switch {
		case industry == "":
			out.Services = append(out.Services, v)
		case len(v.Industries) == 0:
			forAll = append(forAll, v)
		case v.Fits(industry):
			out.Services = append(out.Services, v)
		}
	}
	out.Services = append(out.Services, forAll...)
	return out, nil
}

// WindowQuery is a span of days to show slots for.
type WindowQuery struct {
	From string `query:"from" json:"from" doc:"first day, YYYY-MM-DD (Wenzhou time); default today"`
	Days *int   `query:"days" json:"days" doc:"how many days, 1 to 62; default 14"`
}

// window is the span q asks for: from today (or a later day) for 14 days, at most 62.
func (q WindowQuery) window(now time.Time) (time.Time, time.Time, error) {
	from := now
	if q.From != "" {
		d, err := time.ParseInLocation("2006-01-02", q.From, calendar.Location())
		if err != nil {
			return from, from, ErrFrom
		}
		if d.After(now) {
			from = d
		}
	}
	days := 14
	if q.Days != nil {
		days = *q.Days
	}
	if days < 1 || days > 62 {
		return from, from, ErrDays
	}
	return from, from.AddDate(0, 0, days), nil
}

// Offering is an active service with its free slots over a span of days.
type Offering struct {
	Service  ServiceView
	Slots    []SlotView
	From, To time.Time
	CanBook  bool // the viewer may book (an enterprise)
}

// Days groups the slots by day, for the page.
func (o *Offering) Days() []DaySlots { return ByDay(o.Slots) }

// Offering reads an active service and its free slots in the span q asks for.
func (s *Service) Offering(ctx context.Context, a account.Actor, serviceID uint, q WindowQuery) (*Offering, error) {
	sv, err := s.activeService(ctx, serviceID)
	if err != nil {
		return nil, err
	}
	from, to, err := q.window(s.Clock.Now())
	if err != nil {
		return nil, err
	}
	open, err := s.St.OpenSlots(ctx, sv.ID, from, to)
	if err != nil {
		return nil, err
	}
	return &Offering{Service: serviceView(sv), Slots: slotViews(open), From: from, To: to,
		CanBook: account.Can(a, account.BookService, account.Object{})}, nil
}

func (s *Service) activeService(ctx context.Context, id uint) (*store.Service, error) {
	sv, err := s.St.Service(ctx, id)
	if err != nil {
		return nil, notFound(err)
	}
	if !sv.Active {
		return nil, ErrNotFound
	}
	return sv, nil
}

// SearchQuery finds free slots across every provider.
type SearchQuery struct {
	Kind     string `query:"kind" json:"kind" validate:"omitempty,oneof=checkup risk legal menu"`
	Industry string `query:"industry" json:"industry" validate:"omitempty,industry"`
	WindowQuery
}

// Search finds the earliest free slots of any active service of q's kind that fits q's industry.
func (s *Service) Search(ctx context.Context, q SearchQuery) ([]SlotHit, error) {
	from, _, err := q.window(s.Clock.Now())
	if err != nil {
		return nil, err
	}
	hits, err := s.St.SearchSlots(ctx, q.Kind, q.Industry, from, 50)
	if err != nil {
		return nil, err
	}
	out := make([]SlotHit, len(hits))
	for i := range hits {
		out[i] = SlotHit{SlotView: slotView(&hits[i].Slot), NameZh: hits[i].NameZh, NameEn: hits[i].NameEn, Mode: hits[i].Mode}
	}
	return out, nil
}

// Offer is one slot of a service, as the booking form shows it.
type Offer struct {
	Service ServiceView
	Slot    SlotView
	Mode    string // the form's first choice
}

// Offer reads the slot a booking form is for, and its service.
func (s *Service) Offer(ctx context.Context, slotID uint64) (*Offer, error) {
	sl, err := s.St.Slot(ctx, slotID)
	if err != nil {
		return nil, notFound(err)
	}
	sv, err := s.St.Service(ctx, sl.ServiceID)
	if err != nil {
		return nil, err
	}
	o := &Offer{Service: serviceView(sv), Slot: slotView(sl), Mode: "online"}
	if sv.Mode == "onsite" {
		o.Mode = "onsite"
	}
	return o, nil
}
