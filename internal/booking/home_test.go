package booking_test

import (
	"context"
	"testing"
	"time"

	"qijian/internal/account"
	"qijian/internal/booking"
	"qijian/internal/testkit"
)

func TestHomeBookingsAreTheCallersOwn(t *testing.T) {
	t.Parallel()
	f := testkit.NewFixture(t, testkit.Monday)
	ctx := context.Background()
	at := func(day, hour int) uint64 {
		var id uint64
		err := f.St.Gorm().Table("slots").Joins("JOIN services ON services.id = slots.service_id").
			Where("services.code = ? AND slots.starts_at = ?", "checkup", time.Date(2026, 3, day, hour, 0, 0, 0, loc)).Pluck("slots.id", &id).Error
		if err != nil || id == 0 {
			t.Fatalf("no check-up slot on 03-%02d %02d:00: %v", day, hour, err)
		}
		return id
	}
	ent := f.Actor("ent-a")
	today, err := f.App.Bookings.Book(ctx, ent, booking.BookInput{SlotID: at(2, 14), Mode: "online"})
	if err != nil {
		t.Fatal(err)
	}
	later, err := f.App.Bookings.Book(ctx, ent, booking.BookInput{SlotID: at(4, 9), Mode: "online"})
	if err != nil {
		t.Fatal(err)
	}
	h, err := f.App.Bookings.HomeBookings(ctx, ent)
	if err != nil || len(h.Today) != 0 || len(h.Upcoming) != 2 || h.Upcoming[0].ID != today.ID || h.Upcoming[1].Number != later.Number {
		t.Fatalf("ent-a's home: %+v %v", h, err)
	}
	h, err = f.App.Bookings.HomeBookings(ctx, f.Actor("provider-1"))
	if err != nil || len(h.Today) != 1 || h.Today[0].ID != today.ID || len(h.Upcoming) != 1 || h.Upcoming[0].ID != later.ID {
		t.Fatalf("provider's home: %+v %v", h, err)
	}
	for _, a := range []account.Actor{f.Actor("ent-b"), f.Actor("admin"), f.Actor("officer-scj"), {UserID: ent.UserID, Role: account.RoleEnterprise}, {}} {
		if h, err := f.App.Bookings.HomeBookings(ctx, a); err != nil || len(h.Today)+len(h.Upcoming) != 0 {
			t.Errorf("%s %+v: %+v %v", a.Role, a, h, err)
		}
	}
}
