package portal

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/audit"
)

// audit records what the viewer did, in ctx's transaction.
func (s *Server) audit(ctx context.Context, c *fiber.Ctx, action, objType string, objID uint64, detail string) error {
	v := viewerOf(c)
	e := audit.Entry{At: s.Clock.Now(), Action: action, ObjectType: objType, ObjectID: objID, Detail: detail}
	if v.User != nil {
		e.ActorID, e.ActorRole = v.User.ID, string(v.User.Role)
	}
	return s.Store.QueueAudit(ctx, e)
}
