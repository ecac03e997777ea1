package booking

import (
	"context"
	"strconv"

	"qijian/internal/account"
	"qijian/internal/booking/slots"
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
