package portal

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/store"
)

// Problem is the portal's one error type: a status, a stable code, a message key and, for bad
// input, the fields at fault with their message keys.
type Problem struct {
	Status int
	Code   string
	Key    string
	Fields map[string]string
}

func (p *Problem) Error() string { return p.Code }

func problem(status int, code, key string) *Problem {
	return &Problem{Status: status, Code: code, Key: key}
}

var (
	errNotFound  = problem(fiber.StatusNotFound, "not_found", "err.not_found")
	errForbidden = problem(fiber.StatusForbidden, "forbidden", "err.forbidden")
	errCSRF      = problem(fiber.StatusForbidden, "csrf", "err.csrf")
	errLimited   = problem(fiber.StatusTooManyRequests, "rate_limited", "err.rate_limited")
)

func fieldProblem(fields map[string]string) *Problem {
	return &Problem{Status: fiber.StatusUnprocessableEntity, Code: "validation", Key: "err.form", Fields: fields}
}

func isAPI(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/api/") }

// handleError is the only place that writes error bodies. A 500 never shows err.Error().
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	var p *Problem
	var fe *fiber.Error
	switch {
	case errors.As(err, &p):
	case errors.Is(err, store.ErrNotFound):
		p = errNotFound
	case errors.As(err, &fe):
		code := "error"
		key := "err.internal"
		switch fe.Code {
		case fiber.StatusNotFound:
			code, key = "not_found", "err.not_found"
		case fiber.StatusMethodNotAllowed:
			code, key = "method_not_allowed", "err.invalid"
		case fiber.StatusRequestEntityTooLarge:
			code, key = "too_large", "err.max"
		case fiber.StatusBadRequest:
			code, key = "bad_request", "err.invalid"
		case fiber.StatusUnsupportedMediaType:
			code, key = "unsupported_media_type", "err.invalid"
		}
		p = &Problem{Status: fe.Code, Code: code, Key: key}
	case store.Unavailable(err):
		// The database is down or restarting: tell the client to come back, not that it erred.
		s.Log.Warn("database unavailable", "method", c.Method(), "route", routeOf(c))
		c.Set(fiber.HeaderRetryAfter, "2")
		p = problem(fiber.StatusServiceUnavailable, "unavailable", "err.unavailable")
	default:
		s.Log.Error("request failed", "method", c.Method(), "route", routeOf(c), "err", err)
		p = problem(fiber.StatusInternalServerError, "internal", "err.internal")
	}
	lang := langOf(c)
	if isAPI(c) {
		body := fiber.Map{"code": p.Code, "message": tr(lang, p.Key)}
		if len(p.Fields) > 0 {
			f := fiber.Map{}
			for k, v := range p.Fields {
				f[k] = tr(lang, v)
			}
			body["fields"] = f
		}
		return c.Status(p.Status).JSON(fiber.Map{"error": body})
	}
	c.Status(p.Status)
	return s.render(c, "error", fiber.Map{"Title": tr(lang, "err.title"), "Message": tr(lang, p.Key), "Status": p.Status})
}
