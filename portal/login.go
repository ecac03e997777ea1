package portal

import (
	"github.com/gofiber/fiber/v2"

	"qijian/internal/errs"
	"qijian/internal/signin"
)

func (s *Server) loginPage(c *fiber.Ctx) error {
	if viewerOf(c).User != nil {
		return c.Redirect("/")
	}
	return s.render(c, "login", fiber.Map{"Title": tr(langOf(c), "login.title"), "Next": safeNext(c.Query("next", "/")), "Registered": c.Query("registered") == "1", "Applied": c.Query("applied") == "1", "Reset": c.Query("reset") == "1", "Federated": s.Federation != nil})
}

// loginSubmit checks the password and starts a brand-new session in place of the cookie the
// browser brought (session fixation); the token endpoint is its API twin.
func (s *Server) loginSubmit(c *fiber.Ctx) error {
	lang := langOf(c)
	var f signin.Credentials
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
	f.From = s.clientAddr(c)
	started, err := s.svc.SignIn.LogIn(c.UserContext(), f, signin.KindWeb, c.Cookies(cookieSession))
	if k := errs.KindOf(err); k == errs.Unauthorized || k == errs.Limited {
		a := answerOf(err)
		return fail(a.status, a.key)
	}
	if err != nil {
		return err
	}
	s.setCookie(c, cookieSession, started.Secret, 0)
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
