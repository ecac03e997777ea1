package portal

import (
	"github.com/gofiber/fiber/v2"

	"qijian/internal/admin"
	"qijian/internal/errs"
	"qijian/portal/api"
)

// The time-limits table by API and by the admin workflow page (issue 19 item 7): list, add,
// change and remove rows of channel × matter type × urgent × stage.

func timeLimitOf(r admin.SLA) api.TimeLimit {
	return api.TimeLimit{ID: r.ID, Channel: r.Channel, Type: r.Type, Stage: r.Stage, Urgent: r.Urgent, Amount: r.Amount, Unit: r.Unit, Fallback: r.Fallback}
}

func (s *Server) apiTimeLimits(c *fiber.Ctx, _ *struct{}, _ *struct{}) (api.List[api.TimeLimit], error) {
	w, err := s.svc.Admin.Workflow(c.UserContext(), viewerOf(c).Actor, langOf(c))
	if err != nil {
		return api.List[api.TimeLimit]{}, err
	}
	out := make([]api.TimeLimit, len(w.SLA))
	for i, r := range w.SLA {
		out[i] = timeLimitOf(r)
	}
	return api.ListOf(out), nil
}

func (s *Server) apiAddTimeLimit(c *fiber.Ctx, _ *struct{}, in *admin.NewSLAInput) (api.TimeLimit, error) {
	r, err := s.svc.Admin.AddSLA(c.UserContext(), viewerOf(c).Actor, *in)
	if err != nil {
		return api.TimeLimit{}, err
	}
	return timeLimitOf(r), nil
}

func (s *Server) apiSetTimeLimit(c *fiber.Ctx, p *api.ID, in *admin.SLAInput) (api.TimeLimit, error) {
	ctx, a := c.UserContext(), viewerOf(c).Actor
	if err := s.svc.Admin.SetSLA(ctx, a, uint(p.ID), *in); err != nil {
		return api.TimeLimit{}, err
	}
	w, err := s.svc.Admin.Workflow(ctx, a, langOf(c))
	if err != nil {
		return api.TimeLimit{}, err
	}
	for _, r := range w.SLA {
		if uint64(r.ID) == p.ID {
			return timeLimitOf(r), nil
		}
	}
	return api.TimeLimit{}, errNotFound
}

func (s *Server) apiDeleteTimeLimit(c *fiber.Ctx, p *api.ID, _ *struct{}) (NoContent, error) {
	return NoContent{}, s.svc.Admin.DeleteSLA(c.UserContext(), viewerOf(c).Actor, uint(p.ID))
}

func (s *Server) adminSLAAdd(c *fiber.Ctx) error {
	var f admin.NewSLAInput
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	if err := s.check(&f); err != nil {
		return err
	}
	if _, err := s.svc.Admin.AddSLA(c.UserContext(), viewerOf(c).Actor, f); err != nil {
		return err
	}
	return c.Redirect("/admin/workflow?saved=1", fiber.StatusSeeOther)
}

func (s *Server) adminSLADelete(c *fiber.Ctx) error {
	id, err := adminPathID(c)
	if err != nil {
		return err
	}
	if err := s.svc.Admin.DeleteSLA(c.UserContext(), viewerOf(c).Actor, id); err != nil {
		return err
	}
	return c.Redirect("/admin/workflow?saved=1", fiber.StatusSeeOther)
}
