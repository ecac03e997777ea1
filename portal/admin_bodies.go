package portal

import (
	"github.com/gofiber/fiber/v2"

	"qijian/internal/admin"
	"qijian/internal/errs"
)

func (s *Server) adminBodies(c *fiber.Ctx) error {
	lang := langOf(c)
	bodies, err := s.svc.Admin.Bodies(c.UserContext(), viewerOf(c).Actor, lang)
	if err != nil {
		return err
	}
	return s.render(c, "admin_bodies", fiber.Map{"Title": tr(lang, "admin.bodies.title"), "Bodies": bodies, "Saved": c.Query("saved") == "1"})
}

func (s *Server) renderBodyForm(c *fiber.Ctx, id uint, f *admin.BodyInput, fields map[string]string) error {
	lang := langOf(c)
	opts, err := s.svc.Admin.Options(c.UserContext(), lang)
	if err != nil {
		return err
	}
	return s.render(c, "admin_body_form", fiber.Map{"Title": tr(lang, "admin.bodies.title"), "ID": id, "Form": f, "Errors": fieldMessages(lang, fields), "Counties": opts.Counties})
}

// adminBodyForm is a new body's form (/admin/bodies/new) or an existing one's.
func (s *Server) adminBodyForm(c *fiber.Ctx) error {
	if c.Params("id") == "" {
		return s.renderBodyForm(c, 0, &admin.BodyInput{Qualified: true}, nil)
	}
	id, err := adminPathID(c)
	if err != nil {
		return err
	}
	f, err := s.svc.Admin.Body(c.UserContext(), viewerOf(c).Actor, id)
	if err != nil {
		return err
	}
	return s.renderBodyForm(c, id, &f, nil)
}

func (s *Server) adminBodySave(c *fiber.Ctx) error {
	var id uint
	if c.Params("id") != "" {
		var err error
		if id, err = adminPathID(c); err != nil {
			return err
		}
	}
	var f admin.BodyInput
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	f.Normalize()
	err := s.check(&f)
	if err == nil {
		_, err = s.svc.Admin.SaveBody(c.UserContext(), viewerOf(c).Actor, id, f)
	}
	if fields := errs.FieldsOf(err); len(fields) > 0 {
		c.Status(statusOf(err))
		return s.renderBodyForm(c, id, &f, fields)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/admin/bodies?saved=1", fiber.StatusSeeOther)
}

func (s *Server) adminCounties(c *fiber.Ctx) error {
	counties, err := s.svc.Admin.Counties(c.UserContext(), viewerOf(c).Actor)
	if err != nil {
		return err
	}
	return s.render(c, "admin_counties", fiber.Map{"Title": tr(langOf(c), "admin.counties.title"), "Counties": counties})
}
