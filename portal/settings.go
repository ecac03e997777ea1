package portal

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/errs"
	"qijian/internal/message"
)

func (s *Server) savePrefs(c *fiber.Ctx, f *message.Prefs) error {
	f.Normalize()
	if err := s.check(f); err != nil {
		return err
	}
	_, err := s.svc.Inbox.SavePrefs(c.UserContext(), viewerOf(c).User.ID, *f)
	return err
}

// settingsPage: everyone signed in chooses SMS and email on top of the inbox, and their language.
func (s *Server) settingsPage(c *fiber.Ctx) error {
	p, err := s.svc.Inbox.Prefs(c.UserContext(), viewerOf(c).User.ID)
	if err != nil {
		return err
	}
	return s.renderSettings(c, &p, nil)
}

func (s *Server) renderSettings(c *fiber.Ctx, f *message.Prefs, fields map[string]string) error {
	lang := langOf(c)
	muted := map[string]bool{}
	for _, m := range f.Muted {
		muted[m] = true
	}
	data := fiber.Map{"Title": tr(lang, "settings.title"), "Form": f, "Muted": muted, "Groups": message.Groups,
		"Errors": fieldMessages(lang, fields), "Saved": c.Query("saved") == "1"}
	if len(fields) > 0 {
		data["Error"] = tr(lang, "err.form")
	}
	return s.render(c, "settings", data)
}

func (s *Server) settingsSave(c *fiber.Ctx) error {
	var f message.Prefs
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	err := s.savePrefs(c, &f)
	var p *errs.Error
	if errors.As(err, &p) && len(p.Fields) > 0 {
		c.Status(statusOf(p))
		return s.renderSettings(c, &f, p.Fields)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/settings/notifications?saved=1", fiber.StatusSeeOther)
}
