package portal

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/signin"
)

const (
	cookieSession = "qj_session"
	cookieAnon    = "qj_anon" // binds the CSRF token of forms shown before login
	cookieLang    = "qj_lang"
	csrfField     = "_csrf"
	csrfHeader    = "X-CSRF-Token"
)

var shanghai = func() *time.Location {
	if l, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return l
	}
	return time.FixedZone("CST", 8*3600)
}()

// viewer is who is asking, resolved once per request: the login (nil for a visitor) and the
// policy's view of it.
type viewer struct {
	signin.Caller
}

func viewerOf(c *fiber.Ctx) *viewer {
	v, _ := c.Locals("viewer").(*viewer)
	if v == nil {
		return &viewer{}
	}
	return v
}

func langOf(c *fiber.Ctx) string {
	if c.Cookies(cookieLang) == "en" {
		return "en"
	}
	return "zh"
}

// identify resolves the caller: a bearer token under /api, the session cookie elsewhere.
// Cookies are never accepted by the API, so the API needs no CSRF defence.
func (s *Server) identify(c *fiber.Ctx) error {
	var secret, kind string
	if isAPI(c) {
		h := c.Get(fiber.HeaderAuthorization)
		if strings.HasPrefix(h, "Bearer ") {
			secret, kind = strings.TrimSpace(h[len("Bearer "):]), signin.KindAPI
		}
	} else {
		secret, kind = c.Cookies(cookieSession), signin.KindWeb
	}
	if secret != "" {
		caller, err := s.svc.SignIn.Resolve(c.UserContext(), secret, kind)
		switch {
		case err == nil:
			c.Locals("viewer", &viewer{Caller: caller})
		case errors.Is(err, signin.ErrNoSession):
			if kind == signin.KindWeb {
				s.clearCookie(c, cookieSession)
			}
		default:
			return err
		}
	}
	return c.Next()
}

// bearerToken is the token of an "Authorization: Bearer …" header, if the request has one.
func bearerToken(c *fiber.Ctx) (string, bool) {
	scheme, token, ok := strings.Cut(c.Get(fiber.HeaderAuthorization), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}

// needLogin sends a visitor to the login page, or answers 401 under /api.
func (s *Server) needLogin(c *fiber.Ctx) error {
	if viewerOf(c).User != nil {
		return c.Next()
	}
	if isAPI(c) {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="qijian"`)
		return signin.ErrNoSession
	}
	return c.Redirect("/login?next=" + url.QueryEscape(safeNext(c.OriginalURL())))
}

// needRole lets only the given roles through.
func needRole(roles ...account.Role) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v := viewerOf(c)
		for _, r := range roles {
			if v.User != nil && v.User.Role == r {
				return c.Next()
			}
		}
		return errForbidden
	}
}

// safeNext is next if it is a path on this site, else "/". It is parsed, not prefix-checked:
// browsers drop tabs and newlines from addresses and read a backslash as a slash, so
// "/\t/evil.example" and "/\\evil.example" would leave the site; what is returned is the parsed
// path and query written out again, so the redirect says exactly what was checked.
func safeNext(next string) string {
	for _, r := range next {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Opaque != "" || u.User != nil || u.Host != "" || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	out := u.EscapedPath()
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	if !strings.HasPrefix(out, "/") || strings.HasPrefix(out, "//") {
		return "/"
	}
	return out
}

// csrfBinding is the value a form's token is tied to: the session, or before login the anon cookie.
func (s *Server) csrfBinding(c *fiber.Ctx) string {
	if v := c.Cookies(cookieSession); v != "" && viewerOf(c).User != nil {
		return "s|" + v
	}
	if v := c.Cookies(cookieAnon); v != "" {
		return "a|" + v
	}
	return ""
}

func (s *Server) csrfToken(binding string) string {
	if binding == "" {
		return ""
	}
	m := hmac.New(sha256.New, s.Secret)
	m.Write([]byte("csrf|" + binding))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// csrf guards every state-changing request that a cookie could authenticate: the token in the
// form or header must be the HMAC of the caller's session (or pre-login) cookie.
func (s *Server) csrf(c *fiber.Ctx) error {
	if isAPI(c) {
		return c.Next()
	}
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		if viewerOf(c).User == nil && c.Cookies(cookieAnon) == "" {
			b := make([]byte, 18)
			_, _ = rand.Read(b)
			v := base64.RawURLEncoding.EncodeToString(b)
			s.setCookie(c, cookieAnon, v, 0)
			c.Request().Header.SetCookie(cookieAnon, v) // so this very page can bind its forms
		}
		return c.Next()
	}
	want := s.csrfToken(s.csrfBinding(c))
	got := c.FormValue(csrfField)
	if got == "" {
		got = c.Get(csrfHeader)
	}
	if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		return errCSRF
	}
	return c.Next()
}

func (s *Server) setCookie(c *fiber.Ctx, name, value string, maxAge time.Duration) {
	ck := &fiber.Cookie{Name: name, Value: value, Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: c.Protocol() == "https"}
	if maxAge > 0 {
		ck.MaxAge = int(maxAge.Seconds())
	}
	c.Cookie(ck)
}

func (s *Server) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{Name: name, Value: "", Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Unix(1, 0), MaxAge: -1})
}
