package grievance

import (
	"context"
	"errors"

	"qijian/internal/account"
	"qijian/internal/errs"
	"qijian/internal/grievance/lifecycle"
)

// MaxAssign bounds one bulk assignment.
const MaxAssign = 200

// Assignment hands several orders to one liaison: the queue page's bulk form.
type Assignment struct {
	IDs        []uint64 `json:"ids" form:"ids"`
	AssigneeID uint     `json:"assignee_id" form:"assignee_id"`
}

// AssignMany assigns each order on its own, in its own transaction, and tells how many moved.
// An order the caller may not see or may not assign now is skipped, not an error; an assignee
// who may not work these orders stops the lot with its field error.
func (s *Service) AssignMany(ctx context.Context, by account.Actor, a Assignment) (int, error) {
	if len(a.IDs) == 0 || len(a.IDs) > MaxAssign || a.AssigneeID == 0 {
		return 0, errs.Field("ids", "err.required")
	}
	moved := 0
	for _, id := range a.IDs {
		_, err := s.act(ctx, by, id, lifecycle.Assign, lifecycle.Input{Assignee: a.AssigneeID})
		switch {
		case err == nil:
			moved++
		case errors.Is(err, ErrNotFound), errors.Is(err, lifecycle.ErrNotAllowed):
		default:
			return moved, err
		}
	}
	return moved, nil
}
