package booking

import (
	"context"
	"strconv"

	"qijian/internal/account"
	"qijian/internal/booking/slots"
	"qijian/internal/store"
)

// CalendarFile is a booking a may see as an iCalendar file: its name and text. base is the
// portal's address, for the link back to the booking.
func (s *Service) CalendarFile(ctx context.Context, a account.Actor, id uint64, base string) (string, string, error) {
	b, err := s.Get(ctx, a, id)
	if err != nil {
		return "", "", err
	}
	return b.Number + ".ics", slots.ICS("企检预约 "+b.Number, events([]BookingView{*b}, base)), nil
}

// Feed is a person's private calendar: the bookings of their enterprise or provider login from
// three months back. Calendar apps fetch it without a session, so the portal checks the feed's
// token first; a disabled login or a role without bookings has no feed.
func (s *Service) Feed(ctx context.Context, userID uint, base string) (string, error) {
	u, err := s.St.User(ctx, userID)
	if err != nil {
		return "", notFound(err)
	}
	if u.Disabled {
		return "", ErrNotFound
	}
	a, err := s.St.Actor(ctx, u)
	if err != nil {
		return "", err
	}
	if account.OwnScopeOf(a, account.ViewBooking).Empty() {
		return "", ErrNotFound
	}
	list, err := s.list(ctx, a, store.BookingFilter{From: s.Clock.Now().AddDate(0, -3, 0), Limit: 1000})
	if err != nil {
		return "", err
	}
	return slots.ICS("企检预约", events(list, base)), nil
}

func events(list []BookingView, base string) []slots.Event {
	out := make([]slots.Event, len(list))
	for i, b := range list {
		summary := b.Number
		if b.ServiceZh != "" {
			summary = b.ServiceZh + " " + b.Number
		}
		loc := "线上 online"
		if b.Mode == "onsite" {
			loc = b.Address
		}
		id := strconv.FormatUint(b.ID, 10)
		out[i] = slots.Event{UID: "booking-" + id + "@qijian", Start: b.StartsAt, End: b.EndsAt, Summary: summary, Location: loc,
			Description: b.Topic, URL: base + "/bookings/" + id, Cancelled: b.Status == slots.Cancelled, Stamp: b.UpdatedAt}
	}
	return out
}
