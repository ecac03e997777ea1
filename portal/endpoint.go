package portal

import (
	"reflect"

	"github.com/gofiber/fiber/v2"
)

// An endpoint is an API handler together with the types it reads and writes. The adapters below
// build one from a typed function, so the handler cannot answer with anything but its declared
// response type, and the OpenAPI document is generated from the same types (openapi.go): a field
// cannot drift between the code and the description.
type endpoint struct {
	handler fiber.Handler
	params  reflect.Type // path and query parameters (struct with param:/query: tags), or nil
	body    reflect.Type // the JSON request body, or nil
	out     reflect.Type // the JSON response, or nil for a raw one
	status  int          // the success status
	more    []int        // other success statuses the handler may choose (answerStatus), same body
	raw     string       // the content type of a non-JSON answer (a file, a calendar)
}

// NoContent is the response of an endpoint that answers 204 with no body.
type NoContent struct{}

func typeOf[T any]() reflect.Type { return reflect.TypeOf((*T)(nil)).Elem() }

// hasFields tells whether P is a parameter struct with fields (struct{} reads none).
func hasFields(t reflect.Type) bool { return t.Kind() == reflect.Struct && t.NumField() > 0 }

// jsonOp is an endpoint reading path/query parameters P and, for a body type B other than
// struct{}, a strict JSON body, both validated; it answers fn's result as JSON with status.
func jsonOp[P, B, Out any](s *Server, status int, fn func(c *fiber.Ctx, p *P, b *B) (Out, error)) endpoint {
	e := endpoint{status: status, out: typeOf[Out]()}
	if pt := typeOf[P](); hasFields(pt) {
		e.params = pt
	}
	if bt := typeOf[B](); hasFields(bt) {
		e.body = bt
	}
	e.handler = func(c *fiber.Ctx) error {
		var p P
		var b B
		if e.params != nil {
			if err := bindParams(c, &p); err != nil {
				return err
			}
			if err := s.check(&p); err != nil {
				return err
			}
		}
		if e.body != nil {
			if err := decodeJSON(c, &b); err != nil {
				return err
			}
			if n, ok := any(&b).(interface{ Normalize() }); ok {
				n.Normalize() // trim what people type before the rules see it, as the page forms do
			}
			if err := s.check(&b); err != nil {
				return err
			}
		}
		out, err := fn(c, &p, &b)
		if err != nil {
			return err
		}
		if _, none := any(out).(NoContent); none {
			return c.SendStatus(fiber.StatusNoContent)
		}
		if st, ok := c.Locals(answerStatusKey).(int); ok {
			return c.Status(st).JSON(out)
		}
		return c.Status(status).JSON(out)
	}
	if _, none := any(*new(Out)).(NoContent); none {
		e.status, e.out = fiber.StatusNoContent, nil
	}
	return e
}

// also documents other success statuses a jsonOp handler may answer with the same body (a
// repeated idempotent push answers 200, not 201); the handler picks one with answerStatus.
func (e endpoint) also(statuses ...int) endpoint {
	e.more = append(e.more, statuses...)
	return e
}

const answerStatusKey = "qijian.status"

// answerStatus makes a jsonOp handler answer with status instead of the endpoint's own; the
// endpoint must document it (also).
func answerStatus(c *fiber.Ctx, status int) { c.Locals(answerStatusKey, status) }

// rawOp is an endpoint whose answer is not JSON (a file, an .ics calendar); P documents its
// parameters.
func rawOp[P any](contentType string, h fiber.Handler) endpoint {
	e := endpoint{handler: h, status: fiber.StatusOK, raw: contentType}
	if pt := typeOf[P](); hasFields(pt) {
		e.params = pt
	}
	return e
}

// apiRoute is one documented API route.
type apiRoute struct {
	method, path string
	doc          opDoc
	ep           endpoint
}

// opDoc is what the OpenAPI document says of a route beyond its types.
type opDoc struct {
	summary string
	public  bool // no bearer token needed
	tag     string
}

// handle registers an API route on g (the /api/v1 group) with its middleware, and records it
// for the OpenAPI document.
func (s *Server) handle(g fiber.Router, method, path string, doc opDoc, ep endpoint, mw ...fiber.Handler) {
	g.Add(method, path, append(mw, ep.handler)...)
	s.apiRoutes = append(s.apiRoutes, apiRoute{method: method, path: path, doc: doc, ep: ep})
}
