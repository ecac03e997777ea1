// Package app builds every use-case service once, from the store, the working-day calendar, the
// clock and the signing secret: cmd wires the processes with it, and the portal, the workers and
// the tests call the same services.
package app

import (
	"context"
	"fmt"

	"qijian/internal/admin"
	"qijian/internal/booking"
	"qijian/internal/calendar"
	"qijian/internal/clock"
	"qijian/internal/grievance"
	"qijian/internal/inspection"
	"qijian/internal/inspection/actcode"
	"qijian/internal/message"
	"qijian/internal/outreach"
	"qijian/internal/signin"
	"qijian/internal/store"
)

// Services are the use cases of one process.
type Services struct {
	Store    *store.Store
	Calendar *calendar.Calendar
	Clock    clock.Clock

	SignIn      *signin.Service
	Orders      *grievance.Service
	Inspections *inspection.Service
	Bookings    *booking.Service
	Outreach    *outreach.Service
	Inbox       *message.Inbox
	Admin       *admin.Service
}

// New builds the services. cal holds the working-day calendar the process keeps loaded.
func New(st *store.Store, cal *calendar.Calendar, clk clock.Clock, secret []byte) *Services {
	orders := &grievance.Service{St: st, Cal: cal, Clock: clk, Secret: secret}
	codes := actcode.New(secret)
	inspections := &inspection.Service{St: st, Cal: cal, Clock: clk, Codes: codes, Orders: orders}
	orders.Codes = inspections
	return &Services{
		Store: st, Calendar: cal, Clock: clk,
		SignIn:      &signin.Service{St: st, Clock: clk},
		Orders:      orders,
		Inspections: inspections,
		Bookings:    &booking.Service{St: st, Cal: cal, Clock: clk, Secret: secret},
		Outreach:    &outreach.Service{St: st, Clock: clk, Codes: codes},
		Inbox:       &message.Inbox{St: st, Clock: clk},
		Admin:       &admin.Service{St: st, Cal: cal, Clock: clk},
	}
}

// Open is New with the working-day calendar read from the store: official holidays and 调休
// with the administrators' overrides.
func Open(ctx context.Context, st *store.Store, clk clock.Clock, secret []byte) (*Services, error) {
	cal := calendar.New()
	if err := st.LoadCalendar(ctx, cal); err != nil {
		return nil, fmt.Errorf("app: calendar: %w", err)
	}
	return New(st, cal, clk, secret), nil
}
