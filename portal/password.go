package portal

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/errs"
	"qijian/internal/signin"
	"qijian/portal/api"
)

// passwordAPI is changing one's password, and the reset through the verified mobile, by API.
func (s *Server) passwordAPI(apiGroup fiber.Router, limit fiber.Handler) {
	s.handle(apiGroup, "PUT", "/me/password", opDoc{summary: "Change the caller's password: the current one, and a new one that passes the strength estimate and is no common password; every other session of the login ends; audited", tag: "me"}, jsonOp(s, fiber.StatusNoContent, s.apiChangePassword), s.needLogin, limit)
	s.handle(apiGroup, "POST", "/auth/password-reset", opDoc{summary: "Ask for a one-time reset link (30 minutes) by SMS to the login's verified mobile; the answer is the same whether the login exists or not", tag: "auth", public: true}, jsonOp(s, fiber.StatusAccepted, s.apiRequestReset), limit)
	s.handle(apiGroup, "POST", "/auth/password-reset/confirm", opDoc{summary: "Set a new password with a reset link's token (once, before it expires); every session of the login ends", tag: "auth", public: true}, jsonOp(s, fiber.StatusNoContent, s.apiConfirmReset), limit)
}

// passwordPages are passwordAPI's page twins.
func (s *Server) passwordPages(p fiber.Router, limit fiber.Handler) {
	p.Get("/settings/password", s.needLogin, s.passwordPage)
	p.Post("/settings/password", s.needLogin, limit, s.passwordSubmit)
	p.Get("/password/forgot", s.forgotPage)
	p.Post("/password/forgot", limit, s.forgotSubmit)
	p.Get("/password/reset", s.resetPage)
	p.Post("/password/reset", limit, s.resetSubmit)
}

func (s *Server) apiChangePassword(c *fiber.Ctx, _ *struct{}, in *signin.PasswordChange) (NoContent, error) {
	return NoContent{}, s.svc.SignIn.ChangePassword(c.UserContext(), viewerOf(c).Caller, *in)
}

// resetFloor is the least time a reset request takes to answer, whatever it found: a login
// with a verified mobile costs a transaction that an unknown name does not, and the answer's
// timing must not tell them apart.
const resetFloor = 200 * time.Millisecond

// requestReset is RequestReset, answered no sooner than resetFloor after it began.
func (s *Server) requestReset(c *fiber.Ctx, in signin.ResetRequest) error {
	start := time.Now()
	err := s.svc.SignIn.RequestReset(c.UserContext(), in)
	if d := resetFloor - time.Since(start); d > 0 {
		time.Sleep(d)
	}
	return err
}

func (s *Server) apiRequestReset(c *fiber.Ctx, _ *struct{}, in *signin.ResetRequest) (api.Received, error) {
	if err := s.requestReset(c, *in); err != nil {
		return api.Received{}, err
	}
	return api.Received{Status: "received"}, nil
}

func (s *Server) apiConfirmReset(c *fiber.Ctx, _ *struct{}, in *signin.PasswordReset) (NoContent, error) {
	return NoContent{}, s.svc.SignIn.ResetPassword(c.UserContext(), *in)
}

// formBack renders page again with err's field messages, or returns err when it names none.
func (s *Server) formBack(c *fiber.Ctx, page string, data fiber.Map, err error) error {
	var p *errs.Error
	if !errors.As(err, &p) || len(p.Fields) == 0 {
		return err
	}
	lang := langOf(c)
	data["Errors"] = fieldMessages(lang, p.Fields)
	data["Error"] = tr(lang, "err.form")
	c.Status(statusOf(p))
	return s.render(c, page, data)
}

func (s *Server) passwordPage(c *fiber.Ctx) error {
	return s.render(c, "password", fiber.Map{"Title": tr(langOf(c), "password.title"), "Errors": map[string]string{}, "Done": c.Query("done") == "1"})
}

func (s *Server) passwordSubmit(c *fiber.Ctx) error {
	var in signin.PasswordChange
	err := s.pageForm(c, &in)
	if err == nil {
		err = s.svc.SignIn.ChangePassword(c.UserContext(), viewerOf(c).Caller, in)
	}
	if err != nil {
		return s.formBack(c, "password", fiber.Map{"Title": tr(langOf(c), "password.title")}, err)
	}
	return c.Redirect("/settings/password?done=1", fiber.StatusSeeOther)
}

func (s *Server) forgotPage(c *fiber.Ctx) error {
	return s.render(c, "password_forgot", fiber.Map{"Title": tr(langOf(c), "reset.title"), "Errors": map[string]string{}, "Sent": c.Query("sent") == "1"})
}

func (s *Server) forgotSubmit(c *fiber.Ctx) error {
	var in signin.ResetRequest
	err := s.pageForm(c, &in)
	if err == nil {
		err = s.requestReset(c, in)
	}
	if err != nil {
		return s.formBack(c, "password_forgot", fiber.Map{"Title": tr(langOf(c), "reset.title")}, err)
	}
	return c.Redirect("/password/forgot?sent=1", fiber.StatusSeeOther)
}

func (s *Server) resetPage(c *fiber.Ctx) error {
	c.Set("Referrer-Policy", "no-referrer") // the token is in the address
	return s.render(c, "password_reset", fiber.Map{"Title": tr(langOf(c), "reset.title"), "Errors": map[string]string{}, "Token": c.Query("token")})
}

func (s *Server) resetSubmit(c *fiber.Ctx) error {
	var in signin.PasswordReset
	err := s.pageForm(c, &in)
	if err == nil {
		err = s.svc.SignIn.ResetPassword(c.UserContext(), in)
	}
	if err != nil {
		return s.formBack(c, "password_reset", fiber.Map{"Title": tr(langOf(c), "reset.title"), "Token": in.Token}, err)
	}
	return c.Redirect("/login?reset=1", fiber.StatusSeeOther)
}
