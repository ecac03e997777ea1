package booking

import (
	"context"
	"fmt"
	"time"

	"qijian/internal/account"
	"qijian/internal/booking/slots"
	"qijian/internal/calendar"
	"qijian/internal/store"
)

// HomeBooking is one booking on a home page.
type HomeBooking struct {
	ID       uint64
	Number   string
	StartsAt time.Time
	Status   string
}

// HomeBookings are the bookings a home page shows: a provider's today and what comes next, or an
// enterprise's upcoming ones (in Upcoming).
type HomeBookings struct {
	Today    []HomeBooking
	Upcoming []HomeBooking
}

// HomeBookings reads the caller's own bookings for its home page: an enterprise its next 5, a
// provider today's and the next 10 after today. Any other caller gets none.
func (s *Service) HomeBookings(ctx context.Context, a account.Actor) (HomeBookings, error) {
	if a.UserID == 0 {
		return HomeBookings{}, nil
	}
	now := s.Clock.Now()
	// What comes next is what still holds its seat: a finished, cancelled or missed booking is
	// not upcoming, whatever its time.
	active := []string{string(slots.Booked), string(slots.Confirmed), string(slots.InProgress)}
	var h HomeBookings
	var err error
	switch {
	case a.Role == account.RoleEnterprise && a.EnterpriseID != 0:
		h.Upcoming, err = s.homeList(ctx, store.BookingFilter{EnterpriseID: a.EnterpriseID, From: now, Statuses: active, Limit: 5})
	case a.Role == account.RoleProvider:
		loc := calendar.Location()
		local := now.In(loc)
		day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
		h.Today, err = s.homeList(ctx, store.BookingFilter{ProviderID: a.UserID, From: day, To: day.AddDate(0, 0, 1)})
		if err == nil {
			h.Upcoming, err = s.homeList(ctx, store.BookingFilter{ProviderID: a.UserID, From: day.AddDate(0, 0, 1), Statuses: active, Limit: 10})
		}
	}
	if err != nil {
		return HomeBookings{}, fmt.Errorf("booking: home: %w", err)
	}
	return h, nil
}

func (s *Service) homeList(ctx context.Context, f store.BookingFilter) ([]HomeBooking, error) {
	rows, err := s.St.Bookings(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]HomeBooking, len(rows))
	for i, b := range rows {
		out[i] = HomeBooking{ID: b.ID, Number: b.Number, StartsAt: b.StartsAt, Status: b.Status}
	}
	return out, nil
}
