package booking

import (
	"context"
	"errors"
	"strings"
	"time"

	"qijian/internal/account"
	"qijian/internal/booking/slots"
	"qijian/internal/idem"
	"qijian/internal/message"
	"qijian/internal/store"
)

// BookInput is what an enterprise asks for, by the API or the booking form.
type BookInput struct {
	SlotID  uint64 `json:"slot_id" form:"slot_id" validate:"required"`
	Mode    string `json:"mode" form:"mode" validate:"required,oneof=online onsite"`
	Address string `json:"address" form:"address" validate:"max=200" doc:"needed for an on-site visit"`
	Topic   string `json:"topic" form:"topic" validate:"max=2000" doc:"what the enterprise wants examined"`
}

// Normalize trims what people type.
func (in *BookInput) Normalize() {
	in.Address, in.Topic = strings.TrimSpace(in.Address), strings.TrimSpace(in.Topic)
}

// Book takes a seat for a's enterprise. The seat is taken by one conditional update, so of any
// number of concurrent requests for the last seat exactly one wins; the others get ErrFull.
func (s *Service) Book(ctx context.Context, a account.Actor, in BookInput) (*BookingView, error) {
	if !account.Can(a, account.BookService, account.Object{}) {
		return nil, ErrForbidden
	}
	in.Normalize()
	var out *BookingView
	var replay uint64
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		now := s.Clock.Now()
		claim, err := idem.Take(ctx, s.St, a.UserID, "booking", in, now)
		if err != nil || claim.Prior != 0 {
			replay = claim.Prior
			return err
		}
		sl, sv, err := s.slotFor(ctx, in.SlotID, now)
		if err != nil {
			return err
		}
		if err := checkMode(sv, in); err != nil {
			return err
		}
		if err := s.take(ctx, sl, now); err != nil {
			return err
		}
		b := &store.Booking{EnterpriseID: a.EnterpriseID, UserID: a.UserID, ServiceID: sv.ID, ProviderID: sv.ProviderID, SlotID: sl.ID,
			StartsAt: sl.StartsAt, EndsAt: sl.EndsAt, Mode: in.Mode, Address: in.Address, Topic: in.Topic,
			Status: string(slots.Booked), CreatedAt: now, UpdatedAt: now}
		if err := s.St.CreateBooking(ctx, b); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return ErrHeld
			}
			return err
		}
		if err := claim.Made(ctx, b.ID); err != nil {
			return err
		}
		out = bookingView(b, sv, a, now)
		return s.announce(ctx, b, now, "booking.new",
			note{b.UserID, "预约成功：" + sv.NameZh + " " + when(b.StartsAt), "Booked: " + sv.NameEn + " " + when(b.StartsAt)},
			note{b.ProviderID, "新预约：" + sv.NameZh + " " + when(b.StartsAt), "New booking: " + sv.NameEn + " " + when(b.StartsAt)})
	})
	if err == nil && replay != 0 {
		return s.Get(ctx, a, replay)
	}
	return out, err
}

func (s *Service) slotFor(ctx context.Context, id uint64, now time.Time) (*store.Slot, *store.Service, error) {
	sl, err := s.St.Slot(ctx, id)
	if err != nil {
		return nil, nil, notFound(err)
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

func checkMode(sv *store.Service, in BookInput) error {
	if in.Mode != "online" && in.Mode != "onsite" {
		return ErrMode
	}
	if sv.Mode != "both" && sv.Mode != in.Mode {
		return ErrMode
	}
	if in.Mode == "onsite" && in.Address == "" {
		return ErrAddress
	}
	return nil
}

// MoveInput names the slot a booking moves to.
type MoveInput struct {
	SlotID uint64 `json:"slot_id" form:"slot_id" validate:"required"`
}

// Reschedule moves a booking to another slot of the same service, until 24 hours before.
func (s *Service) Reschedule(ctx context.Context, a account.Actor, id uint64, in MoveInput) (*BookingView, error) {
	return s.change(ctx, a, id, func(ctx context.Context, b *store.Booking, now time.Time) error {
		if _, err := slots.Next(slots.Status(b.Status), slots.Reschedule, side(a)); err != nil {
			return err
		}
		if err := slots.CanReschedule(now, b.StartsAt); err != nil {
			return err
		}
		if in.SlotID == b.SlotID {
			return ErrSameSlot
		}
		sl, sv, err := s.slotFor(ctx, in.SlotID, now)
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
		b.SlotID, b.StartsAt, b.EndsAt, b.Status = sl.ID, sl.StartsAt, sl.EndsAt, string(slots.Booked)
		return s.announce(ctx, b, now, "booking.moved",
			note{b.ProviderID, "预约改期：" + sv.NameZh + " " + when(b.StartsAt), "Booking moved: " + sv.NameEn + " " + when(b.StartsAt)})
	})
}

// Cancel gives the seat back; the enterprise or the provider may, before the start.
func (s *Service) Cancel(ctx context.Context, a account.Actor, id uint64) (*BookingView, error) {
	return s.change(ctx, a, id, func(ctx context.Context, b *store.Booking, now time.Time) error {
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
		b.Status = string(next)
		other := b.ProviderID
		if a.Role == account.RoleProvider {
			other = b.UserID
		}
		return s.tell(ctx, b, now, other, "booking.cancelled", "预约已取消："+b.Number+" "+when(b.StartsAt), "Booking cancelled: "+b.Number+" "+when(b.StartsAt))
	})
}

// ActInput is one move of the provider's day.
type ActInput struct {
	Action string `json:"action" form:"action" validate:"required,oneof=confirm start no_show"`
}

// Act is the provider's day: confirm, start, no-show. Completing, cancelling and moving have
// their own use cases.
func (s *Service) Act(ctx context.Context, a account.Actor, id uint64, in ActInput) (*BookingView, error) {
	act := slots.Action(in.Action)
	if act != slots.Confirm && act != slots.Start && act != slots.MarkNoShow {
		return nil, slots.ErrNotAllowed
	}
	return s.change(ctx, a, id, func(ctx context.Context, b *store.Booking, now time.Time) error {
		next, err := slots.Next(slots.Status(b.Status), act, side(a))
		if err != nil {
			return err
		}
		if err := slots.Timely(act, b.StartsAt, now); err != nil {
			return err
		}
		b.Status = string(next)
		if act == slots.Confirm {
			return s.tell(ctx, b, now, b.UserID, "booking.confirmed", "服务机构已确认预约 "+b.Number, "The provider confirmed booking "+b.Number)
		}
		return nil
	})
}

// ReportInput is what the provider writes at the end of a check-up.
type ReportInput struct {
	Findings string `json:"findings" form:"findings" validate:"required,max=10000"`
	Advice   string `json:"advice" form:"advice" validate:"required,max=10000"`
	FollowUp string `json:"follow_up" form:"follow_up" validate:"max=2000"`
}

// Normalize trims what people type.
func (in *ReportInput) Normalize() {
	in.Findings, in.Advice, in.FollowUp = strings.TrimSpace(in.Findings), strings.TrimSpace(in.Advice), strings.TrimSpace(in.FollowUp)
}

// Complete ends an in-progress booking with its report, which only the enterprise and the
// provider will ever read.
func (s *Service) Complete(ctx context.Context, a account.Actor, id uint64, in ReportInput) (*BookingView, error) {
	in.Normalize()
	return s.change(ctx, a, id, func(ctx context.Context, b *store.Booking, now time.Time) error {
		next, err := slots.Next(slots.Status(b.Status), slots.Complete, side(a))
		if err != nil {
			return err
		}
		b.Status = string(next)
		if err := s.St.SaveReport(ctx, &store.CheckupReport{BookingID: b.ID, Findings: in.Findings, Advice: in.Advice, FollowUp: in.FollowUp, CreatedAt: now}); err != nil {
			return err
		}
		// The message says only that a report exists; its content stays behind the access check.
		return s.tell(ctx, b, now, b.UserID, "booking.report", "体检报告已出具："+b.Number, "Your check-up report is ready: "+b.Number)
	})
}

// change runs step on a booking a may see, locked, and writes its new status.
func (s *Service) change(ctx context.Context, a account.Actor, id uint64, step func(ctx context.Context, b *store.Booking, now time.Time) error) (*BookingView, error) {
	var out *BookingView
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		now := s.Clock.Now()
		b, err := s.lockVisible(ctx, a, id)
		if err != nil {
			return err
		}
		if err := step(ctx, b, now); err != nil {
			return err
		}
		b.UpdatedAt = now
		if err := s.St.UpdateBooking(ctx, b); errors.Is(err, store.ErrConflict) {
			return ErrHeld // moved onto a slot the enterprise holds already
		} else if err != nil {
			return err
		}
		sv, err := s.St.Service(ctx, b.ServiceID)
		if err != nil {
			return err
		}
		out = bookingView(b, sv, a, now)
		return nil
	})
	return out, err
}

func (s *Service) lockVisible(ctx context.Context, a account.Actor, id uint64) (*store.Booking, error) {
	b, err := s.St.LockBooking(ctx, id)
	if err != nil {
		return nil, notFound(err)
	}
	if !canView(a, b) {
		return nil, ErrNotFound
	}
	return b, nil
}

// note is a message about a booking to one person.
type note struct {
	to     uint
	zh, en string
}

// announce tells each note's person of b's (new) time and sets b's reminders.
func (s *Service) announce(ctx context.Context, b *store.Booking, now time.Time, kind string, notes ...note) error {
	for _, n := range notes {
		if err := s.tell(ctx, b, now, n.to, kind, n.zh, n.en); err != nil {
			return err
		}
	}
	return s.scheduleReminders(ctx, b, now)
}

func (s *Service) tell(ctx context.Context, b *store.Booking, now time.Time, userID uint, kind, zh, en string) error {
	return message.Send(ctx, s.St, now, message.Message{UserID: userID, Kind: kind, TitleZh: zh, TitleEn: en, Link: "/bookings/" + itoa(b.ID)})
}

func when(t time.Time) string { return t.In(shanghaiLoc()).Format("2006-01-02 15:04") }
