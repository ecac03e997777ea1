package grievance

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"qijian/internal/account"
	"qijian/internal/errs"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/idem"
	"qijian/internal/store"
)

// Filing is a new complaint, report or appeal: the body of POST /api/v1/complaints and the form of
// the filing page.
type Filing struct {
	Type           string   `json:"type" form:"type" validate:"required,oneof=illegal_inspection missing_code conduct appeal consultation help complaint report suggestion"`
	Reasons        []string `json:"reasons" form:"reasons" validate:"max=17,dive,reason"`
	Description    string   `json:"description" form:"description" validate:"required,min=5,max=5000"`
	InspectionCode string   `json:"inspection_code" form:"inspection_code" validate:"max=40"`
	// CodeForged: the filer reports that the code it names, shown at the door, does not verify
	// (forged, or not on record). Without it such a code is refused; a code of another
	// enterprise's inspection or decision is refused either way (CODE-1).
	CodeForged   bool `json:"code_forged" form:"code_forged"`
	BodyID       uint `json:"body_id" form:"body_id"`
	Anonymous    bool `json:"anonymous" form:"anonymous"`
	EnterpriseID uint `json:"enterprise_id" form:"enterprise_id"`
	// Consent: an observation point confirms the member agreed to this filing.
	Consent bool `json:"consent" form:"consent"`
	// Urgent (紧急): the filer says the matter cannot wait (production stopped, goods held); the
	// order runs on the urgent limits until a liaison takes the mark off.
	Urgent bool `json:"urgent" form:"urgent"`

	// call is set by TakeCall alone (intake.go), once the caller was verified: a phone order. It is
	// no part of the request body nor of the idempotency fingerprint.
	call *takenCall
}

// Filed is what a filer learns of its order. Created is false when an idempotency key was used
// before: the order is then the one that use made, as it stands now.
type Filed struct {
	ID      uint64
	Number  string
	Status  lifecycle.Status
	Channel lifecycle.Channel
	Created bool
}

func (s *Service) filedOf(o *store.WorkOrder, created bool) Filed {
	return Filed{ID: s.extID(o), Number: o.Number, Status: lifecycle.Status(o.Status), Channel: lifecycle.Channel(o.Channel), Created: created}
}

// The two entry points refuse the wrong context: each writes at a different time, and a caller
// that picked the wrong one would get a write it cannot undo, or none it can read.
var (
	ErrInTx = errors.New("complaint: File with a transaction in the context: its group commit would not roll back with it; use FileInTx")
	ErrNoTx = errors.New("complaint: FileInTx without a transaction in the context; use File")
)

// File creates an order outside any transaction. It joins a group commit (file_batch.go): the
// filing is queued and written, with the others that arrive meanwhile, by a batch leader
// goroutine in a transaction of its own, and File returns once that transaction has ended. With
// an idempotency key, a repeat (even a concurrent one) returns the first order and creates
// nothing. A ctx that carries a transaction is refused with ErrInTx: the batch commits on its
// own, so a rollback of the caller's transaction would not undo the order.
func (s *Service) File(ctx context.Context, by account.Actor, f Filing, key string) (Filed, error) {
	if store.InTx(ctx) {
		return Filed{}, ErrInTx
	}
	r, err := s.admit(by, f, key)
	if err != nil {
		return Filed{}, err
	}
	if err := s.checkCode(ctx, r); err != nil {
		return Filed{}, err
	}
	r.ctx = ctx
	s.submit(r)
	return s.outcome(ctx, r)
}

// FileInTx creates an order in ctx's transaction, for callers that file as part of a larger
// change: its rows are buffered and written when that transaction commits (one INSERT with the
// rest on PostgreSQL), and nothing is retried, since the caller's transaction cannot be. A ctx
// without a transaction is refused with ErrNoTx. The key is claimed before anything is written.
func (s *Service) FileInTx(ctx context.Context, by account.Actor, f Filing, key string) (Filed, error) {
	if !store.InTx(ctx) {
		return Filed{}, ErrNoTx
	}
	r, err := s.admit(by, f, key)
	if err != nil {
		return Filed{}, err
	}
	if err := s.checkCode(ctx, r); err != nil {
		return Filed{}, err
	}
	r.ctx = ctx
	if err := s.fileAll(ctx, []*filing{r}, true); err != nil {
		return Filed{}, fmt.Errorf("complaint: file: %w", err)
	}
	return s.outcome(ctx, r)
}

// admit checks who files for whom, before anything is read: an enterprise for itself, an
// observation point for a consenting member.
func (s *Service) admit(by account.Actor, f Filing, key string) (*filing, error) {
	entID := by.EnterpriseID
	switch by.Role {
	case account.RoleEnterprise:
		if f.EnterpriseID != 0 && f.EnterpriseID != by.EnterpriseID {
			return nil, errs.Field("enterprise_id", "err.invalid")
		}
	case account.RoleObserver:
		entID = f.EnterpriseID
		if entID == 0 {
			return nil, errs.Field("enterprise_id", "err.required")
		}
		if !f.Consent {
			return nil, errs.Field("consent", "err.consent")
		}
	case account.RoleOperator:
		// Only through TakeCall, which verified the caller and named the enterprise.
		if f.call == nil || f.EnterpriseID == 0 {
			return nil, ErrForbidden
		}
		entID = f.EnterpriseID
	default:
		return nil, ErrForbidden
	}
	if !account.Can(by, account.FileForEnterprise, account.Object{EnterpriseID: entID}) {
		return nil, errs.Field("enterprise_id", "err.invalid")
	}
	if f.Type != string(lifecycle.TypeIllegalInspection) && len(f.Reasons) > 0 {
		return nil, errs.Field("reasons", "err.invalid")
	}
	r := &filing{by: by, entID: entID, f: f, key: key}
	if key != "" {
		r.hash = idem.Hash("complaint", f)
	}
	return r, nil
}

// CodeOwners tells whose a behaviour code is (the inspections service): the enterprise it was
// issued to, and ok false for a forged, malformed or unknown code.
type CodeOwners interface {
	CodeOwner(ctx context.Context, code string) (owner uint, ok bool, err error)
}

// checkCode binds the code a filing names to the enterprise it is filed for (CODE-1): a code of
// another enterprise's inspection or decision is refused; a code that does not verify is refused
// unless the filing says it reports exactly that (CodeForged). Refusals name the code field.
func (s *Service) checkCode(ctx context.Context, r *filing) error {
	code := strings.TrimSpace(r.f.InspectionCode)
	if code == "" {
		if r.f.CodeForged {
			return errs.Field("inspection_code", "err.required")
		}
		return nil
	}
	if s.Codes == nil {
		return nil
	}
	owner, ok, err := s.Codes.CodeOwner(ctx, code)
	switch {
	case err != nil:
		return fmt.Errorf("complaint: code: %w", err)
	case ok && owner != r.entID:
		return errs.Field("inspection_code", "err.code_not_yours")
	case !ok && !r.f.CodeForged:
		return errs.Field("inspection_code", "err.code_unknown")
	}
	return nil
}

// outcome is what a written filing came to for its caller.
func (s *Service) outcome(ctx context.Context, r *filing) (Filed, error) {
	switch {
	case r.err != nil:
		return Filed{}, fmt.Errorf("complaint: file: %w", r.err)
	case r.replay != 0:
		o, err := s.St.Order(ctx, r.replay, false)
		if err != nil {
			return Filed{}, fmt.Errorf("complaint: file: replay: %w", err)
		}
		return s.filedOf(o, false), nil
	}
	return s.filedOf(r.order, true), nil
}

// sourceOf is who raises an order filed by this caller.
func sourceOf(by account.Actor) lifecycle.Source {
	switch by.Role {
	case account.RoleObserver:
		return lifecycle.SourceObserver
	case account.RoleOperator:
		return lifecycle.SourcePhone
	}
	return lifecycle.SourceEnterprise
}
