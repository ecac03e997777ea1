package portal

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
)

type inboxItem struct {
	Title, Body, Link, When string
	ID                      uint64
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
		items = append(items, inboxItem{ID: n.ID, Title: n.Title, Body: n.Body, Link: safeNext(n.Link), When: n.CreatedAt.In(shanghai).Format("2006-01-02 15:04"), Unread: !n.Read})
	}
	return s.render(c, "inbox", fiber.Map{"Title": tr(lang, "inbox.title"), "Items": items})
}

// inboxOpen marks the viewer's message read and follows its link; a message without one leads
// back to the inbox.
func (s *Server) inboxOpen(c *fiber.Ctx) error {
	id, err := strconv.ParseUint(c.Params("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	link, err := s.svc.Inbox.Open(c.UserContext(), viewerOf(c).User.ID, id)
	if err != nil {
		return err
	}
	if link == "" {
		link = "/inbox"
	}
	return c.Redirect(safeNext(link), fiber.StatusSeeOther)
}

func (s *Server) inboxRead(c *fiber.Ctx) error {
	if err := s.svc.Inbox.MarkAllRead(c.UserContext(), viewerOf(c).User.ID); err != nil {
		return err
	}
	return c.Redirect("/inbox", fiber.StatusSeeOther)
}
