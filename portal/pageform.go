package portal

import (
	"html/template"
	"maps"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/errs"
	"qijian/portal/api"
)

// pageForm reads a page's form into in, the use case's own input type, as jsonOp reads the API
// twin's JSON body: trimmed by its Normalize (if it has one) and checked by the same rules, so a
// page and its API refuse the same input with the same field messages.
func (s *Server) pageForm(c *fiber.Ctx, in any) error {
	if err := c.BodyParser(in); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	if n, ok := in.(interface{ Normalize() }); ok {
		n.Normalize()
	}
	return s.check(in)
}

// pageParams binds and checks a page's path and query parameters (param:/query: tags) as
// jsonOp does the API's.
func (s *Server) pageParams(c *fiber.Ctx, p any) error {
	if err := bindParams(c, p); err != nil {
		return err
	}
	return s.check(p)
}

// pageID is the object a page's path names (/bookings/{id}).
func (s *Server) pageID(c *fiber.Ctx) (uint64, error) {
	var p api.ID
	err := s.pageParams(c, &p)
	return p.ID, err
}

// idForm reads a page's {id} and its form into in, for a form that acts on one object.
func (s *Server) idForm(c *fiber.Ctx, in any) (uint64, error) {
	id, err := s.pageID(c)
	if err != nil {
		return 0, err
	}
	return id, s.pageForm(c, in)
}

// problem is one line of a form's error summary: the field's message, linked to the field.
type problem struct{ Anchor, Message string }

// problemsOf lists a page's field messages for its error summary, in the order the page asks
// (its "FieldOrder", the form's own order) and then by name, so the summary reads top to bottom.
func problemsOf(data fiber.Map) []problem {
	fields, _ := data["Errors"].(map[string]string)
	if len(fields) == 0 {
		return nil
	}
	order, _ := data["FieldOrder"].([]string)
	labels, _ := data["FieldLabels"].(map[string]string)
	line := func(k string) problem {
		if l := labels[k]; l != "" {
			return problem{k, l + "：" + fields[k]}
		}
		return problem{k, fields[k]}
	}
	seen := map[string]bool{}
	var out []problem
	for _, k := range order {
		if _, ok := fields[k]; ok && !seen[k] {
			seen[k] = true
			out = append(out, line(k))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		if !seen[k] {
			out = append(out, line(k))
		}
	}
	return out
}

// invalidAttrs marks a field at fault for assistive technology: aria-invalid, and its message
// (the <small id="<field>-error">) as its description after any hints the field has (their ids
// in hints). errors is the page's "Errors" map.
func invalidAttrs(errors any, field string, hints ...string) template.HTMLAttr {
	m, _ := errors.(map[string]string)
	ids := make([]string, 0, len(hints)+1)
	for _, h := range hints {
		ids = append(ids, template.HTMLEscapeString(h))
	}
	invalid := m[field] != ""
	if invalid {
		ids = append(ids, template.HTMLEscapeString(field)+"-error")
	}
	var out string
	if invalid {
		out = ` aria-invalid="true"`
	}
	if len(ids) > 0 {
		out += ` aria-describedby="` + strings.Join(ids, " ") + `"`
	}
	return template.HTMLAttr(out)
}

// refill is how a page form answers its own bad input: a refusal naming fields re-renders the
// page in place (its status, the summary, each field marked, what was typed kept, by show);
// any other error goes on to the error page.
func (s *Server) refill(c *fiber.Ctx, err error, show func(fields map[string]string) error) error {
	fields := errs.FieldsOf(err)
	if len(fields) == 0 {
		return err
	}
	c.Status(statusOf(err))
	return show(fields)
}
