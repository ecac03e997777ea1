package portal

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/signin"
)

// cookieOIDC keeps a legal-person login's state, nonce and PKCE verifier while the browser is
// at the identity platform, signed with the portal's secret.
const cookieOIDC = "qj_oidc"

// oidcPages are the legal-person login through the unified identity platform, when configured.
func (s *Server) oidcPages(p fiber.Router, limit fiber.Handler) {
	if s.Federation == nil {
		return
	}
	p.Get("/login/oidc", limit, s.oidcStart)
	p.Get("/login/oidc/callback", limit, s.oidcCallback)
}

func (s *Server) attemptMAC(payload string) string {
	m := hmac.New(sha256.New, append([]byte("oidc-attempt\x00"), s.Secret...))
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (s *Server) oidcStart(c *fiber.Ctx) error {
	to, at, err := s.Federation.Start(c.UserContext())
	if err != nil {
		return err
	}
	raw, _ := json.Marshal(at)
	payload := base64.RawURLEncoding.EncodeToString(raw)
	s.setCookie(c, cookieOIDC, payload+"."+s.attemptMAC(payload), 10*time.Minute)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect(to, fiber.StatusSeeOther)
}

// oidcCallback finishes the login: the attempt from the signed cookie, the code and state from
// the platform's redirect; then a brand-new session, as a password login gets.
func (s *Server) oidcCallback(c *fiber.Ctx) error {
	var at signin.Attempt
	payload, mac, ok := strings.Cut(c.Cookies(cookieOIDC), ".")
	s.clearCookie(c, cookieOIDC)
	if ok && hmac.Equal([]byte(mac), []byte(s.attemptMAC(payload))) {
		if raw, err := base64.RawURLEncoding.DecodeString(payload); err == nil {
			_ = json.Unmarshal(raw, &at)
		}
	}
	lang := langOf(c)
	id, err := s.Federation.Finish(c.UserContext(), at, c.Query("state"), c.Query("code"))
	var started signin.Started
	if err == nil {
		started, err = s.svc.SignIn.LogInFederated(c.UserContext(), id, c.Cookies(cookieSession))
	}
	if err != nil {
		a := answerOf(err)
		if a.status >= 500 {
			return err
		}
		c.Status(a.status)
		return s.render(c, "login", fiber.Map{"Title": tr(lang, "login.title"), "Error": tr(lang, a.key), "Next": "/", "Federated": true})
	}
	s.setCookie(c, cookieSession, started.Secret, 0)
	s.clearCookie(c, cookieAnon)
	return c.Redirect("/", fiber.StatusSeeOther)
}
