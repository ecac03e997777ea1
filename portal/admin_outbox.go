package portal

import (
	"github.com/gofiber/fiber/v2"

	"qijian/internal/admin"
	"qijian/internal/errs"
)

// adminOutbox is where an admin reads the SMS and email the portal sent, or in embedded mode
// would have sent: the outbox stands in for the gateway and the mail server. Personal data in
// it is masked by the use case; a row is shown in full by an audited reveal (adminOutboxReveal).
func (s *Server) adminOutbox(c *fiber.Ctx) error {
	return s.renderOutbox(c, nil)
}

// outboxReveal is the reveal form: the delivery's id.
type outboxReveal struct {
	ID uint64 `form:"id"`
}

// adminOutboxReveal shows the outbox once with one delivery in full; nothing is kept, so each
// look is a new, audited reveal.
func (s *Server) adminOutboxReveal(c *fiber.Ctx) error {
	var in outboxReveal
	if err := c.BodyParser(&in); err != nil || in.ID == 0 {
		return errs.Field("id", "err.invalid")
	}
	d, err := s.svc.Admin.RevealDelivery(c.UserContext(), viewerOf(c).Actor, in.ID)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.renderOutbox(c, &d)
}

func (s *Server) renderOutbox(c *fiber.Ctx, revealed *admin.Delivery) error {
	ch := c.Query("channel")
	rows, err := s.svc.Admin.Outbox(c.UserContext(), viewerOf(c).Actor, ch)
	if err != nil {
		return err
	}
	if ch != "sms" && ch != "email" {
		ch = ""
	}
	return s.render(c, "admin_outbox", fiber.Map{"Title": tr(langOf(c), "admin.outbox"), "Rows": rows, "Channel": ch, "Revealed": revealed})
}
