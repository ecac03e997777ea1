package portal

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/errs"
	"qijian/internal/signin"
)

func (s *Server) registerData(c *fiber.Ctx, r *signin.Registration, fields map[string]string) (fiber.Map, error) {
	lang := langOf(c)
	choices, err := s.svc.SignIn.RegistrationChoices(c.UserContext(), lang)
	if err != nil {
		return nil, err
	}
	if r == nil {
		r = &signin.Registration{}
	}
	r.Password = ""
	return fiber.Map{"Title": tr(lang, "register.title"), "Form": r, "Errors": fieldMessages(lang, fields), "Counties": choices.Counties, "Industries": choices.Industries}, nil
}

func (s *Server) registerPage(c *fiber.Ctx) error {
	data, err := s.registerData(c, nil, nil)
	if err != nil {
		return err
	}
	return s.render(c, "register", data)
}

// registerSubmit is the page twin of POST /api/v1/auth/register: the same input, the same use case.
func (s *Server) registerSubmit(c *fiber.Ctx) error {
	var r signin.Registration
	if err := c.BodyParser(&r); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	r.Normalize()
	err := s.check(&r)
	if err == nil {
		err = s.svc.SignIn.Register(c.UserContext(), r)
	}
	var p *errs.Error
	if errors.As(err, &p) && len(p.Fields) > 0 {
		data, derr := s.registerData(c, &r, p.Fields)
		if derr != nil {
			return derr
		}
		data["Error"] = tr(langOf(c), "err.form")
		c.Status(statusOf(p))
		return s.render(c, "register", data)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/login?applied=1", fiber.StatusSeeOther)
}
