package portal

import (
	"context"
	"errors"
	"strings"

	"qijian/internal/errs"

	"qijian/internal/message"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/store"
)

// prefsForm is the notification settings, by page and by API (same names).
type prefsForm struct {
	Lang    string   `json:"lang" form:"lang" validate:"required,oneof=zh en"`
	Mobile  string   `json:"mobile" form:"mobile" validate:"required_if=SMS true,omitempty,mobile"`
	Email   string   `json:"email" form:"email" validate:"required_if=EmailOn true,omitempty,email,max=120"`
	SMS     bool     `json:"sms" form:"sms"`
	EmailOn bool     `json:"email_on" form:"email_on"`
	Muted   []string `json:"muted" form:"muted" validate:"max=10,dive,group"`
}

func prefsOut(p *store.NotificationPrefs) fiber.Map {
	muted := p.MutedGroups()
	if muted == nil {
		muted = []string{}
	}
	return fiber.Map{"lang": p.Lang, "mobile": p.Mobile, "email": p.Email, "sms": p.SMS, "email_on": p.EmailOn, "muted": muted}
}

func (s *Server) savePrefs(c *fiber.Ctx, f *prefsForm) (*store.NotificationPrefs, error) {
	f.Mobile, f.Email = strings.TrimSpace(f.Mobile), strings.TrimSpace(f.Email)
	if err := s.check(f); err != nil {
		return nil, err
	}
	p := &store.NotificationPrefs{UserID: viewerOf(c).User.ID, Lang: f.Lang, Mobile: f.Mobile, Email: f.Email, SMS: f.SMS, EmailOn: f.EmailOn,
		Muted: strings.Join(f.Muted, ","), UpdatedAt: s.Clock.Now()}
	err := s.Store.WithTx(c.UserContext(), func(ctx context.Context) error { return s.Store.SavePrefs(ctx, p) })
	return p, err
}

// settingsPage: everyone signed in chooses SMS and email on top of the inbox, and their language.
func (s *Server) settingsPage(c *fiber.Ctx) error {
	p, err := s.Store.Prefs(c.UserContext(), viewerOf(c).User.ID)
	if err != nil {
		return err
	}
	return s.renderSettings(c, &prefsForm{Lang: p.Lang, Mobile: p.Mobile, Email: p.Email, SMS: p.SMS, EmailOn: p.EmailOn, Muted: p.MutedGroups()}, nil)
}

func (s *Server) renderSettings(c *fiber.Ctx, f *prefsForm, fields map[string]string) error {
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
	var f prefsForm
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	_, err := s.savePrefs(c, &f)
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

func (s *Server) apiPrefs(c *fiber.Ctx) error {
	p, err := s.Store.Prefs(c.UserContext(), viewerOf(c).User.ID)
	if err != nil {
		return err
	}
	return c.JSON(prefsOut(p))
}

func (s *Server) apiPrefsSave(c *fiber.Ctx) error {
	var f prefsForm
	if err := decodeJSON(c, &f); err != nil {
		return err
	}
	p, err := s.savePrefs(c, &f)
	if err != nil {
		return err
	}
	return c.JSON(prefsOut(p))
}

// adminOutbox is where an admin reads the SMS and email the portal sent, or in embedded mode
// would have sent: the outbox stands in for the gateway and the mail server.
func (s *Server) adminOutbox(c *fiber.Ctx) error {
	ch := c.Query("channel")
	if ch != "sms" && ch != "email" {
		ch = ""
	}
	rows, err := s.Store.Deliveries(c.UserContext(), ch, 200)
	if err != nil {
		return err
	}
	return s.render(c, "admin_outbox", fiber.Map{"Title": tr(langOf(c), "admin.outbox"), "Rows": rows, "Channel": ch})
}
