package inspection

import (
	"context"
	"fmt"
	"slices"
	"time"

	"qijian/internal/account"
	"qijian/internal/audit"
	"qijian/internal/errs"
	"qijian/internal/store"
)

// next lists the moves an inspection may make: scheduled → notified → in progress → done,
// and cancellation before it is done.
var next = map[string][]string{
	"scheduled":   {"notified", "in_progress", "cancelled"},
	"notified":    {"in_progress", "cancelled"},
	"in_progress": {"done"},
}

// Next lists the statuses an inspection may move to from status.
func Next(status string) []string { return slices.Clone(next[status]) }

// reachable is the moves open at now: an inspection cannot be done before its scheduled time.
func reachable(in *store.Inspection, now time.Time) []string {
	var out []string
	for _, st := range next[in.Status] {
		if notYet(in, st, now) == nil {
			out = append(out, st)
		}
	}
	return out
}

// notYet refuses marking done an inspection whose time has not come, naming the status field.
func notYet(in *store.Inspection, status string, now time.Time) error {
	if status == "done" && now.Before(in.ScheduledAt) {
		return errs.Field("status", "insp.err.not_yet")
	}
	return nil
}

// SetStatus moves an inspection on (its body's officers, or admins) and runs the checks again,
// so a change can raise a clue the registration did not.
func (s *Service) SetStatus(ctx context.Context, by account.Actor, id uint64, status string) error {
	if by.Role != account.RoleOfficer && by.Role != account.RoleAdmin {
		return ErrForbidden
	}
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		in, err := s.managed(ctx, by, id)
		if err != nil {
			return err
		}
		if !slices.Contains(next[in.Status], status) {
			return ErrTransition
		}
		now := s.Clock.Now()
		if err := notYet(in, status, now); err != nil {
			return err
		}
		if err := s.St.SetInspectionStatus(ctx, id, status, now); err != nil {
			return err
		}
		in.Status = status
		if err := s.St.QueueAudit(ctx, audit.Event{At: now, ActorID: by.UserID, ActorRole: string(by.Role), Action: "inspection." + status, ObjectType: "inspection", ObjectID: id}); err != nil {
			return err
		}
		ent, err := s.St.Enterprise(ctx, in.EnterpriseID)
		if err != nil {
			return err
		}
		if _, err = s.check(ctx, in, ent); err != nil {
			return err
		}
		if status == "cancelled" {
			return s.recheckOthers(ctx, in, ent) // one fewer counts for the rest of the year
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("inspections: status %d: %w", id, err)
	}
	return nil
}

// managed loads an inspection the caller may move on and add records to (ManageInspection);
// anyone else gets ErrNotFound.
func (s *Service) managed(ctx context.Context, by account.Actor, id uint64) (*store.Inspection, error) {
	in, err := s.visible(ctx, by, id)
	if err != nil {
		return nil, err
	}
	if !account.Can(by, account.ManageInspection, object(in)) {
		return nil, fmt.Errorf("inspections: %d: %w", id, ErrNotFound)
	}
	return in, nil
}

// StatusInput is a move as the page's form or the API gives it.
type StatusInput struct {
	Status string `json:"status" form:"status" validate:"required,oneof=notified in_progress done cancelled"`
}
