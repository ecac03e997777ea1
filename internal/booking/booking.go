// Package booking is the use cases of the booking platform (预约平台, seed §2.8 一): the service
// catalogue, publishing availability, booking, moving and cancelling, the provider's day with its
// report, calendar files and the reminders. Rules live in internal/booking/slots; this package
// stores, tells, and answers with views of its own (views.go), never store rows.
package booking

import (
	"errors"
	"time"

	"qijian/internal/account"
	"qijian/internal/booking/slots"
	"qijian/internal/calendar"
	"qijian/internal/clock"
	"qijian/internal/errs"
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
	// Secret keys the private calendar feeds' addresses (feed.go).
	Secret []byte
}

// Refusals, each with its own code and words; the slot rules' own are in slots (ErrFull …).
var (
	ErrNotFound  = errs.New(errs.NotFound, "not_found", "err.not_found")
	ErrForbidden = errs.New(errs.Forbidden, "forbidden", "err.forbidden")
	ErrMode      = errs.Field("mode", "booking.err.mode")    // the service is not offered this way
	ErrAddress   = errs.Field("address", "err.required")     // an on-site visit needs an address
	ErrSameSlot  = errs.Field("slot_id", "booking.err.same") // that is the booking's own slot
	ErrProvider  = errs.Field("provider_id", "err.invalid")  // not a provider's login
	ErrCodeTaken = errs.Field("code", "err.taken")           // another service has the code
	ErrNoReport  = errs.New(errs.NotFound, "no_report", "booking.err.no_report")
	// ErrHeld: the enterprise already holds an active booking of that slot (a database rule).
	ErrHeld = errs.New(errs.Conflict, "slot_held", "booking.err.held")
	ErrDate = errs.Field("date", "err.invalid") // not YYYY-MM-DD
	ErrFrom = errs.Field("from", "err.invalid") // not YYYY-MM-DD
	ErrDays = errs.Field("days", "err.invalid") // outside 1..62
)

// canView says whether a may see b; anyone else is told it does not exist.
func canView(a account.Actor, b *store.Booking) bool {
	return account.Can(a, account.ViewBooking, account.Object{EnterpriseID: b.EnterpriseID, OwnerUserID: b.ProviderID})
}

// notFound turns the store's not-found into the package's own, and keeps any other error.
func notFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return ErrNotFound
	}
	return err
}

// side is where a stands in a booking's life.
func side(a account.Actor) slots.Side {
	switch a.Role {
	case account.RoleProvider:
		return slots.Provider
	case account.RoleEnterprise:
		return slots.Enterprise
	}
	return "none"
}
