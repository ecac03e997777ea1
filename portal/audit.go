package portal

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/audit"
)

// audit records what the viewer did, in ctx's transaction. Use cases write their own audit
// entries (internal/admin, signin); this is left only for the two handlers that still write
// theirs (service.save in bookings_pages.go, order.reveal in orders_view.go) and goes with them.
func (s *Server) audit(ctx context.Context, c *fiber.Ctx, action, objType string, objID uint64, detail string) error {
	v := viewerOf(c)
	e := audit.Entry{At: s.Clock.Now(), Action: action, ObjectType: objType, ObjectID: objID, Detail: detail}
	if v.User != nil {
		e.ActorID, e.ActorRole = v.User.ID, string(v.User.Role)
	}
	return s.Store.QueueAudit(ctx, e)
}
