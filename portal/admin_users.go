package portal

import (
	"github.com/gofiber/fiber/v2"

	"qijian/internal/admin"
	"qijian/internal/errs"
)

// adminPathID is a page's :id, which must be a positive number: anything else is no such object.
func adminPathID(c *fiber.Ctx) (uint, error) {
	var p struct {
		ID uint `param:"id"`
	}
	if err := bindParams(c, &p); err != nil || p.ID == 0 {
		return 0, errNotFound
	}
	return p.ID, nil
}

func (s *Server) adminUsers(c *fiber.Ctx) error {
	users, err := s.svc.Admin.Users(c.UserContext(), viewerOf(c).Actor)
	if err != nil {
		return err
	}
	return s.render(c, "admin_users", fiber.Map{"Title": tr(langOf(c), "admin.users.title"), "Users": users, "Created": c.Query("created") == "1"})
}

func (s *Server) renderUserForm(c *fiber.Ctx, f *admin.NewUser, fields map[string]string) error {
	lang := langOf(c)
	opts, err := s.svc.Admin.Options(c.UserContext(), lang)
	if err != nil {
		return err
	}
	f.Password = ""
	return s.render(c, "admin_user_new", fiber.Map{"Title": tr(lang, "admin.users.new"), "Form": f, "Errors": fieldMessages(lang, fields), "Options": opts})
}

func (s *Server) adminUserNew(c *fiber.Ctx) error {
	return s.renderUserForm(c, &admin.NewUser{}, nil)
}

// adminUserCreate makes a staff login (enterprises register themselves).
func (s *Server) adminUserCreate(c *fiber.Ctx) error {
	var f admin.NewUser
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	f.Normalize()
	err := s.check(&f)
	if err == nil {
		_, err = s.svc.Admin.CreateUser(c.UserContext(), viewerOf(c).Actor, f)
	}
	if fields := errs.FieldsOf(err); len(fields) > 0 {
		c.Status(statusOf(err))
		return s.renderUserForm(c, &f, fields)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/admin/users?created=1", fiber.StatusSeeOther)
}

// adminUserDisable turns a login off (ending its sessions) or on again.
func (s *Server) adminUserDisable(c *fiber.Ctx) error {
	id, err := adminPathID(c)
	if err != nil {
		return err
	}
	if err := s.svc.Admin.SetDisabled(c.UserContext(), viewerOf(c).Actor, id, c.FormValue("disabled") == "1"); err != nil {
		return err
	}
	return c.Redirect("/admin/users", fiber.StatusSeeOther)
}
