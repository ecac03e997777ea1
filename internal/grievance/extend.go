package grievance

import (
	"context"
	"errors"
	"strconv"
	"time"

	"qijian/internal/errs"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/store"
)

// ruled is o as the lifecycle reads it: with its running sign-for limit and the number of
// extensions its channel and type allow.
func (s *Service) ruled(ctx context.Context, o *store.WorkOrder, open []store.Deadline) (lifecycle.Order, error) {
	g := withDeadlines(domain(o), open)
	lim, err := s.St.ExtensionLimitFor(ctx, o.Channel, o.Type)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return g, err
	}
	g.ExtensionLimit = lim.MaxCount     // no row: no extensions
	return s.withParts(ctx, o, open, g) // merges and co-handlers (merge.go)
}

// handlingStage is the open stage an extension moves: the unit's reply, or else the resolve limit.
func handlingStage(open []store.Deadline) *store.Deadline {
	var resolve *store.Deadline
	for i := range open {
		switch lifecycle.Stage(open[i].Stage) {
		case lifecycle.StageReply:
			return &open[i]
		case lifecycle.StageResolve:
			resolve = &open[i]
		}
	}
	return resolve
}

// checkExtension holds an asked extension to the order's limits: after the stage's current due
// time, and at most the allowed working days past it.
func (s *Service) checkExtension(ctx context.Context, o *store.WorkOrder, open []store.Deadline, until time.Time) error {
	d := handlingStage(open)
	if d == nil {
		return errs.Field("until", "err.extension.nothing")
	}
	lim, err := s.St.ExtensionLimitFor(ctx, o.Channel, o.Type)
	if err != nil {
		return err
	}
	if !until.After(d.DueAt) || until.After(lifecycle.Due(s.Cal, d.DueAt, lifecycle.Allowance{Amount: lim.MaxDays, Unit: "days"})) {
		return errs.Field("until", "err.extension.length")
	}
	return nil
}

// EndOfWorkingDay is when the working hours of date (YYYY-MM-DD, Wenzhou) end: the due time an
// extension to that date asks for. A date that is not a working day is refused.
func (s *Service) EndOfWorkingDay(date string) (time.Time, error) {
	day, err := time.ParseInLocation("2006-01-02", date, shanghai)
	if err != nil || !s.Cal.IsWorkingDay(day) {
		return time.Time{}, errs.Field("until", "err.extension.day")
	}
	return s.Cal.AddWorkingHours(day, s.Cal.WorkingDuration(day, day.AddDate(0, 0, 1))), nil
}

// extend moves the open reply and resolve stages due before until to until, keeping each one's
// first due time apart. Their timers need no new row: one that fires before its new time
// re-arms itself at it.
func (s *Service) extend(ctx context.Context, open []store.Deadline, until time.Time) error {
	for i := range open {
		d := &open[i]
		st := lifecycle.Stage(d.Stage)
		if (st != lifecycle.StageReply && st != lifecycle.StageResolve) || !d.DueAt.Before(until) || d.SupersededAt != nil {
			continue
		}
		if d.OriginalDueAt == nil {
			due := d.DueAt
			d.OriginalDueAt = &due
		}
		d.DueAt = until
		if d.RemindedAt == nil {
			d.RemindAt = lifecycle.RemindAt(s.Cal, d.StartedAt, until)
		}
		if err := s.St.SaveDeadline(ctx, d); err != nil {
			return err
		}
	}
	return nil
}

// resume ends a pause: every open stage but the enterprise's own answer limit moves on by the
// working time it stood still (counted from its own start if it began during the pause), and
// its next timer is armed at the moved time (a timer that came during the pause did nothing).
func (s *Service) resume(ctx context.Context, open []store.Deadline, since, now time.Time) error {
	for i := range open {
		d := &open[i]
		if d.Stage == string(lifecycle.StageInfo) || d.SupersededAt != nil || d.MetAt != nil || d.BreachedAt != nil {
			continue
		}
		from := since
		if d.StartedAt.After(from) {
			from = d.StartedAt
		}
		if w := s.Cal.WorkingDuration(from, now); w > 0 {
			d.PausedSeconds += int64(w / time.Second)
			d.DueAt = s.Cal.AddWorkingHours(d.DueAt, w)
			if d.RemindedAt == nil {
				d.RemindAt = s.Cal.AddWorkingHours(d.RemindAt, w)
			}
			if err := s.St.SaveDeadline(ctx, d); err != nil {
				return err
			}
		}
		t := timer{DeadlineID: d.ID, Kind: "remind"}
		if d.RemindedAt != nil {
			t.Kind = "breach"
		}
		if err := s.St.QueueOutbox(ctx, TaskDeadline, t, now, t.at(d)); err != nil {
			return err
		}
	}
	return nil
}

// PausedHours is the stage's paused working time in hours, one decimal, for pages.
func (d DeadlineView) PausedHours() string { return strconv.FormatFloat(d.Paused.Hours(), 'f', 1, 64) }

// FollowAnswer is one part of the follow-up's answer for pages: "yes", "no", or "" when not
// recorded.
func FollowAnswer(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "yes"
	}
	return "no"
}

// Solved is the follow-up's "was it solved", for pages.
func (d *OrderDetail) Solved() string { return FollowAnswer(d.FollowSolved) }

// Satisfied is the follow-up's "is the enterprise satisfied", for pages.
func (d *OrderDetail) Satisfied() string { return FollowAnswer(d.FollowSatisfied) }
