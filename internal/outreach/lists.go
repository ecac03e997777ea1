package outreach

import (
	"context"
	"strings"

	"qijian/internal/account"
	"qijian/internal/calendar"
	"qijian/internal/store"
)

// Categories are the five published penalty lists (seed §2.8 三), in their order.
var Categories = []struct{ Code, Zh, En string }{
	{"none", "不予处罚", "No penalty"},
	{"may_none", "可以不予处罚", "Penalty may be waived"},
	{"mitigated", "减轻处罚", "Mitigated penalty"},
	{"lighter", "从轻处罚", "Lighter penalty"},
	{"heavier", "从重处罚", "Heavier penalty"},
}

// ValidCategory tells whether code is one of the five.
func ValidCategory(code string) bool {
	for _, c := range Categories {
		if c.Code == code {
			return true
		}
	}
	return false
}

// PenaltyInput is one entry of a body's list, by the API or the page form.
type PenaltyInput struct {
	Category    string `json:"category" form:"category" validate:"required,oneof=none may_none mitigated lighter heavier"`
	Title       string `json:"title" form:"title" validate:"required,max=200"`
	Basis       string `json:"basis" form:"basis" validate:"required,max=500"`
	Description string `json:"description" form:"description" validate:"max=4000"`
	PublishedOn string `json:"published_on" form:"published_on" validate:"required,datetime=2006-01-02"`
}

// Normalize trims what people type.
func (in *PenaltyInput) Normalize() {
	in.Title, in.Basis = strings.TrimSpace(in.Title), strings.TrimSpace(in.Basis)
}

// AddPenalty publishes one entry of body bodyID's list: its own officers or admins.
func (s *Service) AddPenalty(ctx context.Context, a account.Actor, bodyID uint, in PenaltyInput) (*PenaltyView, error) {
	if !account.Can(a, account.EditPenaltyList, account.Object{BodyID: bodyID}) {
		return nil, ErrForbidden
	}
	in.Normalize()
	p := &store.PenaltyEntry{BodyID: bodyID, Category: in.Category, Title: in.Title, Basis: in.Basis, Description: in.Description, PublishedOn: in.PublishedOn, CreatedAt: s.Clock.Now()}
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		if _, err := s.St.Body(ctx, bodyID); err != nil {
			return notFound(err)
		}
		return s.St.AddPenalty(ctx, p)
	})
	if err != nil {
		return nil, err
	}
	v := penaltyView(p)
	return &v, nil
}

// Penalties is body bodyID's published list, by category; it is public.
func (s *Service) Penalties(ctx context.Context, bodyID uint) ([]PenaltyView, error) {
	if _, err := s.St.Body(ctx, bodyID); err != nil {
		return nil, notFound(err)
	}
	list, err := s.St.Penalties(ctx, bodyID)
	if err != nil {
		return nil, err
	}
	out := make([]PenaltyView, len(list))
	for i := range list {
		out[i] = penaltyView(&list[i])
	}
	return out, nil
}

// PenaltyGroup is one of the five lists.
type PenaltyGroup struct {
	Code, Zh, En string
	Rows         []PenaltyView
}

// ItemView is one entry of a body's inspection item list (LIST-1).
type ItemView struct {
	Name, LegalBasis, Method, Standard string
}

// BodyLists is what a body publishes: its five penalty lists and its inspection item list.
type BodyLists struct {
	Body    BodyOption
	Groups  []PenaltyGroup
	Items   []ItemView
	CanEdit bool // the viewer may add to the penalty lists
	// Plans are the body's published annual inspection plans (seed §2.5 一), latest year first;
	// Specials its published special inspections (§2.5 二). Neither names an enterprise.
	Plans    []PublishedPlan
	Specials []PublishedSpecial
}

// PublishedPlan is an annual plan as the public reads it.
type PublishedPlan struct {
	Year        int
	Title       string
	PublishedOn string // YYYY-MM-DD, Wenzhou
	ChangedOn   string // the first change after publication, if any
}

// PublishedSpecial is a special inspection as the public reads it: when, its items, and the
// dates of its approval and publication.
type PublishedSpecial struct {
	On, ApprovedOn, PublishedOn string
	Items                       []string
}

// BodyLists reads body bodyID's published lists; they are public, a tells whether it may add.
func (s *Service) BodyLists(ctx context.Context, a account.Actor, bodyID uint) (*BodyLists, error) {
	b, err := s.St.Body(ctx, bodyID)
	if err != nil {
		return nil, notFound(err)
	}
	pens, err := s.Penalties(ctx, b.ID)
	if err != nil {
		return nil, err
	}
	items, err := s.St.BodyItems(ctx, b.ID)
	if err != nil {
		return nil, err
	}
	out := &BodyLists{Body: bodyOption(b), CanEdit: account.Can(a, account.EditPenaltyList, account.Object{BodyID: b.ID})}
	for _, cat := range Categories {
		g := PenaltyGroup{Code: cat.Code, Zh: cat.Zh, En: cat.En}
		for _, p := range pens {
			if p.Category == cat.Code {
				g.Rows = append(g.Rows, p)
			}
		}
		out.Groups = append(out.Groups, g)
	}
	for _, it := range items {
		out.Items = append(out.Items, ItemView{Name: it.Name, LegalBasis: it.LegalBasis, Method: it.Method, Standard: it.Standard})
	}
	now := s.Clock.Now()
	plans, err := s.St.BodyPlans(ctx, b.ID)
	if err != nil {
		return nil, err
	}
	for _, p := range plans {
		if p.PublishedOn == nil || p.PublishedOn.After(now) {
			continue
		}
		pp := PublishedPlan{Year: p.Year, Title: p.Title, PublishedOn: calendar.DateOf(*p.PublishedOn).String()}
		if p.ChangedAt != nil {
			pp.ChangedOn = calendar.DateOf(*p.ChangedAt).String()
		}
		out.Plans = append(out.Plans, pp)
	}
	specials, err := s.St.BodyPublishedSpecials(ctx, b.ID, now, 100)
	if err != nil {
		return nil, err
	}
	names := map[uint]string{}
	for _, it := range items {
		names[it.ID] = it.Name
	}
	for _, in := range specials {
		ps := PublishedSpecial{On: calendar.DateOf(in.ScheduledAt).String(), PublishedOn: calendar.DateOf(*in.SpecialPublishedOn).String()}
		if in.SpecialApprovedOn != nil {
			ps.ApprovedOn = calendar.DateOf(*in.SpecialApprovedOn).String()
		}
		for _, id := range in.ItemIDs {
			if n, ok := names[id]; ok {
				ps.Items = append(ps.Items, n)
			}
		}
		out.Specials = append(out.Specials, ps)
	}
	return out, nil
}

// PublishingBodies are the bodies whose lists the public may read.
func (s *Service) PublishingBodies(ctx context.Context) ([]BodyOption, error) {
	all, err := s.St.Bodies(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]BodyOption, len(all))
	for i := range all {
		out[i] = bodyOption(&all[i])
	}
	return out, nil
}
