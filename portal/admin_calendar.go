package portal

import (
	"github.com/gofiber/fiber/v2"

	"qijian/internal/admin"
	"qijian/internal/errs"
)

// adminCalendar lists the admin's overrides of the official calendar (holidays and 调休 come
// from the library; a local day off or a correction goes here).
func (s *Server) adminCalendar(c *fiber.Ctx) error {
	rows, err := s.svc.Admin.Overrides(c.UserContext(), viewerOf(c).Actor)
	if err != nil {
		return err
	}
	return s.render(c, "admin_calendar", fiber.Map{"Title": tr(langOf(c), "admin.calendar"), "Rows": rows, "Saved": c.Query("saved") == "1"})
}

func (s *Server) adminCalendarSave(c *fiber.Ctx) error {
	var f admin.OverrideInput
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	if err := s.check(&f); err != nil {
		return err
	}
	if err := s.svc.Admin.SaveOverride(c.UserContext(), viewerOf(c).Actor, f); err != nil {
		return err
	}
	return c.Redirect("/admin/calendar?saved=1", fiber.StatusSeeOther)
}

func (s *Server) adminCalendarDelete(c *fiber.Ctx) error {
	var f admin.OverrideDay
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	if err := s.check(&f); err != nil {
		return err
	}
	if err := s.svc.Admin.DeleteOverride(c.UserContext(), viewerOf(c).Actor, f); err != nil {
		return err
	}
	return c.Redirect("/admin/calendar?saved=1", fiber.StatusSeeOther)
}
