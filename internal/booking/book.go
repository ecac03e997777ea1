package booking

import (
	"context"
	"errors"
	"strings"
	"time"

	"qijian/internal/message"

	"qijian/internal/account"
	"qijian/internal/booking/slots"
	"qijian/internal/store"
)

// Request is what an enterprise asks for.
type Request struct {
	SlotID  uint64
	Mode    string // online or onsite
	Address string // on-site visits
	Topic   string // what it wants examined
}

// Book takes a seat for a's enterprise. The seat is taken by one conditional update, so of any
// number of concurrent requests for the last seat exactly one wins; the others get ErrFull.
func (s *Service) Book(ctx context.Context, a account.Actor, r Request) (*store.Booking, error) {
	if a.Role != account.RoleEnterprise || a.EnterpriseID == 0 {
		return nil, ErrForbidden
	}
	var b *store.Booking
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		now := s.Clock.Now()
		sl, sv, err := s.slotFor(ctx, r.SlotID, now)
		if err != nil {
			return err
		}
		if err := checkMode(sv, r); err != nil {
			return err
		}
		if err := s.take(ctx, sl, now); err != nil {
			return err
		}
		b = &store.Booking{EnterpriseID: a.EnterpriseID, UserID: a.UserID, ServiceID: sv.ID, ProviderID: sv.ProviderID, SlotID: sl.ID,
			StartsAt: sl.StartsAt, EndsAt: sl.EndsAt, Mode: r.Mode, Address: strings.TrimSpace(r.Address), Topic: strings.TrimSpace(r.Topic),
			Status: string(slots.Booked), CreatedAt: now, UpdatedAt: now}
		if err := s.St.CreateBooking(ctx, b); err != nil {
			return err
		}
		if err := s.tell(ctx, b, now, b.UserID, "booking.new", "预约成功："+sv.NameZh+" "+when(b.StartsAt), "Booked: "+sv.NameEn+" "+when(b.StartsAt)); err != nil {
			return err
		}
		if err := s.tell(ctx, b, now, b.ProviderID, "booking.new", "新预约："+sv.NameZh+" "+when(b.StartsAt), "New booking: "+sv.NameEn+" "+when(b.StartsAt)); err != nil {
			return err
		}
		return s.scheduleReminders(ctx, b, now)
	})
	return b, err
}

func (s *Service) slotFor(ctx context.Context, id uint64, now time.Time) (*store.Slot, *store.Service, error) {
	sl, err := s.St.Slot(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, err
	}
	sv, err := s.St.Service(ctx, sl.ServiceID)
	if err != nil {
		return nil, nil, err
	}
	if !sv.Active {
		return nil, nil, slots.ErrClosed
	}
	return sl, sv, slots.Bookable(now, sl.StartsAt, sl.Closed, sl.Booked, sl.Capacity)
}

// take claims the seat; when it loses a race it says why, from a fresh read.
func (s *Service) take(ctx context.Context, sl *store.Slot, now time.Time) error {
	ok, err := s.St.TakeSeat(ctx, sl.ID, now)
	if err != nil || ok {
		return err
	}
	fresh, err := s.St.Slot(ctx, sl.ID)
	if err != nil {
		return err
	}
	if err := slots.Bookable(now, fresh.StartsAt, fresh.Closed, fresh.Booked, fresh.Capacity); err != nil {
		return err
	}
	return slots.ErrFull
}

func checkMode(sv *store.Service, r Request) error {
	if r.Mode != "online" && r.Mode != "onsite" {
		return ErrMode
	}
	if sv.Mode != "both" && sv.Mode != r.Mode {
		return ErrMode
	}
	if r.Mode == "onsite" && strings.TrimSpace(r.Address) == "" {
		return ErrAddress
	}
	return nil
}

// Reschedule moves a booking to another slot of the same service, until 24 hours before.
func (s *Service) Reschedule(ctx context.Context, a account.Actor, id, slotID uint64) (*store.Booking, error) {
	var b *store.Booking
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		now := s.Clock.Now()
		var err error
		if b, err = s.lockVisible(ctx, a, id); err != nil {
			return err
		}
		if a.Role != account.RoleEnterprise {
			return slots.ErrNotAllowed
		}
		if _, err := slots.Next(slots.Status(b.Status), slots.Reschedule, slots.Enterprise); err != nil {
			return err
		}
		if err := slots.CanReschedule(now, b.StartsAt); err != nil {
			return err
		}
		if slotID == b.SlotID {
			return ErrSameSlot
		}
		sl, sv, err := s.slotFor(ctx, slotID, now)
		if err != nil {
			return err
		}
		if sl.ServiceID != b.ServiceID {
			return ErrNotFound
		}
		if err := s.take(ctx, sl, now); err != nil {
			return err
		}
		if err := s.St.FreeSeat(ctx, b.SlotID); err != nil {
			return err
		}
		b.SlotID, b.StartsAt, b.EndsAt, b.Status, b.UpdatedAt = sl.ID, sl.StartsAt, sl.EndsAt, string(slots.Booked), now
		if err := s.St.UpdateBooking(ctx, b); err != nil {
			return err
		}
		if err := s.tell(ctx, b, now, b.ProviderID, "booking.moved", "预约改期："+sv.NameZh+" "+when(b.StartsAt), "Booking moved: "+sv.NameEn+" "+when(b.StartsAt)); err != nil {
			return err
		}
		return s.scheduleReminders(ctx, b, now)
	})
	return b, err
}

// Cancel gives the seat back; the enterprise or the provider may, before the start.
func (s *Service) Cancel(ctx context.Context, a account.Actor, id uint64) (*store.Booking, error) {
	var b *store.Booking
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		now := s.Clock.Now()
		var err error
		if b, err = s.lockVisible(ctx, a, id); err != nil {
			return err
		}
		next, err := slots.Next(slots.Status(b.Status), slots.Cancel, side(a))
		if err != nil {
			return err
		}
		if err := slots.CanCancel(now, b.StartsAt); err != nil {
			return err
		}
		if err := s.St.FreeSeat(ctx, b.SlotID); err != nil {
			return err
		}
		b.Status, b.UpdatedAt = string(next), now
		if err := s.St.UpdateBooking(ctx, b); err != nil {
			return err
		}
		other := b.ProviderID
		if a.Role == account.RoleProvider {
			other = b.UserID
		}
		return s.tell(ctx, b, now, other, "booking.cancelled", "预约已取消："+b.Number+" "+when(b.StartsAt), "Booking cancelled: "+b.Number+" "+when(b.StartsAt))
	})
	return b, err
}

// Act is the provider's day: confirm, start, no-show.
func (s *Service) Act(ctx context.Context, a account.Actor, id uint64, act slots.Action) (*store.Booking, error) {
	if act == slots.Complete || act == slots.Cancel || act == slots.Reschedule {
		return nil, slots.ErrNotAllowed // each has its own use case
	}
	var b *store.Booking
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		now := s.Clock.Now()
		var err error
		if b, err = s.lockVisible(ctx, a, id); err != nil {
			return err
		}
		next, err := slots.Next(slots.Status(b.Status), act, side(a))
		if err != nil {
			return err
		}
		b.Status, b.UpdatedAt = string(next), now
		if err := s.St.UpdateBooking(ctx, b); err != nil {
			return err
		}
		if act == slots.Confirm {
			return s.tell(ctx, b, now, b.UserID, "booking.confirmed", "服务机构已确认预约 "+b.Number, "The provider confirmed booking "+b.Number)
		}
		return nil
	})
	return b, err
}

// Report is what the provider writes at the end of a check-up.
type Report struct {
	Findings, Advice, FollowUp string
}

// Complete ends an in-progress booking with its report, which only the enterprise and the
// provider will ever read.
func (s *Service) Complete(ctx context.Context, a account.Actor, id uint64, r Report) (*store.Booking, error) {
	var b *store.Booking
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		now := s.Clock.Now()
		var err error
		if b, err = s.lockVisible(ctx, a, id); err != nil {
			return err
		}
		next, err := slots.Next(slots.Status(b.Status), slots.Complete, side(a))
		if err != nil {
			return err
		}
		b.Status, b.UpdatedAt = string(next), now
		if err := s.St.UpdateBooking(ctx, b); err != nil {
			return err
		}
		if err := s.St.SaveReport(ctx, &store.CheckupReport{BookingID: b.ID, Findings: strings.TrimSpace(r.Findings), Advice: strings.TrimSpace(r.Advice), FollowUp: strings.TrimSpace(r.FollowUp), CreatedAt: now}); err != nil {
			return err
		}
		// The message says only that a report exists; its content stays behind the access check.
		return s.tell(ctx, b, now, b.UserID, "booking.report", "体检报告已出具："+b.Number, "Your check-up report is ready: "+b.Number)
	})
	return b, err
}

// ReportOf reads the report of a booking a may see.
func (s *Service) ReportOf(ctx context.Context, a account.Actor, id uint64) (*store.CheckupReport, error) {
	if _, err := s.Get(ctx, a, id); err != nil {
		return nil, err
	}
	r, err := s.St.Report(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrNoReport
	}
	return r, err
}

func (s *Service) lockVisible(ctx context.Context, a account.Actor, id uint64) (*store.Booking, error) {
	b, err := s.St.LockBooking(ctx, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !Visible(a, b)) {
		return nil, ErrNotFound
	}
	return b, err
}

func side(a account.Actor) slots.Side {
	if a.Role == account.RoleProvider {
		return slots.Provider
	}
	if a.Role == account.RoleEnterprise {
		return slots.Enterprise
	}
	return "none"
}

func (s *Service) tell(ctx context.Context, b *store.Booking, now time.Time, userID uint, kind, zh, en string) error {
	return message.Send(ctx, s.St, now, message.Message{UserID: userID, Kind: kind, TitleZh: zh, TitleEn: en, Link: "/bookings/" + itoa(b.ID)})
}

func when(t time.Time) string { return t.In(shanghaiLoc()).Format("2006-01-02 15:04") }
