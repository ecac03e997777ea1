package inspection

import (
	"context"
	"errors"
	"slices"

	"qijian/internal/account"
	"qijian/internal/audit"
	"qijian/internal/store"
)

// ErrTransition: the inspection cannot move to that status from where it is.
var ErrTransition = errors.New("inspections: status change not allowed")

// next lists the moves an inspection may make: scheduled → notified → in progress → done,
// and cancellation before it is done.
var next = map[string][]string{
	"scheduled":   {"notified", "in_progress", "cancelled"},
	"notified":    {"in_progress", "cancelled"},
	"in_progress": {"done"},
}

// Next lists the statuses an inspection may move to from status.
func Next(status string) []string { return slices.Clone(next[status]) }

// SetStatus moves an inspection on (its body's officers, or admins) and runs the checks again,
// so a change can raise a clue the registration did not.
func (s *Service) SetStatus(ctx context.Context, by account.Actor, id uint64, status string) (*store.Inspection, error) {
	if by.Role != account.RoleOfficer && by.Role != account.RoleAdmin {
		return nil, ErrForbidden
	}
	var out *store.Inspection
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		in, err := s.Visible(ctx, by, id)
		if err != nil {
			return err
		}
		if !slices.Contains(next[in.Status], status) {
			return ErrTransition
		}
		now := s.Clock.Now()
		if err := s.St.SetInspectionStatus(ctx, id, status, now); err != nil {
			return err
		}
		in.Status = status
		if err := s.St.QueueAudit(ctx, audit.Entry{At: now, ActorID: by.UserID, ActorRole: string(by.Role), Action: "inspection." + status, ObjectType: "inspection", ObjectID: id}); err != nil {
			return err
		}
		ent, err := s.St.Enterprise(ctx, in.EnterpriseID)
		if err != nil {
			return err
		}
		if _, err := s.check(ctx, in, ent); err != nil {
			return err
		}
		out = in
		return nil
	})
	return out, err
}
