package booking

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"qijian/internal/account"
	"qijian/internal/booking/slots"
	"qijian/internal/calendar"
	"qijian/internal/errs"
	"qijian/internal/store"
)

// Rule is a weekly slot as a provider enters it.
type Rule struct {
	Weekday  int    `json:"weekday" doc:"0 Sunday … 6 Saturday"`
	Start    string `json:"start" doc:"HH:MM, Wenzhou time"`
	Capacity int    `json:"capacity" doc:"1 to 500 enterprises at once"`
}

// ScheduleInput is a service's whole weekly schedule.
type ScheduleInput struct {
	Rules []Rule `json:"rules" validate:"max=100"`
}

// check names each rule's bad field, as rules[i].start.
func (in ScheduleInput) check() error {
	fields := map[string]string{}
	for i, r := range in.Rules {
		at := "rules[" + strconv.Itoa(i) + "]."
		if r.Weekday < 0 || r.Weekday > 6 {
			fields[at+"weekday"] = "err.invalid"
		}
		if _, _, err := slots.ParseClock(r.Start); err != nil {
			fields[at+"start"] = "err.invalid"
		}
		if r.Capacity < 1 || r.Capacity > 500 {
			fields[at+"capacity"] = "err.invalid"
		}
	}
	if len(in.Rules) > 100 {
		fields["rules"] = "err.max"
	}
	if len(fields) > 0 {
		return errs.InvalidFields(fields)
	}
	return nil
}

// PublishSchedule replaces a service's weekly schedule and opens its slots for the weeks ahead.
// Only the service's provider (or an admin) may; to anyone else the service does not exist.
func (s *Service) PublishSchedule(ctx context.Context, a account.Actor, serviceID uint, in ScheduleInput) error {
	if err := in.check(); err != nil {
		return err
	}
	return s.St.WithTx(ctx, func(ctx context.Context) error {
		sv, err := s.ownService(ctx, a, serviceID)
		if err != nil {
			return err
		}
		rows := make([]store.AvailabilityRule, len(in.Rules))
		for i, r := range in.Rules {
			rows[i] = store.AvailabilityRule{Weekday: r.Weekday, Start: r.Start, Capacity: r.Capacity}
		}
		if err := s.St.ReplaceRules(ctx, serviceID, rows); err != nil {
			return err
		}
		return s.openSlots(ctx, sv)
	})
}

// ExceptionInput closes one date of a service, or changes its capacity that day.
type ExceptionInput struct {
	Day      string `json:"day" form:"day" validate:"required,datetime=2006-01-02"`
	Closed   bool   `json:"closed" form:"closed"`
	Capacity int    `json:"capacity" form:"capacity" validate:"min=0,max=500" doc:"above 0: every slot's capacity that day"`
}

// SetException records one date's exception and updates the slots.
func (s *Service) SetException(ctx context.Context, a account.Actor, serviceID uint, in ExceptionInput) error {
	d, err := time.ParseInLocation("2006-01-02", in.Day, calendar.Location())
	if err != nil {
		return errs.Field("day", "err.invalid")
	}
	return s.St.WithTx(ctx, func(ctx context.Context) error {
		sv, err := s.ownService(ctx, a, serviceID)
		if err != nil {
			return err
		}
		if err := s.St.SaveException(ctx, &store.AvailabilityException{ServiceID: serviceID, Day: calendar.DateOf(d).String(), Closed: in.Closed, Capacity: in.Capacity}); err != nil {
			return err
		}
		return s.openSlots(ctx, sv)
	})
}

// ownService is an active service whose schedule a keeps.
func (s *Service) ownService(ctx context.Context, a account.Actor, id uint) (*store.Service, error) {
	sv, err := s.activeService(ctx, id)
	if err != nil {
		return nil, err
	}
	if !account.Can(a, account.ManageSchedule, account.Object{OwnerUserID: sv.ProviderID}) {
		return nil, ErrNotFound
	}
	return sv, nil
}

// ScheduleView is one of a provider's services with its weekly times.
type ScheduleView struct {
	Service ServiceView
	Times   map[int]string // weekday → "09:00, 14:00"
	Cap     map[int]int    // weekday → the largest capacity that day
}

// scheduleView writes a week as the page shows it: per weekday the capacity most of its times
// have, and its times, each one with another capacity marked "×N", so that saving the page
// unchanged keeps every time's capacity.
func scheduleView(sv ServiceView, rules []store.AvailabilityRule) ScheduleView {
	v := ScheduleView{Service: sv, Times: map[int]string{}, Cap: map[int]int{}}
	count := map[int]map[int]int{}
	for _, r := range rules {
		if count[r.Weekday] == nil {
			count[r.Weekday] = map[int]int{}
		}
		count[r.Weekday][r.Capacity]++
		if n, best := count[r.Weekday][r.Capacity], v.Cap[r.Weekday]; best == 0 || n > count[r.Weekday][best] {
			v.Cap[r.Weekday] = r.Capacity
		}
	}
	for _, r := range rules {
		if v.Times[r.Weekday] != "" {
			v.Times[r.Weekday] += ", "
		}
		v.Times[r.Weekday] += r.Start
		if r.Capacity != v.Cap[r.Weekday] {
			v.Times[r.Weekday] += "×" + strconv.Itoa(r.Capacity)
		}
	}
	return v
}

// Schedules lists the provider's own services with their weekly times.
func (s *Service) Schedules(ctx context.Context, a account.Actor) ([]ScheduleView, error) {
	if a.Role != account.RoleProvider || a.UserID == 0 {
		return nil, ErrForbidden
	}
	list, err := s.St.ServicesOf(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	out := make([]ScheduleView, len(list))
	for i := range list {
		rules, err := s.St.Rules(ctx, list[i].ID)
		if err != nil {
			return nil, err
		}
		out[i] = scheduleView(serviceView(&list[i]), rules)
	}
	return out, nil
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
