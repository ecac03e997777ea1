// Package grievance is the work-order use cases: filing (with idempotency), acting on an order
// through the grievance lifecycle, and the deadline timers. Every change commits together with
// its timeline event, deadlines, audit entry and the outbox rows of its notifications.
package grievance

import (
	"context"
	"errors"
	"fmt"

	"qijian/internal/account"
	"qijian/internal/calendar"
	"qijian/internal/clock"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/store"
)

// TaskDeadline is the outbox task type of a deadline timer.
const TaskDeadline = "grievance:deadline"

// Errors the web layer maps.
var (
	ErrForbidden = errors.New("complaint: forbidden")
	ErrNotFound  = store.ErrNotFound
)

// FieldError names the input field at fault.
type FieldError struct{ Field, Key string }

func (e *FieldError) Error() string { return "complaint: field " + e.Field + ": " + e.Key }

// Service runs the use cases.
type Service struct {
	St    *store.Store
	Cal   *calendar.Calendar
	Clock clock.Clock

	batch batcher // filings waiting for a group commit
}

// Filing is a new complaint, report or appeal.
type Filing struct {
	Type           string   `json:"type" form:"type" validate:"required,oneof=illegal_inspection missing_code conduct appeal consultation"`
	Reasons        []string `json:"reasons" form:"reasons" validate:"max=17,dive,reason"`
	Description    string   `json:"description" form:"description" validate:"required,min=5,max=5000"`
	InspectionCode string   `json:"inspection_code" form:"inspection_code" validate:"max=40"`
	BodyID         uint     `json:"body_id" form:"body_id"`
	Anonymous      bool     `json:"anonymous" form:"anonymous"`
	EnterpriseID   uint     `json:"enterprise_id" form:"enterprise_id"`
	// Consent: an observation point confirms the member agreed to this filing.
	Consent bool `json:"consent" form:"consent"`
}

// Order is the domain view of a stored order.
func Order(o *store.WorkOrder) lifecycle.Order {
	g := lifecycle.Order{ID: o.ID, Status: lifecycle.Status(o.Status), Level: o.Level, Channel: lifecycle.Channel(o.Channel), Type: lifecycle.Type(o.Type),
		County: o.CountyCode, EnterpriseID: o.EnterpriseID, ClosedAt: o.ClosedAt, Rating: o.Rating, ReopenCount: o.ReopenCount, ReturnReason: o.ReturnReason}
	if o.UnitBodyID != nil {
		g.Unit = *o.UnitBodyID
	}
	if o.ObserverID != nil {
		g.ObserverID = *o.ObserverID
	}
	if o.AssigneeID != nil {
		g.Assignee = *o.AssigneeID
	}
	return g
}

// Object is the policy's view of an order.
func Object(o *store.WorkOrder) account.Object {
	obj := account.Object{EnterpriseID: o.EnterpriseID, CountyCode: o.CountyCode}
	if o.UnitBodyID != nil {
		obj.BodyID = *o.UnitBodyID
	}
	if o.ObserverID != nil {
		obj.OwnerUserID = *o.ObserverID
	}
	return obj
}

// GActor is the lifecycle's view of a caller.
func GActor(a account.Actor) lifecycle.Actor {
	return lifecycle.Actor{Role: lifecycle.Role(a.Role), UserID: a.UserID, EnterpriseID: a.EnterpriseID, UnitID: a.BodyID, County: a.CountyCode}
}

// File creates an order. With an idempotency key, a repeat (even a concurrent one) returns the
// first order and creates nothing; created tells which happened. The key is claimed in the
// write's own transaction, so a repeat costs no extra query before it. Outside a transaction the
// filing joins a group commit (file_batch.go); inside one it is written in that transaction.
func (s *Service) File(ctx context.Context, by account.Actor, f Filing, key string) (o *store.WorkOrder, created bool, err error) {
	entID := by.EnterpriseID
	switch by.Role {
	case account.RoleEnterprise:
		if f.EnterpriseID != 0 && f.EnterpriseID != by.EnterpriseID {
			return nil, false, &FieldError{"enterprise_id", "err.invalid"}
		}
	case account.RoleObserver:
		entID = f.EnterpriseID
		if entID == 0 {
			return nil, false, &FieldError{"enterprise_id", "err.required"}
		}
		if !f.Consent {
			return nil, false, &FieldError{"consent", "err.consent"}
		}
	default:
		return nil, false, ErrForbidden
	}
	if !account.Can(by, account.FileForEnterprise, account.Object{EnterpriseID: entID}) {
		return nil, false, &FieldError{"enterprise_id", "err.invalid"}
	}
	if f.Type != string(lifecycle.TypeIllegalInspection) && len(f.Reasons) > 0 {
		return nil, false, &FieldError{"reasons", "err.invalid"}
	}
	r := &filing{ctx: ctx, by: by, entID: entID, f: f, key: key}
	if store.InTx(ctx) {
		if err := s.fileAll(ctx, []*filing{r}, true); err != nil { // the caller's transaction cannot be retried
			return nil, false, fmt.Errorf("complaint: file: %w", err)
		}
	} else {
		s.submit(r)
	}
	switch {
	case r.err != nil:
		var fe *FieldError
		if errors.As(r.err, &fe) {
			return nil, false, fe
		}
		return nil, false, fmt.Errorf("complaint: file: %w", r.err)
	case r.replay != 0:
		o, err := s.St.Order(ctx, r.replay, false)
		return o, false, err
	}
	return r.order, true, nil
}

func (s *Service) rules(ctx context.Context) ([]lifecycle.Rule, error) {
	rows, err := s.St.RoutingRules(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]lifecycle.Rule, len(rows))
	for i, r := range rows {
		out[i] = lifecycle.Rule{Type: lifecycle.Type(r.Type), County: r.CountyCode, Chan: lifecycle.Channel(r.Channel)}
		if r.BodyID != nil {
			out[i].BodyID = *r.BodyID
		}
		if r.UnitBodyID != nil {
			out[i].Unit = *r.UnitBodyID
		}
	}
	return out, nil
}

// Visible loads an order the caller may see, or ErrNotFound: someone else's order is
// indistinguishable from one that does not exist.
func (s *Service) Visible(ctx context.Context, by account.Actor, id uint64) (*store.WorkOrder, error) {
	o, err := s.St.Order(ctx, id, false)
	if err != nil {
		return nil, err
	}
	if !account.Can(by, account.ViewOrder, Object(o)) {
		return nil, fmt.Errorf("complaint: order %d: %w", id, store.ErrNotFound)
	}
	return o, nil
}

// FileClue turns a rule violation found by the automatic checks into a work order in the
// liaisons' queue, filed by the system for the inspected enterprise, in ctx's transaction. The
// order's rows are written when that transaction commits: its id may be stored, but the order
// cannot be read back before then.
func (s *Service) FileClue(ctx context.Context, enterpriseID, bodyID uint, rule, evidence, code string) (*store.WorkOrder, error) {
	now := s.Clock.Now()
	ent, err := s.St.Enterprise(ctx, enterpriseID)
	if err != nil {
		return nil, err
	}
	rules, err := s.rules(ctx)
	if err != nil {
		return nil, err
	}
	rt := lifecycle.Decide(rules, lifecycle.TypeIllegalInspection, ent.CountyCode, bodyID)
	o := &store.WorkOrder{Type: string(lifecycle.TypeIllegalInspection), Reasons: rule, Description: "【系统线索】" + evidence, Status: string(lifecycle.Submitted),
		Channel: string(rt.Channel), CountyCode: ent.CountyCode, EnterpriseID: ent.ID, InspectionCode: code, CreatedAt: now, UpdatedAt: now}
	if bodyID != 0 {
		b := bodyID
		o.BodyID = &b
	}
	items := []newOrder{{o: o, role: "system", unit: rt.Unit}}
	if err := s.plan(ctx, items, now); err != nil {
		return nil, err
	}
	if err := s.create(ctx, items, now); err != nil {
		return nil, err
	}
	return o, nil
}
