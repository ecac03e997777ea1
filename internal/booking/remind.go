package booking

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"qijian/internal/booking/slots"
	"qijian/internal/calendar"
	"qijian/internal/store"
)

type remindPayload struct {
	BookingID uint64 `json:"booking_id"`
	StartsAt  int64  `json:"starts_at"` // the start it was set for: a moved booking ignores it
	Which     string `json:"which"`     // "day" or "2h"
}

// scheduleReminders sets the two reminders as outbox timers: 1 working day before (same time of
// day) and 2 hours before. A reminder already past is skipped.
func (s *Service) scheduleReminders(ctx context.Context, b *store.Booking, now time.Time) error {
	for _, r := range s.reminders(b.StartsAt, now) {
		if err := s.St.QueueOutbox(ctx, TaskRemind, remindPayload{BookingID: b.ID, StartsAt: b.StartsAt.Unix(), Which: r.which}, now, r.at); err != nil {
			return fmt.Errorf("bookings: reminder: %w", err)
		}
	}
	return nil
}

type reminder struct {
	which string
	at    time.Time
}

// reminders are those of a booking starting at start still to come after now: a booking made
// twenty minutes ahead gets none, one made tomorrow morning only the two-hour one.
func (s *Service) reminders(start, now time.Time) []reminder {
	var out []reminder
	for _, r := range []reminder{{"day", s.Cal.AddWorkingDays(start, -1)}, {"2h", start.Add(-2 * time.Hour)}} {
		if r.at.After(now) {
			out = append(out, r)
		}
	}
	return out
}

// HandleReminder is the outbox effect of a reminder: it tells the enterprise (and the provider,
// two hours before) if the booking still stands at that time.
func (s *Service) HandleReminder(ctx context.Context, row *store.OutboxRow) error {
	var p remindPayload
	if err := json.Unmarshal([]byte(row.Payload), &p); err != nil {
		return fmt.Errorf("bookings: reminder payload %d: %w", row.ID, err)
	}
	b, err := s.St.Booking(ctx, p.BookingID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if !slots.Status(b.Status).Active() || b.StartsAt.Unix() != p.StartsAt {
		return nil
	}
	now := s.Clock.Now()
	zh, en := "预约提醒：明天 "+when(b.StartsAt)+" "+b.Number, "Reminder: booking "+b.Number+" at "+when(b.StartsAt)
	if p.Which == "2h" {
		zh, en = "预约提醒：两小时后 "+when(b.StartsAt)+" "+b.Number, "Reminder: booking "+b.Number+" in two hours, "+when(b.StartsAt)
		if err := s.tell(ctx, b, now, b.ProviderID, "booking.remind", zh, en); err != nil {
			return err
		}
	} else if !calendar.DateOf(b.StartsAt).AddDays(-1).Time().Equal(calendar.DateOf(now).Time()) {
		zh = "预约提醒：" + when(b.StartsAt) + " " + b.Number // the working day before is not always "tomorrow"
	}
	return s.tell(ctx, b, now, b.UserID, "booking.remind", zh, en)
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

func shanghaiLoc() *time.Location { return calendar.Location() }
