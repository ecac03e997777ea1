package portal

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/admin"
	"qijian/internal/errs"
)

// adminCalendar lists the admin's overrides of the official calendar (holidays and 调休 come
// from the library; a local day off or a correction goes here).
func (s *Server) adminCalendar(c *fiber.Ctx) error {
	return s.renderCalendar(c, nil, nil)
}

// renderCalendar is the calendar page of ?year= (this year by default): the years loaded and
// from where, the year as a calendar, the overrides and the import form (with a refused import's
// lines and text, if any).
func (s *Server) renderCalendar(c *fiber.Ctx, form *admin.YearImport, bad []admin.ImportLineError) error {
	a := viewerOf(c).Actor
	rows, err := s.svc.Admin.Overrides(c.UserContext(), a)
	if err != nil {
		return err
	}
	year := c.QueryInt("year")
	if form != nil {
		year = form.Year
	}
	y, err := s.svc.Admin.Year(c.UserContext(), a, year)
	if err != nil {
		return err
	}
	if form == nil {
		form = &admin.YearImport{Year: y.Year}
	}
	return s.render(c, "admin_calendar", fiber.Map{"Title": tr(langOf(c), "admin.calendar"), "Rows": rows, "Saved": c.Query("saved") == "1",
		"Cal": y, "Prev": y.Year - 1, "Next": y.Year + 1, "Import": form, "Bad": bad, "Weekdays": []string{"一", "二", "三", "四", "五", "六", "日"}})
}

// adminCalendarImport enters or imports a year's holidays and adjusted working days.
func (s *Server) adminCalendarImport(c *fiber.Ctx) error {
	var f admin.YearImport
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	if err := s.check(&f); err != nil {
		return err
	}
	bad, err := s.svc.Admin.ImportYear(c.UserContext(), viewerOf(c).Actor, f)
	if len(bad) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
		return s.renderCalendar(c, &f, bad)
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/admin/calendar?year=%d&saved=1", f.Year), fiber.StatusSeeOther)
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
