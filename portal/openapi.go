package portal

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

//go:embed api/openapi.json
var openAPIDoc []byte

// OpenAPI returns the API description (tests compare it with the route table).
func OpenAPI() []byte { return openAPIDoc }

func (s *Server) openAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(openAPIDoc)
}
