// Package booking is the use cases of the booking platform (预约平台, seed §2.8 一): publishing
// availability, booking, moving and cancelling, the provider's day with its report, and the
// reminders. Rules live in internal/booking/slots; this package stores and tells.
package booking

import (
	"context"
	"errors"
	"fmt"
	"time"

	"qijian/internal/account"
	"qijian/internal/booking/slots"
	"qijian/internal/calendar"
	"qijian/internal/clock"
	"qijian/internal/store"
)

// TaskRemind is the outbox task of a booking reminder.
const TaskRemind = "booking:remind"

// Horizon is how far ahead slots are opened.
const Horizon = 8 * 7 * 24 * time.Hour

// Service runs the booking use cases.
type Service struct {
	St    *store.Store
	Cal   *calendar.Calendar
	Clock clock.Clock
}

// Errors with their own message on the page.
var (
	ErrNotFound  = errors.New("bookings: not found")
	ErrForbidden = errors.New("bookings: not allowed for this account")
	ErrMode      = errors.New("bookings: the service is not offered this way")
	ErrAddress   = errors.New("bookings: an on-site visit needs an address")
	ErrSameSlot  = errors.New("bookings: that is the booking's own slot")
	ErrNoReport  = errors.New("bookings: no report yet")
)

// Visible says whether a may see b; anyone else is told it does not exist.
func Visible(a account.Actor, b *store.Booking) bool {
	return account.Can(a, account.ViewBooking, account.Object{EnterpriseID: b.EnterpriseID, OwnerUserID: b.ProviderID})
}

// Get reads a booking a may see.
func (s *Service) Get(ctx context.Context, a account.Actor, id uint64) (*store.Booking, error) {
	b, err := s.St.Booking(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !Visible(a, b)) {
		return nil, ErrNotFound
	}
	return b, err
}

// Rule is a weekly slot as a provider enters it.
type Rule struct {
	Weekday  int    `json:"weekday"` // 0 Sunday … 6 Saturday
	Start    string `json:"start"`
	Capacity int    `json:"capacity"`
}

// PublishSchedule replaces a service's weekly schedule and opens its slots for the weeks ahead.
// Only the service's provider (or an admin) may.
func (s *Service) PublishSchedule(ctx context.Context, a account.Actor, serviceID uint, rules []Rule) error {
	return s.St.WithTx(ctx, func(ctx context.Context) error {
		sv, err := s.ownService(ctx, a, serviceID)
		if err != nil {
			return err
		}
		rows := make([]store.AvailabilityRule, 0, len(rules))
		for _, r := range rules {
			if _, _, err := slots.ParseClock(r.Start); err != nil || r.Weekday < 0 || r.Weekday > 6 || r.Capacity < 1 {
				return fmt.Errorf("bookings: rule %+v: %w", r, slots.ErrClosed)
			}
			rows = append(rows, store.AvailabilityRule{Weekday: r.Weekday, Start: r.Start, Capacity: r.Capacity})
		}
		if err := s.St.ReplaceRules(ctx, serviceID, rows); err != nil {
			return err
		}
		return s.openSlots(ctx, sv)
	})
}

// SetException closes a date (or changes its capacity) and updates the slots.
func (s *Service) SetException(ctx context.Context, a account.Actor, serviceID uint, day calendar.Date, closed bool, capacity int) error {
	return s.St.WithTx(ctx, func(ctx context.Context) error {
		sv, err := s.ownService(ctx, a, serviceID)
		if err != nil {
			return err
		}
		if err := s.St.SaveException(ctx, &store.AvailabilityException{ServiceID: serviceID, Day: day.String(), Closed: closed, Capacity: capacity}); err != nil {
			return err
		}
		return s.openSlots(ctx, sv)
	})
}

func (s *Service) ownService(ctx context.Context, a account.Actor, id uint) (*store.Service, error) {
	sv, err := s.St.Service(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if a.Role != account.RoleAdmin && !(a.Role == account.RoleProvider && sv.ProviderID == a.UserID) {
		return nil, ErrNotFound
	}
	return sv, nil
}

// openSlots expands the schedule on the calendar from tomorrow to the horizon and stores it.
func (s *Service) openSlots(ctx context.Context, sv *store.Service) error {
	now := s.Clock.Now()
	rules, err := s.St.Rules(ctx, sv.ID)
	if err != nil {
		return err
	}
	from, to := calendar.DateOf(now), calendar.DateOf(now.Add(Horizon))
	excs, err := s.St.Exceptions(ctx, sv.ID, from.String())
	if err != nil {
		return err
	}
	br := make([]slots.Rule, len(rules))
	for i, r := range rules {
		br[i] = slots.Rule{Weekday: time.Weekday(r.Weekday), Start: r.Start, Minutes: sv.Minutes, Capacity: r.Capacity}
	}
	be := make([]slots.Exception, 0, len(excs))
	for _, e := range excs {
		d, err := time.ParseInLocation("2006-01-02", e.Day, calendar.Location())
		if err != nil {
			continue
		}
		be = append(be, slots.Exception{Day: calendar.DateOf(d), Closed: e.Closed, Capacity: e.Capacity})
	}
	var want []store.Slot
	for _, o := range slots.Expand(br, be, s.Cal, from, to) {
		if o.Start.After(now) {
			want = append(want, store.Slot{StartsAt: o.Start, EndsAt: o.End, Capacity: o.Capacity})
		}
	}
	return s.St.SyncSlots(ctx, sv.ID, sv.ProviderID, now, want)
}

// RefreshAll moves every active service's horizon on; it runs daily.
func (s *Service) RefreshAll(ctx context.Context) error {
	svcs, err := s.St.Services(ctx, false)
	if err != nil {
		return err
	}
	for i := range svcs {
		if err := s.St.WithTx(ctx, func(ctx context.Context) error { return s.openSlots(ctx, &svcs[i]) }); err != nil {
			return fmt.Errorf("bookings: refresh service %d: %w", svcs[i].ID, err)
		}
	}
	return nil
}
