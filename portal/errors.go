package portal

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/errs"
)

// The portal's own refusals; the use cases' come as *errs.Error values of the same kinds.
var (
	errNotFound  = errs.New(errs.NotFound, "not_found", "err.not_found")
	errForbidden = errs.New(errs.Forbidden, "forbidden", "err.forbidden")
	errCSRF      = errs.New(errs.Forbidden, "csrf", "err.csrf")
	errLimited   = errs.New(errs.Limited, "rate_limited", "err.rate_limited")
)

// statusByKind is the one map from error kinds to HTTP statuses.
var statusByKind = map[error]int{
	errs.NotFound:     fiber.StatusNotFound,
	errs.Forbidden:    fiber.StatusForbidden,
	errs.Unauthorized: fiber.StatusUnauthorized,
	errs.Conflict:     fiber.StatusConflict,
	errs.Invalid:      fiber.StatusUnprocessableEntity,
	errs.Malformed:    fiber.StatusBadRequest,
	errs.TooLarge:     fiber.StatusRequestEntityTooLarge,
	errs.Unsupported:  fiber.StatusUnsupportedMediaType,
	errs.Unavailable:  fiber.StatusServiceUnavailable,
	errs.Limited:      fiber.StatusTooManyRequests,
}

// defaultByKind is the code and message of a kind whose error carries none of its own.
var defaultByKind = map[error][2]string{
	errs.NotFound:     {"not_found", "err.not_found"},
	errs.Forbidden:    {"forbidden", "err.forbidden"},
	errs.Unauthorized: {"unauthorized", "err.bad_credentials"},
	errs.Conflict:     {"conflict", "err.conflict"},
	errs.Invalid:      {"validation", "err.form"},
	errs.Malformed:    {"bad_request", "err.invalid"},
	errs.TooLarge:     {"too_large", "err.max"},
	errs.Unsupported:  {"unsupported_media_type", "err.invalid"},
	errs.Unavailable:  {"unavailable", "err.unavailable"},
	errs.Limited:      {"rate_limited", "err.rate_limited"},
}

// fiberKinds are fiber's own errors (routing, body limits) as kinds.
var fiberKinds = map[int]error{
	fiber.StatusNotFound:              errs.NotFound,
	fiber.StatusMethodNotAllowed:      errs.Malformed,
	fiber.StatusRequestEntityTooLarge: errs.TooLarge,
	fiber.StatusBadRequest:            errs.Malformed,
	fiber.StatusUnsupportedMediaType:  errs.Unsupported,
	fiber.StatusRequestTimeout:        errs.Malformed,
}

// answer is what handleError writes for err: a status, a code, a message key and the fields.
type answer struct {
	status    int
	code, key string
	fields    map[string]string
}

// answerOf decides the answer to err, in one place: the kind gives the status, the *errs.Error
// (if any) the code, the message and the fields.
func answerOf(err error) answer {
	var fe *fiber.Error
	if errors.As(err, &fe) && errs.KindOf(err) == nil {
		if k, ok := fiberKinds[fe.Code]; ok {
			d := defaultByKind[k]
			if fe.Code == fiber.StatusMethodNotAllowed {
				return answer{fe.Code, "method_not_allowed", "err.invalid", nil}
			}
			return answer{statusByKind[k], d[0], d[1], nil}
		}
		return answer{fiber.StatusInternalServerError, "internal", "err.internal", nil}
	}
	kind := errs.KindOf(err)
	if kind == nil {
		return answer{fiber.StatusInternalServerError, "internal", "err.internal", nil}
	}
	a := answer{status: statusByKind[kind], code: defaultByKind[kind][0], key: defaultByKind[kind][1]}
	var e *errs.Error
	if errors.As(err, &e) && e.Kind == kind {
		if e.Code != "" {
			a.code = e.Code
		}
		if e.Key != "" {
			a.key = e.Key
		}
		a.fields = e.Fields
	}
	if kind == errs.Unavailable {
		a.code, a.key = "unavailable", "err.unavailable"
	}
	return a
}

// statusOf is the status handleError answers for err.
func statusOf(err error) int { return answerOf(err).status }

// isAPI tells whether the matched route belongs to the JSON API, as marked by the API group's
// first handler: the route decides, never a prefix of the path as the client spelled it.
func isAPI(c *fiber.Ctx) bool { v, _ := c.Locals(apiRouteKey).(bool); return v }

const apiRouteKey = "qijian.api"

// markAPI is the first handler of every API route.
func markAPI(c *fiber.Ctx) error {
	c.Locals(apiRouteKey, true)
	return c.Next()
}

// handleError is the only place that writes error bodies. A 500 never shows err.Error().
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	a := answerOf(err)
	switch a.status {
	case fiber.StatusServiceUnavailable:
		// The database is down or restarting: tell the client to come back, not that it erred.
		s.Log.Warn("unavailable", "method", c.Method(), "route", routeOf(c), "err", err)
		c.Set(fiber.HeaderRetryAfter, "2")
	case fiber.StatusInternalServerError:
		s.Log.Error("request failed", "method", c.Method(), "route", routeOf(c), "err", err)
	case fiber.StatusUnauthorized:
		if isAPI(c) {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="qijian"`)
		}
	}
	lang := langOf(c)
	if isAPI(c) {
		body := fiber.Map{"code": a.code, "message": tr(lang, a.key)}
		if len(a.fields) > 0 {
			f := fiber.Map{}
			for k, v := range a.fields {
				f[k] = tr(lang, v)
			}
			body["fields"] = f
		}
		return c.Status(a.status).JSON(fiber.Map{"error": body})
	}
	c.Status(a.status)
	return s.render(c, "error", fiber.Map{"Title": tr(lang, "err.title"), "Message": tr(lang, a.key), "Status": a.status})
}
