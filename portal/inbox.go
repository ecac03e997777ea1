package portal

import (
	"github.com/gofiber/fiber/v2"
)

type inboxItem struct {
	Title, Body, Link, When string
	Unread                  bool
}

// inbox lists the viewer's own notifications; the query is scoped to the viewer, so there is no
// way to name someone else's.
func (s *Server) inbox(c *fiber.Ctx) error {
	v := viewerOf(c)
	lang := langOf(c)
	list, err := s.svc.Inbox.List(c.UserContext(), v.User.ID, lang, 100)
	if err != nil {
		return err
	}
	items := make([]inboxItem, 0, len(list))
	for _, n := range list {
		items = append(items, inboxItem{Title: n.Title, Body: n.Body, Link: safeNext(n.Link), When: n.CreatedAt.In(shanghai).Format("2006-01-02 15:04"), Unread: !n.Read})
	}
	return s.render(c, "inbox", fiber.Map{"Title": tr(lang, "inbox.title"), "Items": items})
}

func (s *Server) inboxRead(c *fiber.Ctx) error {
	if err := s.svc.Inbox.MarkAllRead(c.UserContext(), viewerOf(c).User.ID); err != nil {
		return err
	}
	return c.Redirect("/inbox", fiber.StatusSeeOther)
}
