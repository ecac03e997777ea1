package portal

import (
	"github.com/gofiber/fiber/v2"
)

// adminOutbox is where an admin reads the SMS and email the portal sent, or in embedded mode
// would have sent: the outbox stands in for the gateway and the mail server.
func (s *Server) adminOutbox(c *fiber.Ctx) error {
	ch := c.Query("channel")
	rows, err := s.svc.Admin.Outbox(c.UserContext(), viewerOf(c).Actor, ch)
	if err != nil {
		return err
	}
	if ch != "sms" && ch != "email" {
		ch = ""
	}
	return s.render(c, "admin_outbox", fiber.Map{"Title": tr(langOf(c), "admin.outbox"), "Rows": rows, "Channel": ch})
}
