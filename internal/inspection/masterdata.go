package inspection

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"qijian/internal/account"
	"qijian/internal/audit"
	"qijian/internal/store"
)

// Master data of an enforcement body: its inspectors (SUBJ-2), its inspection item list (LIST-1)
// and its annual plans (PLAN-1). A body's own officers and admins write it; pages and the API
// both come here.

// CanManage reports whether by may write body bodyID's master data.
func CanManage(by account.Actor, bodyID uint) bool {
	return by.Role == account.RoleAdmin || (by.Role == account.RoleOfficer && by.BodyID == bodyID && bodyID != 0)
}

func (s *Service) manage(ctx context.Context, by account.Actor, bodyID uint) error {
	if _, err := s.St.Body(ctx, bodyID); err != nil {
		return err
	}
	if !CanManage(by, bodyID) {
		return ErrForbidden
	}
	return nil
}

func (s *Service) auditBy(ctx context.Context, by account.Actor, action, objType string, id uint64, detail string) error {
	return s.St.QueueAudit(ctx, audit.Entry{At: s.Clock.Now(), ActorID: by.UserID, ActorRole: string(by.Role), Action: action, ObjectType: objType, ObjectID: id, Detail: detail})
}

// InspectorInput is an inspector as a form or the API gives it; ID 0 adds one.
type InspectorInput struct {
	ID           uint
	Name         string
	CredentialNo string
	ValidFrom    time.Time
	ValidTo      time.Time
	Staff        string
	Active       bool
}

// SaveInspector adds or changes one of body bodyID's inspectors: credential number, validity and
// status (SUBJ-2). The credential must end after it starts.
func (s *Service) SaveInspector(ctx context.Context, by account.Actor, bodyID uint, in InspectorInput) (*store.Inspector, error) {
	if !in.ValidTo.After(in.ValidFrom) {
		return nil, &FieldError{"valid_to", "err.invalid"}
	}
	p := &store.Inspector{ID: in.ID, BodyID: bodyID, Name: strings.TrimSpace(in.Name), CredentialNo: strings.TrimSpace(in.CredentialNo),
		ValidFrom: in.ValidFrom.UTC(), ValidTo: in.ValidTo.UTC(), Staff: in.Staff, Active: in.Active}
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		if err := s.manage(ctx, by, bodyID); err != nil {
			return err
		}
		action := "inspector.add"
		if in.ID != 0 {
			if _, err := s.Inspector(ctx, bodyID, in.ID); err != nil {
				return err
			}
			action = "inspector.save"
		}
		if err := s.St.SaveInspector(ctx, p); err != nil {
			return err
		}
		return s.auditBy(ctx, by, action, "inspector", uint64(p.ID), "")
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// Inspector reads one of a body's inspectors; another body's is ErrNotFound.
func (s *Service) Inspector(ctx context.Context, bodyID, id uint) (*store.Inspector, error) {
	l, err := s.St.InspectorsByID(ctx, []uint{id})
	if err != nil {
		return nil, err
	}
	if len(l) == 0 || l[0].BodyID != bodyID {
		return nil, fmt.Errorf("inspections: inspector %d: %w", id, store.ErrNotFound)
	}
	return &l[0], nil
}

// ItemInput is an entry of the item list; ID 0 adds one.
type ItemInput struct {
	ID          uint
	Name        string
	LegalBasis  string
	Method      string
	Standard    string
	PublishedOn *time.Time
	WithdrawnOn *time.Time
	AudioVideo  bool
}

// SaveItem adds or changes an entry of body bodyID's inspection item list (LIST-1). An entry is
// withdrawn on or after it was published.
func (s *Service) SaveItem(ctx context.Context, by account.Actor, bodyID uint, in ItemInput) (*store.InspectionItem, error) {
	if in.WithdrawnOn != nil && in.PublishedOn != nil && in.WithdrawnOn.Before(*in.PublishedOn) {
		return nil, &FieldError{"withdrawn_on", "err.invalid"}
	}
	it := &store.InspectionItem{ID: in.ID, BodyID: bodyID, Name: strings.TrimSpace(in.Name), LegalBasis: strings.TrimSpace(in.LegalBasis),
		Method: strings.TrimSpace(in.Method), Standard: strings.TrimSpace(in.Standard), PublishedOn: in.PublishedOn, WithdrawnOn: in.WithdrawnOn, AudioVideo: in.AudioVideo}
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		if err := s.manage(ctx, by, bodyID); err != nil {
			return err
		}
		action := "item.add"
		if in.ID != 0 {
			if _, err := s.Item(ctx, bodyID, in.ID); err != nil {
				return err
			}
			action = "item.save"
		}
		if err := s.St.SaveInspectionItem(ctx, it); err != nil {
			return err
		}
		return s.auditBy(ctx, by, action, "inspection_item", uint64(it.ID), "")
	})
	if err != nil {
		return nil, err
	}
	return it, nil
}

// Item reads one entry of a body's list; another body's is ErrNotFound.
func (s *Service) Item(ctx context.Context, bodyID, id uint) (*store.InspectionItem, error) {
	l, err := s.St.ItemsByID(ctx, []uint{id})
	if err != nil {
		return nil, err
	}
	if len(l) == 0 || l[0].BodyID != bodyID {
		return nil, fmt.Errorf("inspections: item %d: %w", id, store.ErrNotFound)
	}
	return &l[0], nil
}

// PlanInput is a body's annual plan.
type PlanInput struct {
	Year        int
	Title       string
	PublishedOn *time.Time
}

// SavePlan records body bodyID's plan for a year (PLAN-1). A published plan that changes (title
// or publication date) is marked changed, which the checks flag.
func (s *Service) SavePlan(ctx context.Context, by account.Actor, bodyID uint, in PlanInput) (*store.Plan, error) {
	now := s.Clock.Now()
	title := strings.TrimSpace(in.Title)
	var p *store.Plan
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		if err := s.manage(ctx, by, bodyID); err != nil {
			return err
		}
		var err error
		p, err = s.St.PlanOf(ctx, bodyID, in.Year)
		switch {
		case errors.Is(err, store.ErrNotFound):
			p = &store.Plan{BodyID: bodyID, Year: in.Year, CreatedAt: now}
		case err != nil:
			return err
		case p.PublishedOn != nil && (p.Title != title || !sameDay(p.PublishedOn, in.PublishedOn)):
			p.ChangedAt = &now
		}
		p.Title, p.PublishedOn, p.UpdatedAt = title, in.PublishedOn, now
		if err := s.St.SavePlan(ctx, p); err != nil {
			return err
		}
		return s.auditBy(ctx, by, "plan.save", "inspection_plan", uint64(p.ID), fmt.Sprintf(`{"year":%d}`, in.Year))
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

func sameDay(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.In(shanghai()).Format("2006-01-02") == b.In(shanghai()).Format("2006-01-02")
}
