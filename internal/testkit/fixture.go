package testkit

import (
	"context"
	"testing"
	"time"

	"qijian/internal/account"
	"qijian/internal/app"
	"qijian/internal/calendar"
	"qijian/internal/clock"
	"qijian/internal/demo"
	"qijian/internal/store"
)

// DemoPassword is every demo account's password in tests.
const DemoPassword = "demo-password-123"

// Monday is 2026-03-02 09:00 in Wenzhou: an ordinary working morning, the fixtures' default now.
var Monday = time.Date(2026, 3, 2, 9, 0, 0, 0, calendar.Location())

// Fixture is a fresh database with the demo data, a fake clock and the use-case services built
// on them, as one process would have them.
type Fixture struct {
	T     testing.TB
	St    *store.Store
	Clock *clock.Fake
	Cal   *calendar.Calendar
	App   *app.Services
}

// NewFixture loads the demo data into a fresh database at now (Monday if zero).
func NewFixture(t testing.TB, now time.Time) *Fixture {
	t.Helper()
	if now.IsZero() {
		now = Monday
	}
	st := Store(t)
	clk := clock.NewFake(now)
	if _, err := demo.Load(context.Background(), st, DemoPassword, clk.Now()); err != nil {
		t.Fatalf("testkit: demo data: %v", err)
	}
	cal := calendar.New()
	return &Fixture{T: t, St: st, Clock: clk, Cal: cal, App: app.New(st, cal, clk, []byte("0123456789abcdef0123456789abcdef"))}
}

// User is the demo login of that name.
func (f *Fixture) User(username string) *account.User {
	f.T.Helper()
	u, err := f.St.UserByUsername(context.Background(), username)
	if err != nil {
		f.T.Fatalf("testkit: user %s: %v", username, err)
	}
	return u
}

// Actor is the policy's view of the demo login of that name.
func (f *Fixture) Actor(username string) account.Actor {
	f.T.Helper()
	a, err := f.St.Actor(context.Background(), f.User(username))
	if err != nil {
		f.T.Fatalf("testkit: actor %s: %v", username, err)
	}
	return a
}
