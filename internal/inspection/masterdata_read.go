package inspection

import (
	"context"
	"errors"
	"fmt"
	"time"

	"qijian/internal/account"
	"qijian/internal/inspection/rules"
	"qijian/internal/store"
)

// InspectorView is one of a body's inspectors (SUBJ-2), with its dates for a page.
type InspectorView struct {
	rules.Inspector
}

// From and To are the credential's first and last days, Wenzhou time.
func (v InspectorView) From() string { return day(&v.ValidFrom) }

// To is the day the credential ends.
func (v InspectorView) To() string { return day(&v.ValidTo) }

func inspectorView(p *store.Inspector) InspectorView {
	v := InspectorView{p.Inspector}
	v.ValidFrom, v.ValidTo = v.ValidFrom.UTC(), v.ValidTo.UTC()
	return v
}

// ItemView is an entry of a body's inspection item list (LIST-1), with its dates for a page.
type ItemView struct {
	rules.Item
}

// Published is the day it was published, "" if not.
func (v ItemView) Published() string { return day(v.PublishedOn) }

// Withdrawn is the day it was withdrawn, "" if not.
func (v ItemView) Withdrawn() string { return day(v.WithdrawnOn) }

func itemView(it *store.InspectionItem) ItemView {
	v := ItemView{it.Item}
	v.PublishedOn, v.WithdrawnOn = utc(it.PublishedOn), utc(it.WithdrawnOn)
	return v
}

// PlanView is a body's annual plan (PLAN-1).
type PlanView struct {
	ID          uint
	BodyID      uint
	Year        int
	Title       string
	PublishedOn *time.Time
	ChangedAt   *time.Time // changed after publication, which the checks flag
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Published is the day it was published, "" if not.
func (v PlanView) Published() string { return day(v.PublishedOn) }

// Changed tells whether it changed after publication.
func (v PlanView) Changed() bool { return v.ChangedAt != nil }

func planView(p *store.Plan) PlanView {
	return PlanView{ID: p.ID, BodyID: p.BodyID, Year: p.Year, Title: p.Title, PublishedOn: utc(p.PublishedOn), ChangedAt: utc(p.ChangedAt), CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC()}
}

// MasterData is what the master-data page shows of one body.
type MasterData struct {
	Body       *account.Body
	Inspectors []InspectorView
	Items      []ItemView
	Plans      []PlanView // latest year first
}

// ManagedBody reads a body whose master data the caller may write: another's is ErrForbidden
// (said before whether it exists), an unknown one ErrNotFound.
func (s *Service) ManagedBody(ctx context.Context, by account.Actor, bodyID uint) (*account.Body, error) {
	if !CanManage(by, bodyID) {
		return nil, ErrForbidden
	}
	return s.body(ctx, bodyID)
}

// MasterData reads a body's inspectors, item list and plans for one who may write them.
func (s *Service) MasterData(ctx context.Context, by account.Actor, bodyID uint) (*MasterData, error) {
	b, err := s.ManagedBody(ctx, by, bodyID)
	if err != nil {
		return nil, err
	}
	out := &MasterData{Body: b}
	if out.Inspectors, err = s.BodyInspectors(ctx, bodyID); err != nil {
		return nil, err
	}
	if out.Items, err = s.BodyItems(ctx, bodyID); err != nil {
		return nil, err
	}
	plans, err := s.St.BodyPlans(ctx, bodyID)
	if err != nil {
		return nil, fmt.Errorf("inspections: plans: %w", err)
	}
	for i := range plans {
		out.Plans = append(out.Plans, planView(&plans[i]))
	}
	return out, nil
}

// BodyInspectors lists a body's inspectors and credentials (SUBJ-2), public to every signed-in
// role; an unknown body is ErrNotFound.
func (s *Service) BodyInspectors(ctx context.Context, bodyID uint) ([]InspectorView, error) {
	if _, err := s.body(ctx, bodyID); err != nil {
		return nil, err
	}
	l, err := s.St.BodyInspectors(ctx, bodyID)
	if err != nil {
		return nil, fmt.Errorf("inspections: inspectors: %w", err)
	}
	out := make([]InspectorView, len(l))
	for i := range l {
		out[i] = inspectorView(&l[i])
	}
	return out, nil
}

// BodyItems lists a body's inspection item list (LIST-1); an unknown body is ErrNotFound.
func (s *Service) BodyItems(ctx context.Context, bodyID uint) ([]ItemView, error) {
	if _, err := s.body(ctx, bodyID); err != nil {
		return nil, err
	}
	l, err := s.St.BodyItems(ctx, bodyID)
	if err != nil {
		return nil, fmt.Errorf("inspections: items: %w", err)
	}
	out := make([]ItemView, len(l))
	for i := range l {
		out[i] = itemView(&l[i])
	}
	return out, nil
}

// Bodies lists every enforcement body (an admin picks one to work on).
func (s *Service) Bodies(ctx context.Context) ([]account.Body, error) {
	l, err := s.St.Bodies(ctx)
	if err != nil {
		return nil, fmt.Errorf("inspections: bodies: %w", err)
	}
	return l, nil
}

// InspectorForm is the form to edit one of a managed body's inspectors (id 0: a new one, on
// post and active).
func (s *Service) InspectorForm(ctx context.Context, by account.Actor, bodyID, id uint) (*InspectorInput, error) {
	if _, err := s.ManagedBody(ctx, by, bodyID); err != nil {
		return nil, err
	}
	if id == 0 {
		return &InspectorInput{Staff: "on_post"}, nil
	}
	p, err := s.inspector(ctx, bodyID, id)
	if err != nil {
		return nil, err
	}
	return &InspectorInput{ID: p.ID, Name: p.Name, CredentialNo: p.CredentialNo, ValidFrom: day(&p.ValidFrom), ValidTo: day(&p.ValidTo), Staff: string(p.Staff), Active: &p.Active}, nil
}

// On tells whether the form shows the inspector on post (left out: yes).
func (in InspectorInput) On() bool { return in.Active == nil || *in.Active }

// ItemForm is the form to edit an entry of a managed body's item list (id 0: a new one).
func (s *Service) ItemForm(ctx context.Context, by account.Actor, bodyID, id uint) (*ItemInput, error) {
	if _, err := s.ManagedBody(ctx, by, bodyID); err != nil {
		return nil, err
	}
	if id == 0 {
		return &ItemInput{}, nil
	}
	it, err := s.item(ctx, bodyID, id)
	if err != nil {
		return nil, err
	}
	return &ItemInput{ID: it.ID, Name: it.Name, LegalBasis: it.LegalBasis, Method: it.Method, Standard: it.Standard,
		PublishedOn: day(it.PublishedOn), WithdrawnOn: day(it.WithdrawnOn), AudioVideo: it.AudioVideo}, nil
}

// PlanForm is the form for a managed body's plan of a year (year 0: this year's, blank).
func (s *Service) PlanForm(ctx context.Context, by account.Actor, bodyID uint, year int) (*PlanInput, error) {
	if _, err := s.ManagedBody(ctx, by, bodyID); err != nil {
		return nil, err
	}
	if year == 0 {
		return &PlanInput{Year: s.Clock.Now().In(shanghai()).Year()}, nil
	}
	f := &PlanInput{Year: year}
	p, err := s.St.PlanOf(ctx, bodyID, year)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return nil, fmt.Errorf("inspections: plan: %w", err)
	default:
		f.Title, f.PublishedOn = p.Title, day(p.PublishedOn)
	}
	return f, nil
}
