package portal

import (
	"github.com/gofiber/fiber/v2"

	"qijian/internal/admin"
	"qijian/internal/errs"
	"qijian/internal/grievance/lifecycle"
)

// adminWorkflow shows the routing table and the SLA table, both editable.
func (s *Server) adminWorkflow(c *fiber.Ctx) error {
	ctx, lang := c.UserContext(), langOf(c)
	w, err := s.svc.Admin.Workflow(ctx, viewerOf(c).Actor, lang)
	if err != nil {
		return err
	}
	opts, err := s.svc.Admin.Options(ctx, lang)
	if err != nil {
		return err
	}
	return s.render(c, "admin_workflow", fiber.Map{"Title": tr(lang, "admin.workflow"), "Workflow": w, "Options": opts, "Saved": c.Query("saved") == "1", "Stages": lifecycle.Stages})
}

func (s *Server) adminRuleAdd(c *fiber.Ctx) error {
	var f admin.RuleInput
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	if err := s.check(&f); err != nil {
		return err
	}
	if _, err := s.svc.Admin.AddRule(c.UserContext(), viewerOf(c).Actor, f); err != nil {
		return err
	}
	return c.Redirect("/admin/workflow?saved=1", fiber.StatusSeeOther)
}

func (s *Server) adminRuleDelete(c *fiber.Ctx) error {
	id, err := adminPathID(c)
	if err != nil {
		return err
	}
	if err := s.svc.Admin.DeleteRule(c.UserContext(), viewerOf(c).Actor, id); err != nil {
		return err
	}
	return c.Redirect("/admin/workflow?saved=1", fiber.StatusSeeOther)
}

func (s *Server) adminSLASave(c *fiber.Ctx) error {
	id, err := adminPathID(c)
	if err != nil {
		return err
	}
	var f admin.SLAInput
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	if err := s.check(&f); err != nil {
		return err
	}
	if err := s.svc.Admin.SetSLA(c.UserContext(), viewerOf(c).Actor, id, f); err != nil {
		return err
	}
	return c.Redirect("/admin/workflow?saved=1", fiber.StatusSeeOther)
}
