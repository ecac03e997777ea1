package portal

import (
	"github.com/gofiber/fiber/v2"

	"qijian/internal/message"
)

// apiNotifications lists the caller's own inbox; the query is scoped to the caller.
func (s *Server) apiNotifications(c *fiber.Ctx) error {
	v := viewerOf(c)
	list, err := s.Store.Notifications(c.UserContext(), v.User.ID, 100)
	if err != nil {
		return err
	}
	lang := langOf(c)
	if c.Query("lang") == "en" {
		lang = "en"
	}
	items := make([]fiber.Map, 0, len(list))
	for _, n := range list {
		items = append(items, fiber.Map{"id": n.ID, "kind": n.Kind, "title": message.Title(n.Title, lang), "body": n.Body, "link": n.Link, "created_at": n.CreatedAt.UTC(), "read": n.ReadAt != nil})
	}
	return c.JSON(fiber.Map{"items": items})
}
