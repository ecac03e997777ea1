package portal

import (
	"errors"

	"qijian/internal/errs"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/signin"
)

func (s *Server) registerData(c *fiber.Ctx, r *signin.Registration, fields map[string]string) (fiber.Map, error) {
	lang := langOf(c)
	counties, err := s.Store.Counties(c.UserContext())
	if err != nil {
		return nil, err
	}
	errs := fieldMessages(lang, fields)
	if r == nil {
		r = &signin.Registration{}
	}
	r.Password = ""
	return fiber.Map{"Title": tr(lang, "register.title"), "Form": r, "Errors": errs, "Counties": counties, "Industries": account.Industries}, nil
}

func (s *Server) registerPage(c *fiber.Ctx) error {
	data, err := s.registerData(c, nil, nil)
	if err != nil {
		return err
	}
	return s.render(c, "register", data)
}

func (s *Server) registerSubmit(c *fiber.Ctx) error {
	var r signin.Registration
	if err := c.BodyParser(&r); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	err := s.register(c, &r)
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
	return c.Redirect("/login?registered=1", fiber.StatusSeeOther)
}

// register validates and runs the use case; both the page and the API call it.
func (s *Server) register(c *fiber.Ctx, r *signin.Registration) (err error) {
	r.Normalize()
	if err := s.check(r); err != nil {
		return err
	}
	_, _, err = s.svc.SignIn.Register(c.UserContext(), *r)
	var fe *signin.FieldError
	if errors.As(err, &fe) {
		return &errs.Error{Kind: errs.Conflict, Code: "conflict", Key: "err.form", Fields: map[string]string{fe.Field: fe.Key}}
	}
	if err == nil {
	}
	return err
}
