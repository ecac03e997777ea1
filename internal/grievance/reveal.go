package grievance

import (
	"context"
	"fmt"
	"strings"

	"qijian/internal/account"
	"qijian/internal/audit"
	"qijian/internal/errs"
	"qijian/internal/store"
)

// Reporter is the enterprise behind an order, as a reveal names it, with what else the order's
// view keeps from the revealer because it leads to the enterprise: the inspection it names.
type Reporter struct {
	ID             uint
	Name           string
	USCC           string
	ContactName    string
	Mobile         string
	InspectionCode string
}

// EventReveal is the timeline's line for a reveal: who (by role) named the reporter, and why.
const EventReveal = "reveal"

// RevealRequest is why a reveal is needed: it is required, and goes into the order's timeline
// and the audit entry.
type RevealRequest struct {
	Reason string `json:"reason" form:"reason" validate:"max=500" doc:"required: why the reporter must be named (kept in the timeline and the audit); checked after access, so a caller who may not reveal learns nothing from it"`
}

// Reveal names the enterprise behind an order to a liaison or admin who may see it
// (account.RevealReporter), and audits that it did, in the same transaction: no reveal without
// its audit entry, and none without a reason, which the timeline shows too. Nothing is kept, so each look is a new, audited reveal. Other roles are
// refused with ErrForbidden; an order the caller may not see is ErrNotFound.
func (s *Service) Reveal(ctx context.Context, by account.Actor, id uint64, reason string) (Reporter, error) {
	if !staff(by) {
		return Reporter{}, ErrForbidden
	}
	reason = strings.TrimSpace(reason)
	var out Reporter
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		o, err := s.visible(ctx, by, id)
		if err != nil {
			return err
		}
		if !account.Can(by, account.RevealReporter, object(o)) {
			return ErrForbidden
		}
		if reason == "" {
			return errs.Field("reason", "err.required")
		}
		e, err := s.St.Enterprise(ctx, o.EnterpriseID)
		if err != nil {
			return err
		}
		out = Reporter{ID: e.ID, Name: e.Name, USCC: e.USCC, ContactName: e.ContactName, Mobile: e.Mobile, InspectionCode: o.InspectionCode}
		now := s.Clock.Now()
		if err := s.St.AddOrderEvent(ctx, &store.OrderEvent{OrderID: o.ID, At: now, ActorID: by.UserID, ActorRole: string(by.Role), Action: EventReveal,
			FromStatus: o.Status, ToStatus: o.Status, Level: o.Level, Note: reason}); err != nil {
			return err
		}
		return s.St.QueueAudit(ctx, audit.Event{At: now, ActorID: by.UserID, ActorRole: string(by.Role), Action: "order.reveal", ObjectType: "order", ObjectID: o.ID, Detail: reason})
	})
	if err != nil {
		return Reporter{}, fmt.Errorf("complaint: reveal order %d: %w", id, err)
	}
	return out, nil
}

// Normalize trims the reason as people type it.
func (r *RevealRequest) Normalize() { r.Reason = strings.TrimSpace(r.Reason) }
