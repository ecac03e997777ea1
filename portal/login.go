package portal

import (
	"errors"

	"qijian/internal/errs"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/signin"
)

type loginForm struct {
	Username string `json:"username" form:"username" validate:"required,max=64"`
	Password string `json:"password" form:"password" validate:"required,max=128"`
}

func (s *Server) loginPage(c *fiber.Ctx) error {
	if viewerOf(c).User != nil {
		return c.Redirect("/")
	}
	return s.render(c, "login", fiber.Map{"Title": tr(langOf(c), "login.title"), "Next": safeNext(c.Query("next", "/")), "Registered": c.Query("registered") == "1"})
}

// loginSubmit checks the password and starts a brand-new session (a cookie set before login is
// never promoted, which defeats session fixation).
func (s *Server) loginSubmit(c *fiber.Ctx) error {
	lang := langOf(c)
	var f loginForm
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	next := safeNext(c.FormValue("next", "/"))
	fail := func(status int, key string) error {
		c.Status(status)
		return s.render(c, "login", fiber.Map{"Title": tr(lang, "login.title"), "Error": tr(lang, key), "Username": f.Username, "Next": next})
	}
	if err := s.check(&f); err != nil {
		return fail(fiber.StatusUnprocessableEntity, "err.bad_credentials")
	}
	u, err := s.svc.SignIn.Login(c.UserContext(), f.Username, f.Password)
	var locked *signin.LockedError
	switch {
	case errors.As(err, &locked):
		return fail(fiber.StatusTooManyRequests, "err.locked")
	case errors.Is(err, signin.ErrBadCredentials):
		return fail(fiber.StatusUnauthorized, "err.bad_credentials")
	case err != nil:
		return err
	}
	if old := c.Cookies(cookieSession); old != "" {
		_ = s.svc.SignIn.EndSession(c.UserContext(), old)
	}
	secret, _, err := s.svc.SignIn.StartSession(c.UserContext(), u.ID, signin.KindWeb)
	if err != nil {
		return err
	}
	s.setCookie(c, cookieSession, secret, 0)
	s.clearCookie(c, cookieAnon)
	return c.Redirect(next, fiber.StatusSeeOther)
}

func (s *Server) logout(c *fiber.Ctx) error {
	if err := s.svc.SignIn.EndSession(c.UserContext(), c.Cookies(cookieSession)); err != nil {
		return err
	}
	s.clearCookie(c, cookieSession)
	return c.Redirect("/login", fiber.StatusSeeOther)
}
