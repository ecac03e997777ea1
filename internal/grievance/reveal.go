package grievance

import (
	"context"
	"fmt"

	"qijian/internal/account"
	"qijian/internal/audit"
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

// Reveal names the enterprise behind an order to a liaison or admin who may see it
// (account.RevealReporter), and audits that it did, in the same transaction: no reveal without
// its audit entry. Nothing is kept, so each look is a new, audited reveal. Other roles are
// refused with ErrForbidden; an order the caller may not see is ErrNotFound.
func (s *Service) Reveal(ctx context.Context, by account.Actor, id uint64) (Reporter, error) {
	if !staff(by) {
		return Reporter{}, ErrForbidden
	}
	var out Reporter
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		o, err := s.visible(ctx, by, id)
		if err != nil {
			return err
		}
		if !account.Can(by, account.RevealReporter, object(o)) {
			return ErrForbidden
		}
		e, err := s.St.Enterprise(ctx, o.EnterpriseID)
		if err != nil {
			return err
		}
		out = Reporter{ID: e.ID, Name: e.Name, USCC: e.USCC, ContactName: e.ContactName, Mobile: e.Mobile, InspectionCode: o.InspectionCode}
		return s.St.QueueAudit(ctx, audit.Event{At: s.Clock.Now(), ActorID: by.UserID, ActorRole: string(by.Role), Action: "order.reveal", ObjectType: "order", ObjectID: o.ID})
	})
	if err != nil {
		return Reporter{}, fmt.Errorf("complaint: reveal order %d: %w", id, err)
	}
	return out, nil
}
