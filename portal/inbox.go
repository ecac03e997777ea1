package portal

import (
	"github.com/gofiber/fiber/v2"

	"qijian/internal/message"
)

type inboxItem struct {
	Title, Body, Link, When string
	Unread                  bool
}

// inbox lists the viewer's own notifications; the query is scoped to the viewer, so there is no
// way to name someone else's.
func (s *Server) inbox(c *fiber.Ctx) error {
	v := viewerOf(c)
	list, err := s.Store.Notifications(c.UserContext(), v.User.ID, 100)
	if err != nil {
		return err
	}
	lang := langOf(c)
	items := make([]inboxItem, 0, len(list))
	for _, n := range list {
		items = append(items, inboxItem{Title: message.Title(n.Title, lang), Body: n.Body, Link: safeNext(n.Link), When: n.CreatedAt.In(shanghai).Format("2006-01-02 15:04"), Unread: n.ReadAt == nil})
	}
	return s.render(c, "inbox", fiber.Map{"Title": tr(lang, "inbox.title"), "Items": items})
}

func (s *Server) inboxRead(c *fiber.Ctx) error {
	if err := s.Store.MarkAllRead(c.UserContext(), viewerOf(c).User.ID, s.Clock.Now()); err != nil {
		return err
	}
	return c.Redirect("/inbox", fiber.StatusSeeOther)
}
