package inspection

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"qijian/internal/account"
	"qijian/internal/audit"
	"qijian/internal/calendar"
	"qijian/internal/errs"
	"qijian/internal/inspection/rules"
	"qijian/internal/store"
)

// Master data of an enforcement body: its inspectors (SUBJ-2), its inspection item list (LIST-1)
// and its annual plans (PLAN-1). A body's own officers and admins write it
// (account.ManageBodyData); the page and the API bind the same inputs and come here.

// CanManage reports whether by may write body bodyID's master data.
func CanManage(by account.Actor, bodyID uint) bool {
	return account.Can(by, account.ManageBodyData, account.Object{BodyID: bodyID})
}

// manage: the body must exist (ErrNotFound) and be the caller's to write (ErrForbidden).
func (s *Service) manage(ctx context.Context, by account.Actor, bodyID uint) error {
	if _, err := s.body(ctx, bodyID); err != nil {
		return err
	}
	if !CanManage(by, bodyID) {
		return ErrForbidden
	}
	return nil
}

func (s *Service) body(ctx context.Context, id uint) (*account.Body, error) {
	b, err := s.St.Body(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("inspections: body %d: %w", id, ErrNotFound)
	}
	return b, err
}

func (s *Service) auditBy(ctx context.Context, by account.Actor, action, objType string, id uint64, detail string) error {
	return s.St.QueueAudit(ctx, audit.Event{At: s.Clock.Now(), ActorID: by.UserID, ActorRole: string(by.Role), Action: action, ObjectType: objType, ObjectID: id, Detail: detail})
}

// InspectorInput is an inspector as the page's form or the API gives it. ID 0 adds one; only
// the page edits (the API adds, so the id is not part of its body).
type InspectorInput struct {
	ID           uint   `json:"-" form:"id"`
	Name         string `json:"name" form:"name" validate:"required,max=60"`
	CredentialNo string `json:"credential_no" form:"credential_no" validate:"required,max=40"`
	ValidFrom    string `json:"valid_from" form:"valid_from" validate:"required,datetime=2006-01-02" doc:"first day of the credential, YYYY-MM-DD"`
	ValidTo      string `json:"valid_to" form:"valid_to" validate:"required,datetime=2006-01-02" doc:"the day it ends, YYYY-MM-DD"`
	Staff        string `json:"staff" form:"staff" validate:"required,oneof=on_post auxiliary grid_worker temporary"`
	Active       *bool  `json:"active" form:"active" doc:"on post; true when left out"`
}

// Normalize trims what people type.
func (in *InspectorInput) Normalize() {
	in.Name, in.CredentialNo = strings.TrimSpace(in.Name), strings.TrimSpace(in.CredentialNo)
}

// StaffKinds are the kinds of staff an inspector may be; only on_post may inspect (SUBJ-2).
var StaffKinds = []string{"on_post", "auxiliary", "grid_worker", "temporary"}

// SaveInspector adds or changes one of body bodyID's inspectors: credential number, validity and
// status (SUBJ-2). The credential must end after it starts.
func (s *Service) SaveInspector(ctx context.Context, by account.Actor, bodyID uint, in InspectorInput) (*InspectorView, error) {
	in.Normalize()
	var p *store.Inspector
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		if err := s.manage(ctx, by, bodyID); err != nil {
			return err
		}
		from, ferr := parseDay(in.ValidFrom)
		to, terr := parseDay(in.ValidTo)
		if ferr != nil || from == nil {
			return errs.Field("valid_from", "err.invalid")
		}
		if terr != nil || to == nil || !to.After(*from) {
			return errs.Field("valid_to", "err.invalid")
		}
		p = &store.Inspector{Inspector: rules.Inspector{ID: in.ID, BodyID: bodyID, Name: in.Name, CredentialNo: in.CredentialNo,
			ValidFrom: from.UTC(), ValidTo: to.UTC(), Staff: rules.StaffKind(in.Staff), Active: in.Active == nil || *in.Active}}
		action := "inspector.add"
		if in.ID != 0 {
			if _, err := s.inspector(ctx, bodyID, in.ID); err != nil {
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
		return nil, fmt.Errorf("inspections: save inspector: %w", err)
	}
	v := inspectorView(p)
	return &v, nil
}

// inspector reads one of a body's inspectors; another body's is ErrNotFound.
func (s *Service) inspector(ctx context.Context, bodyID, id uint) (*store.Inspector, error) {
	l, err := s.St.InspectorsByID(ctx, []uint{id})
	if err != nil {
		return nil, err
	}
	if len(l) == 0 || l[0].BodyID != bodyID {
		return nil, fmt.Errorf("inspections: inspector %d: %w", id, ErrNotFound)
	}
	return &l[0], nil
}

// ItemInput is an entry of the item list as the page's form or the API gives it; ID 0 adds one
// (only the page edits).
type ItemInput struct {
	ID          uint   `json:"-" form:"id"`
	Name        string `json:"name" form:"name" validate:"required,max=200"`
	LegalBasis  string `json:"legal_basis" form:"legal_basis" validate:"required,max=2000"`
	Method      string `json:"method" form:"method" validate:"max=200"`
	Standard    string `json:"standard" form:"standard" validate:"max=2000"`
	PublishedOn string `json:"published_on" form:"published_on" validate:"omitempty,datetime=2006-01-02" doc:"YYYY-MM-DD; not published when left out"`
	WithdrawnOn string `json:"withdrawn_on" form:"withdrawn_on" validate:"omitempty,datetime=2006-01-02" doc:"YYYY-MM-DD, on or after publication"`
	AudioVideo  bool   `json:"audio_video" form:"audio_video" doc:"an audio/video record of the item is required (RECORD-1)"`
}

// Normalize trims what people type.
func (in *ItemInput) Normalize() {
	in.Name, in.LegalBasis = strings.TrimSpace(in.Name), strings.TrimSpace(in.LegalBasis)
	in.Method, in.Standard = strings.TrimSpace(in.Method), strings.TrimSpace(in.Standard)
}

// SaveItem adds or changes an entry of body bodyID's inspection item list (LIST-1). An entry is
// withdrawn on or after it was published.
func (s *Service) SaveItem(ctx context.Context, by account.Actor, bodyID uint, in ItemInput) (*ItemView, error) {
	in.Normalize()
	var it *store.InspectionItem
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		if err := s.manage(ctx, by, bodyID); err != nil {
			return err
		}
		pub, perr := parseDay(in.PublishedOn)
		wd, werr := parseDay(in.WithdrawnOn)
		if perr != nil {
			return errs.Field("published_on", "err.invalid")
		}
		if werr != nil || (wd != nil && pub != nil && wd.Before(*pub)) {
			return errs.Field("withdrawn_on", "err.invalid")
		}
		it = &store.InspectionItem{Item: rules.Item{ID: in.ID, BodyID: bodyID, Name: in.Name, LegalBasis: in.LegalBasis,
			Method: in.Method, Standard: in.Standard, PublishedOn: pub, WithdrawnOn: wd, AudioVideo: in.AudioVideo}}
		action := "item.add"
		if in.ID != 0 {
			if _, err := s.item(ctx, bodyID, in.ID); err != nil {
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
		return nil, fmt.Errorf("inspections: save item: %w", err)
	}
	v := itemView(it)
	return &v, nil
}

// item reads one entry of a body's list; another body's is ErrNotFound.
func (s *Service) item(ctx context.Context, bodyID, id uint) (*store.InspectionItem, error) {
	l, err := s.St.ItemsByID(ctx, []uint{id})
	if err != nil {
		return nil, err
	}
	if len(l) == 0 || l[0].BodyID != bodyID {
		return nil, fmt.Errorf("inspections: item %d: %w", id, ErrNotFound)
	}
	return &l[0], nil
}

// PlanInput is a body's annual plan as the page's form or the API gives it.
type PlanInput struct {
	Year        int    `json:"year" form:"year" validate:"required,min=2020,max=2100"`
	Title       string `json:"title" form:"title" validate:"required,max=200"`
	PublishedOn string `json:"published_on" form:"published_on" validate:"omitempty,datetime=2006-01-02" doc:"YYYY-MM-DD; by 31 March (PLAN-1)"`
}

// Normalize trims what people type.
func (in *PlanInput) Normalize() { in.Title = strings.TrimSpace(in.Title) }

// SavePlan records body bodyID's plan for a year (PLAN-1). A published plan that changes (title
// or publication date) is marked changed, which the checks flag.
func (s *Service) SavePlan(ctx context.Context, by account.Actor, bodyID uint, in PlanInput) (*PlanView, error) {
	in.Normalize()
	now := s.Clock.Now()
	var p *store.Plan
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		if err := s.manage(ctx, by, bodyID); err != nil {
			return err
		}
		pub, err := parseDay(in.PublishedOn)
		if err != nil {
			return errs.Field("published_on", "err.invalid")
		}
		if pub != nil && calendar.DateOf(*pub).Compare(calendar.DateOf(now)) > 0 { // a plan is published on a day that has come
			return errs.Field("published_on", "err.future_date")
		}
		p, err = s.St.PlanOf(ctx, bodyID, in.Year)
		switch {
		case errors.Is(err, store.ErrNotFound):
			p = &store.Plan{BodyID: bodyID, Year: in.Year, CreatedAt: now}
		case err != nil:
			return err
		case p.PublishedOn != nil && p.ChangedAt == nil && (p.Title != in.Title || !sameDay(p.PublishedOn, pub)):
			p.ChangedAt = &now // the first change after publication: the finding is one per body and year
		}
		p.Title, p.PublishedOn, p.UpdatedAt = in.Title, pub, now
		if err := s.St.SavePlan(ctx, p); err != nil {
			return err
		}
		return s.auditBy(ctx, by, "plan.save", "inspection_plan", uint64(p.ID), fmt.Sprintf(`{"year":%d}`, in.Year))
	})
	if err != nil {
		return nil, fmt.Errorf("inspections: save plan: %w", err)
	}
	v := planView(p)
	return &v, nil
}

func sameDay(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return day(a) == day(b)
}
