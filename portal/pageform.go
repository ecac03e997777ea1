package portal

import (
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
