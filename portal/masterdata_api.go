package portal

import (
	"github.com/gofiber/fiber/v2"

	"qijian/internal/inspection"
	"qijian/portal/api"
)

// An enforcement body's master data by API: any signed-in caller reads a body's inspectors and
// item list; its officers and admins write them (the use cases decide). The pages
// (masterdata_pages.go) bind the same inputs and call the same use cases.

// SUBJ-2: a body's inspectors with their credentials.
func (s *Server) apiBodyInspectors(c *fiber.Ctx, p *api.BodyPath, _ *struct{}) (api.List[api.Inspector], error) {
	l, err := s.svc.Inspections.BodyInspectors(c.UserContext(), p.ID)
	if err != nil {
		return api.List[api.Inspector]{}, err
	}
	out := make([]api.Inspector, len(l))
	for i := range l {
		out[i] = inspectorOut(&l[i])
	}
	return api.ListOf(out), nil
}

func (s *Server) apiAddInspector(c *fiber.Ctx, p *api.BodyPath, in *inspection.InspectorInput) (api.Inspector, error) {
	v, err := s.svc.Inspections.SaveInspector(c.UserContext(), viewerOf(c).Actor, p.ID, *in)
	if err != nil {
		return api.Inspector{}, err
	}
	return inspectorOut(v), nil
}

func inspectorOut(v *inspection.InspectorView) api.Inspector {
	return api.Inspector{ID: v.ID, BodyID: v.BodyID, Name: v.Name, CredentialNo: v.CredentialNo, ValidFrom: v.ValidFrom, ValidTo: v.ValidTo, Staff: string(v.Staff), Active: v.Active}
}

// LIST-1: a body's published inspection item list.
func (s *Server) apiBodyItems(c *fiber.Ctx, p *api.BodyPath, _ *struct{}) (api.List[api.Item], error) {
	l, err := s.svc.Inspections.BodyItems(c.UserContext(), p.ID)
	if err != nil {
		return api.List[api.Item]{}, err
	}
	out := make([]api.Item, len(l))
	for i := range l {
		out[i] = itemOut(&l[i])
	}
	return api.ListOf(out), nil
}

func (s *Server) apiAddItem(c *fiber.Ctx, p *api.BodyPath, in *inspection.ItemInput) (api.Item, error) {
	v, err := s.svc.Inspections.SaveItem(c.UserContext(), viewerOf(c).Actor, p.ID, *in)
	if err != nil {
		return api.Item{}, err
	}
	return itemOut(v), nil
}

func itemOut(v *inspection.ItemView) api.Item {
	return api.Item{ID: v.ID, BodyID: v.BodyID, Name: v.Name, LegalBasis: v.LegalBasis, Method: v.Method, Standard: v.Standard,
		PublishedOn: v.PublishedOn, WithdrawnOn: v.WithdrawnOn, AudioVideo: v.AudioVideo}
}

// apiSavePlan records a body's annual plan (PLAN-1). Changing a published plan is recorded as a
// change, which the checks flag.
func (s *Server) apiSavePlan(c *fiber.Ctx, p *api.BodyPath, in *inspection.PlanInput) (api.Plan, error) {
	v, err := s.svc.Inspections.SavePlan(c.UserContext(), viewerOf(c).Actor, p.ID, *in)
	if err != nil {
		return api.Plan{}, err
	}
	return api.Plan{ID: v.ID, BodyID: v.BodyID, Year: v.Year, Title: v.Title, PublishedOn: v.PublishedOn, ChangedAt: v.ChangedAt, CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}, nil
}
