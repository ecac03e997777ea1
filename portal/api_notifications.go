package portal

import (
	"github.com/gofiber/fiber/v2"

	"qijian/internal/message"
	"qijian/portal/api"
)

// apiNotifications lists the caller's own inbox; the query is scoped to the caller.
func (s *Server) apiNotifications(c *fiber.Ctx, q *api.NotificationQuery, _ *struct{}) (api.List[api.Notification], error) {
	lang := langOf(c)
	if q.Lang != "" {
		lang = q.Lang
	}
	list, err := s.svc.Inbox.List(c.UserContext(), viewerOf(c).User.ID, lang, 100)
	if err != nil {
		return api.List[api.Notification]{}, err
	}
	items := make([]api.Notification, len(list))
	for i, n := range list {
		items[i] = api.Notification{ID: n.ID, Kind: n.Kind, Title: n.Title, Body: n.Body, Link: n.Link, CreatedAt: n.CreatedAt, Read: n.Read}
	}
	return api.ListOf(items), nil
}

func (s *Server) apiPrefs(c *fiber.Ctx, _, _ *struct{}) (message.Prefs, error) {
	return s.svc.Inbox.Prefs(c.UserContext(), viewerOf(c).User.ID)
}

func (s *Server) apiPrefsSave(c *fiber.Ctx, _ *struct{}, p *message.Prefs) (message.Prefs, error) {
	return s.svc.Inbox.SavePrefs(c.UserContext(), viewerOf(c).User.ID, *p)
}
