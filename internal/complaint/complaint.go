// Package complaint is the work-order use cases: filing (with idempotency), acting on an order
// through the grievance lifecycle, and the deadline timers. Every change commits together with
// its timeline event, deadlines, audit entry and the outbox rows of its notifications.
package complaint

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"qijian/internal/account"
	"qijian/internal/audit"
	"qijian/internal/calendar"
	"qijian/internal/clock"
	"qijian/internal/grievance"
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
func Order(o *store.WorkOrder) grievance.Order {
	g := grievance.Order{ID: o.ID, Status: grievance.Status(o.Status), Level: o.Level, Channel: grievance.Channel(o.Channel), Type: grievance.Type(o.Type),
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
func GActor(a account.Actor) grievance.Actor {
	return grievance.Actor{Role: grievance.Role(a.Role), UserID: a.UserID, EnterpriseID: a.EnterpriseID, UnitID: a.BodyID, County: a.CountyCode}
}

// File creates an order. With an idempotency key, a repeat (even a concurrent one) returns the
// first order and creates nothing; created tells which happened.
func (s *Service) File(ctx context.Context, by account.Actor, f Filing, key string) (o *store.WorkOrder, created bool, err error) {
	if key != "" {
		if id, err := s.St.IdempotentOrder(ctx, by.UserID, key); err == nil {
			o, err := s.St.Order(ctx, id, false)
			return o, false, err
		}
	}
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
	if f.Type != string(grievance.TypeIllegalInspection) && len(f.Reasons) > 0 {
		return nil, false, &FieldError{"reasons", "err.invalid"}
	}
	now := s.Clock.Now()
	var replay uint64
	err = s.St.WithTx(ctx, func(ctx context.Context) error {
		ent, err := s.St.Enterprise(ctx, entID)
		if err != nil {
			return err
		}
		var bodyID *uint
		if f.BodyID != 0 {
			if _, err := s.St.Body(ctx, f.BodyID); err != nil {
				if errors.Is(err, store.ErrNotFound) {
					return &FieldError{"body_id", "err.invalid"}
				}
				return err
			}
			b := f.BodyID
			bodyID = &b
		}
		rules, err := s.rules(ctx)
		if err != nil {
			return err
		}
		rt := grievance.Decide(rules, grievance.Type(f.Type), ent.CountyCode, f.BodyID)
		o = &store.WorkOrder{Type: f.Type, Reasons: strings.Join(f.Reasons, ","), Description: strings.TrimSpace(f.Description), Status: string(grievance.Submitted),
			Channel: string(rt.Channel), CountyCode: ent.CountyCode, EnterpriseID: ent.ID, FiledByUserID: by.UserID, Anonymous: f.Anonymous,
			InspectionCode: strings.ToUpper(strings.TrimSpace(f.InspectionCode)), BodyID: bodyID, CreatedAt: now, UpdatedAt: now}
		if by.Role == account.RoleObserver {
			id, at := by.UserID, now
			o.ObserverID, o.ConsentAt = &id, &at
		}
		if err := s.St.CreateOrder(ctx, o); err != nil {
			return err
		}
		if key != "" {
			first, mine, err := s.St.ClaimIdempotencyKey(ctx, by.UserID, key, o.ID, now)
			if err != nil {
				return err
			}
			if !mine {
				replay = first
				return errReplay
			}
		}
		return s.open(ctx, o, by.UserID, string(by.Role), rt.Unit, now)
	})
	if errors.Is(err, errReplay) {
		o, err := s.St.Order(ctx, replay, false)
		return o, false, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("complaint: file: %w", err)
	}
	return o, true, nil
}

var errReplay = errors.New("complaint: idempotent replay")

func (s *Service) rules(ctx context.Context) ([]grievance.Rule, error) {
	rows, err := s.St.RoutingRules(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]grievance.Rule, len(rows))
	for i, r := range rows {
		out[i] = grievance.Rule{Type: grievance.Type(r.Type), County: r.CountyCode, Chan: grievance.Channel(r.Channel)}
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

// open writes what every new order starts with: the submit event, its deadlines, the audit
// entry and the first notifications. filer 0 is the system (a clue from the automatic checks).
func (s *Service) open(ctx context.Context, o *store.WorkOrder, filer uint, role string, unit uint, now time.Time) error {
	note := "渠道 " + o.Channel
	if unit != 0 {
		note += fmt.Sprintf("，建议承办单位 #%d", unit)
	}
	if err := s.St.AddOrderEvent(ctx, &store.OrderEvent{OrderID: o.ID, At: now, ActorID: filer, ActorRole: role, Action: "submit", ToStatus: o.Status, Note: note}); err != nil {
		return err
	}
	opened, err := s.openStages(ctx, o, grievance.StagesOpenedBy(grievance.Submitted), now, 1)
	if err != nil {
		return err
	}
	// A new order's only open deadlines are those just opened: no need to read them back. This
	// save also writes the number CreateOrder gave it.
	for _, d := range opened {
		if o.NextDueAt == nil || d.DueAt.Before(*o.NextDueAt) {
			t := d.DueAt
			o.NextDueAt = &t
		}
	}
	if err := s.St.SaveOrder(ctx, o); err != nil {
		return err
	}
	if err := s.St.AppendAudit(ctx, audit.Entry{At: now, ActorID: filer, ActorRole: role, Action: "order.submit", ObjectType: "order", ObjectID: o.ID, Detail: `{"type":"` + o.Type + `","channel":"` + o.Channel + `"}`}); err != nil {
		return err
	}
	if filer != 0 {
		if err := s.notifyFiler(ctx, o, now, "order.received", "您的诉求已提交："+o.Number, "Your report was received: "+o.Number); err != nil {
			return err
		}
	}
	return s.notifyLiaisons(ctx, o, now, "新工单待受理："+o.Number, "New work order to accept: "+o.Number)
}

// FileClue turns a rule violation found by the automatic checks into a work order in the
// liaisons' queue, filed by the system for the inspected enterprise, in ctx's transaction.
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
	rt := grievance.Decide(rules, grievance.TypeIllegalInspection, ent.CountyCode, bodyID)
	o := &store.WorkOrder{Type: string(grievance.TypeIllegalInspection), Reasons: rule, Description: "【系统线索】" + evidence, Status: string(grievance.Submitted),
		Channel: string(rt.Channel), CountyCode: ent.CountyCode, EnterpriseID: ent.ID, InspectionCode: code, CreatedAt: now, UpdatedAt: now}
	if bodyID != 0 {
		b := bodyID
		o.BodyID = &b
	}
	if err := s.St.CreateOrder(ctx, o); err != nil {
		return nil, err
	}
	if err := s.open(ctx, o, 0, "system", rt.Unit, now); err != nil {
		return nil, err
	}
	return o, nil
}
