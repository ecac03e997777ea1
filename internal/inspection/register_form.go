package inspection

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"qijian/internal/account"
	"qijian/internal/errs"
	"qijian/internal/store"
)

// Kinds are the kinds of inspection, as the registration form offers them.
var Kinds = []string{"planned", "special", "triggered", "requested", "joint"}

// RegistrationForm is an inspection as an officer registers it by page: the enterprise by its
// credit code, the time as typed (Wenzhou time), the special inspection's record as days.
type RegistrationForm struct {
	Kind              string `json:"kind" form:"kind" validate:"required,oneof=planned special triggered requested joint"`
	EnterpriseUSCC    string `json:"enterprise_uscc" form:"enterprise_uscc" validate:"required,uscc"`
	BodyIDs           []uint `json:"body_ids" form:"body_ids" validate:"required,min=1,max=10"`
	ItemIDs           []uint `json:"item_ids" form:"item_ids" validate:"max=50"`
	InspectorIDs      []uint `json:"inspector_ids" form:"inspector_ids" validate:"max=20"`
	ScheduledAt       string `json:"scheduled_at" form:"scheduled_at" validate:"required"`
	Place             string `json:"place" form:"place" validate:"max=200"`
	County            string `json:"county" form:"county" validate:"omitempty,county"`
	CrossAreaApproval string `json:"cross_area_approval" form:"cross_area_approval" validate:"max=100"`
	NoticeWithheld    bool   `json:"notice_withheld" form:"notice_withheld"`
	// NoticeDeliveredAt is when the notice was delivered, as typed (Wenzhou time); empty: not yet.
	NoticeDeliveredAt   string `json:"notice_delivered_at" form:"notice_delivered_at"`
	NoticeWithheldBasis string `json:"notice_withheld_basis" form:"notice_withheld_basis" validate:"max=200"`
	FrequencyApprover   string `json:"frequency_approver" form:"frequency_approver" validate:"max=100"`
	FrequencyApprovalNo string `json:"frequency_approval_no" form:"frequency_approval_no" validate:"max=100"`
	FrequencyApprovedOn string `json:"frequency_approved_on" form:"frequency_approved_on" validate:"omitempty,datetime=2006-01-02"`
	KeepSeparate        bool   `json:"keep_separate" form:"keep_separate"`
	KeepSeparateReason  string `json:"keep_separate_reason" form:"keep_separate_reason" validate:"max=500"`
	CrossAreaApprover   string `json:"cross_area_approver" form:"cross_area_approver" validate:"max=100"`
	CrossAreaDocNo      string `json:"cross_area_doc_no" form:"cross_area_doc_no" validate:"max=100"`
	CrossAreaApprovedOn string `json:"cross_area_approved_on" form:"cross_area_approved_on" validate:"omitempty,datetime=2006-01-02"`
	CrossAreaNotifiedOn string `json:"cross_area_notified_on" form:"cross_area_notified_on" validate:"omitempty,datetime=2006-01-02"`
	LegalReviewOn       string `json:"legal_review_on" form:"legal_review_on" validate:"omitempty,datetime=2006-01-02"`
	DecisionOn          string `json:"collective_decision_on" form:"collective_decision_on" validate:"omitempty,datetime=2006-01-02"`
	ApprovedOn          string `json:"approved_on" form:"approved_on" validate:"omitempty,datetime=2006-01-02"`
	FiledOn             string `json:"filed_on" form:"filed_on" validate:"omitempty,datetime=2006-01-02"`
	SpPublishedOn       string `json:"sp_published_on" form:"sp_published_on" validate:"omitempty,datetime=2006-01-02"`
}

// Registration is the form as the use case registers it, for the enterprise found by its credit
// code and the times read from the form (delivered is nil for a notice not yet delivered). A special inspection keeps its record's days; a bad day
// was refused by the form's rules before.
func (f *RegistrationForm) Registration(enterpriseID uint, at time.Time, delivered *time.Time) Registration {
	r := Registration{Kind: f.Kind, EnterpriseID: enterpriseID, BodyIDs: f.BodyIDs, ItemIDs: f.ItemIDs, InspectorIDs: f.InspectorIDs,
		ScheduledAt: at, Place: strings.TrimSpace(f.Place), County: f.County, CrossAreaApproval: f.CrossAreaApproval, NoticeWithheld: f.NoticeWithheld, KeepSeparate: f.KeepSeparate, KeepSeparateReason: f.KeepSeparateReason,
		NoticeDeliveredAt: delivered, NoticeWithheldBasis: f.NoticeWithheldBasis,
		FrequencyApprover: f.FrequencyApprover, FrequencyApprovalNo: f.FrequencyApprovalNo, FrequencyApprovedOn: optDay(f.FrequencyApprovedOn),
		CrossAreaApprover: f.CrossAreaApprover, CrossAreaDocNo: f.CrossAreaDocNo, CrossAreaApprovedOn: optDay(f.CrossAreaApprovedOn), CrossAreaNotifiedOn: optDay(f.CrossAreaNotifiedOn)}
	if f.Kind == "special" {
		r.Special = &Special{LegalReviewOn: optDay(f.LegalReviewOn), CollectiveDecisionOn: optDay(f.DecisionOn), ApprovedOn: optDay(f.ApprovedOn),
			FiledOn: optDay(f.FiledOn), PublishedOn: optDay(f.SpPublishedOn)}
	}
	return r
}

func optDay(s string) *time.Time {
	t, _ := parseDay(s)
	return t
}

// CanRegister tells whether by's role registers inspections at all (officers and admins); an
// officer may still register only where its body takes part.
func CanRegister(by account.Actor) bool {
	return by.Role == account.RoleOfficer || by.Role == account.RoleAdmin
}

// Choice is a checkbox of the registration form.
type Choice struct {
	ID      uint
	Name    string
	Note    string
	Checked bool
}

// BodyChoice is a body of the registration form; a chosen one offers its current items and
// active inspectors.
type BodyChoice struct {
	ID         uint
	Name       string
	Chosen     bool
	Items      []Choice
	Inspectors []Choice
}

// RegisterOptions is what the registration form offers.
type RegisterOptions struct {
	Bodies   []BodyChoice
	Counties []account.County
}

// RegisterOptions lists every body (in lang), the chosen ones with the items not withdrawn and
// the active inspectors, ticked where picked.
func (s *Service) RegisterOptions(ctx context.Context, lang string, chosen, items, inspectors []uint) (*RegisterOptions, error) {
	bodies, err := s.St.Bodies(ctx)
	if err != nil {
		return nil, fmt.Errorf("inspections: register form: %w", err)
	}
	out := &RegisterOptions{}
	for _, b := range bodies {
		ch := BodyChoice{ID: b.ID, Name: b.NameZh, Chosen: slices.Contains(chosen, b.ID)}
		if lang == "en" && b.NameEn != "" {
			ch.Name = b.NameEn
		}
		if ch.Chosen {
			list, err := s.St.BodyItems(ctx, b.ID)
			if err != nil {
				return nil, fmt.Errorf("inspections: register form: %w", err)
			}
			for _, it := range list {
				if it.WithdrawnOn == nil {
					ch.Items = append(ch.Items, Choice{ID: it.ID, Name: it.Name, Note: it.LegalBasis, Checked: slices.Contains(items, it.ID)})
				}
			}
			people, err := s.St.BodyInspectors(ctx, b.ID)
			if err != nil {
				return nil, fmt.Errorf("inspections: register form: %w", err)
			}
			for _, p := range people {
				if p.Active {
					ch.Inspectors = append(ch.Inspectors, Choice{ID: p.ID, Name: p.Name, Note: p.CredentialNo + " · " + day(&p.ValidTo), Checked: slices.Contains(inspectors, p.ID)})
				}
			}
		}
		out.Bodies = append(out.Bodies, ch)
	}
	if out.Counties, err = s.St.Counties(ctx); err != nil {
		return nil, fmt.Errorf("inspections: register form: %w", err)
	}
	return out, nil
}

// EnterpriseByUSCC finds the enterprise a registration names by its credit code: a code that is
// not one is bad input (err.uscc), an unknown one too (err.invalid), both on enterprise_uscc.
func (s *Service) EnterpriseByUSCC(ctx context.Context, raw string) (uint, error) {
	code := account.NormalizeUSCC(raw)
	e, err := s.St.EnterpriseByUSCC(ctx, code)
	switch {
	case err == nil:
		return e.ID, nil
	case !errors.Is(err, store.ErrNotFound):
		return 0, fmt.Errorf("inspections: enterprise: %w", err)
	case !account.ValidUSCC(code):
		return 0, errs.Field("enterprise_uscc", "err.uscc")
	}
	return 0, errs.Field("enterprise_uscc", "err.invalid")
}
