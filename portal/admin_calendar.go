package portal

import (
	"context"
	"fmt"
	"strings"

	"qijian/internal/errs"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/store"
)

type overrideForm struct {
	Day     string `form:"day" validate:"required,datetime=2006-01-02"`
	Working bool   `form:"working"`
	Name    string `form:"name" validate:"max=60"`
}

// adminCalendar lists the admin's overrides of the official calendar (holidays and 调休 come
// from the library; a local day off or a correction goes here).
func (s *Server) adminCalendar(c *fiber.Ctx) error {
	rows, err := s.Store.CalendarOverrides(c.UserContext())
	if err != nil {
		return err
	}
	return s.render(c, "admin_calendar", fiber.Map{"Title": tr(langOf(c), "admin.calendar"), "Rows": rows, "Saved": c.Query("saved") == "1"})
}

func (s *Server) adminCalendarSave(c *fiber.Ctx) error {
	var f overrideForm
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	if err := s.check(&f); err != nil {
		return err
	}
	err := s.Store.WithTx(c.UserContext(), func(ctx context.Context) error {
		if err := s.Store.SaveCalendarOverride(ctx, &store.CalendarOverride{Day: f.Day, Working: f.Working, Name: strings.TrimSpace(f.Name)}); err != nil {
			return err
		}
		return s.audit(ctx, c, "calendar.override", "calendar", 0, fmt.Sprintf(`{"day":%q,"working":%v}`, f.Day, f.Working))
	})
	if err != nil {
		return err
	}
	return s.reloadCalendar(c)
}

func (s *Server) adminCalendarDelete(c *fiber.Ctx) error {
	day := c.FormValue("day")
	err := s.Store.WithTx(c.UserContext(), func(ctx context.Context) error {
		if err := s.Store.DeleteCalendarOverride(ctx, day); err != nil {
			return err
		}
		return s.audit(ctx, c, "calendar.override.delete", "calendar", 0, fmt.Sprintf(`{"day":%q}`, day))
	})
	if err != nil {
		return err
	}
	return s.reloadCalendar(c)
}

// reloadCalendar applies the stored overrides in this process at once; other processes pick
// them up on their periodic reload.
func (s *Server) reloadCalendar(c *fiber.Ctx) error {
	if err := s.Store.LoadCalendar(c.UserContext(), s.Calendar); err != nil {
		return err
	}
	return c.Redirect("/admin/calendar?saved=1", fiber.StatusSeeOther)
}
