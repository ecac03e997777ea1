package booking

import (
	"context"
	"errors"
	"slices"
	"time"

	"qijian/internal/account"
	"qijian/internal/booking/slots"
	"qijian/internal/calendar"
	"qijian/internal/store"
)

// Get reads a booking a may see: its enterprise or its provider. Anyone else, admins included,
// is told it does not exist.
func (s *Service) Get(ctx context.Context, a account.Actor, id uint64) (*BookingView, error) {
	b, err := s.visible(ctx, a, id)
	if err != nil {
		return nil, err
	}
	sv, err := s.St.Service(ctx, b.ServiceID)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	v := bookingView(b, sv, a, now)
	if slots.Status(b.Status).Active() {
		for _, r := range s.reminders(b.StartsAt, now) {
			v.Reminders = append(v.Reminders, r.which)
		}
	}
	return v, nil
}

func (s *Service) visible(ctx context.Context, a account.Actor, id uint64) (*store.Booking, error) {
	b, err := s.St.Booking(ctx, id)
	if err != nil {
		return nil, notFound(err)
	}
	if !canView(a, b) {
		return nil, ErrNotFound
	}
	return b, nil
}

// ReportOf reads the report of a booking a may see.
func (s *Service) ReportOf(ctx context.Context, a account.Actor, id uint64) (*ReportView, error) {
	if _, err := s.visible(ctx, a, id); err != nil {
		return nil, err
	}
	r, err := s.St.Report(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoReport
	}
	if err != nil {
		return nil, err
	}
	return reportView(r), nil
}

// Detail is a booking's page: the booking, its report once written, and the slots it may still
// move to.
type Detail struct {
	Booking BookingView
	Report  *ReportView // nil until the provider writes it
	MoveTo  []SlotView  // empty unless the enterprise may still move it
}

// Detail reads what the booking's page shows a.
func (s *Service) Detail(ctx context.Context, a account.Actor, id uint64) (*Detail, error) {
	b, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	d := &Detail{Booking: *b}
	if r, err := s.ReportOf(ctx, a, id); err == nil {
		d.Report = r
	} else if !errors.Is(err, ErrNoReport) {
		return nil, err
	}
	now := s.Clock.Now()
	if slices.Contains(b.Actions, slots.Reschedule) && slots.CanReschedule(now, b.StartsAt) == nil {
		open, err := s.St.OpenSlots(ctx, b.ServiceID, now.Add(slots.ChangeNotice), now.AddDate(0, 0, 28))
		if err != nil {
			return nil, err
		}
		d.MoveTo = slotViews(open)
	}
	return d, nil
}

// ListQuery narrows a's bookings to one Wenzhou day (a provider's day).
type ListQuery struct {
	Date string `query:"date" json:"date" validate:"omitempty,datetime=2006-01-02" doc:"one day, YYYY-MM-DD (Wenzhou time); all when empty"`
}

// List is a's bookings, soonest first: an enterprise's own or a provider's. Other roles have
// none to list and are refused.
func (s *Service) List(ctx context.Context, a account.Actor, q ListQuery) ([]BookingView, error) {
	f := store.BookingFilter{Limit: 500}
	if q.Date != "" {
		d, err := time.ParseInLocation("2006-01-02", q.Date, calendar.Location())
		if err != nil {
			return nil, ErrDate
		}
		day := calendar.DateOf(d)
		f.From, f.To = day.Time(), day.AddDays(1).Time()
	}
	return s.list(ctx, a, f)
}

// list reads the bookings in a's own scope; an empty scope is refused, never "everyone's".
func (s *Service) list(ctx context.Context, a account.Actor, f store.BookingFilter) ([]BookingView, error) {
	sc := account.OwnScopeOf(a, account.ViewBooking)
	if sc.Empty() {
		return nil, ErrForbidden
	}
	f.EnterpriseID, f.ProviderID = sc.EnterpriseID, sc.ProviderID
	list, err := s.St.Bookings(ctx, f)
	if err != nil {
		return nil, err
	}
	names, err := s.servicesOf(ctx, list)
	if err != nil {
		return nil, err
	}
	out := make([]BookingView, len(list))
	now := s.Clock.Now()
	for i := range list {
		out[i] = *bookingView(&list[i], names[list[i].ServiceID], a, now)
	}
	return out, nil
}

// servicesOf reads the services of the bookings, each once.
func (s *Service) servicesOf(ctx context.Context, list []store.Booking) (map[uint]*store.Service, error) {
	out := map[uint]*store.Service{}
	for _, b := range list {
		if _, ok := out[b.ServiceID]; ok {
			continue
		}
		sv, err := s.St.Service(ctx, b.ServiceID)
		if err != nil {
			return nil, err
		}
		out[b.ServiceID] = sv
	}
	return out, nil
}
