package portal

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
)

type navItem struct {
	Href, Key string
	Active    bool
}

// navFor is the navigation a role sees.
func navFor(role account.Role, path string) []navItem {
	items := []navItem{{Href: "/", Key: "nav.home"}}
	if role == account.RoleOperator {
		items = append(items, navItem{Href: "/intake", Key: "nav.intake"})
	}
	if role == account.RoleEnterprise || role == account.RoleOfficer || role == account.RoleLiaison || role == account.RoleAdmin {
		items = append(items, navItem{Href: "/inspections", Key: "nav.inspections"})
	}
	if role == account.RoleOfficer || role == account.RoleAdmin {
		items = append(items, navItem{Href: "/manage/masterdata", Key: "nav.manage"})
	}
	if role != account.RoleAnonymous && role != account.RoleProvider {
		items = append(items, navItem{Href: "/complaints", Key: "nav.orders"})
	}
	items = append(items, navItem{Href: "/services", Key: "nav.services"})
	if role == account.RoleEnterprise || role == account.RoleProvider {
		items = append(items, navItem{Href: "/bookings", Key: "nav.bookings"})
	}
	if role == account.RoleProvider {
		items = append(items, navItem{Href: "/provider/schedule", Key: "nav.schedule"})
	}
	if role == account.RoleEnterprise || role == account.RoleOfficer {
		items = append(items, navItem{Href: "/appointments", Key: "nav.appointments"}, navItem{Href: "/documents", Key: "nav.documents"})
	}
	if role == account.RoleEnterprise || role == account.RoleOfficer || role == account.RoleAdmin {
		items = append(items, navItem{Href: "/alerts", Key: "nav.alerts"})
	}
	if role == account.RoleAnonymous {
		items = append(items, navItem{Href: "/lists", Key: "nav.lists"})
	}
	if role != account.RoleAnonymous {
		items = append(items, navItem{Href: "/inbox", Key: "nav.inbox"})
	}
	if role == account.RoleLiaison || role == account.RoleAdmin {
		items = append(items, navItem{Href: "/clues", Key: "nav.clues"}) // clues are reviewed apart from the complaints
		items = append(items, navItem{Href: "/review/claims", Key: "nav.review"})
		items = append(items, navItem{Href: "/rates", Key: "nav.rates"}) // the hotline rates; the city level's supervision pages are linked from there
	}
	if role == account.RoleAdmin {
		items = append(items,
			navItem{Href: "/admin/users", Key: "nav.admin.users"},
			navItem{Href: "/admin/bodies", Key: "nav.admin.bodies"},
			navItem{Href: "/admin/counties", Key: "nav.admin.counties"},
			navItem{Href: "/admin/workflow", Key: "nav.admin.workflow"},
			navItem{Href: "/admin/calendar", Key: "nav.admin.calendar"},
			navItem{Href: "/admin/services", Key: "nav.admin.services"},
			navItem{Href: "/admin/reply-templates", Key: "nav.admin.reply_templates"},
			navItem{Href: "/admin/outbox", Key: "nav.admin.outbox"})
	}
	for i := range items {
		items[i].Active = items[i].Href == path
	}
	return items
}

// applicantNav is the menu of a self-registered login not yet approved: only what it may use
// (its application, its messages and their settings, the public services), not the enterprise's.
func applicantNav(path string) []navItem {
	items := []navItem{{Href: "/account/application", Key: "nav.application"}, {Href: "/inbox", Key: "nav.inbox"},
		{Href: "/settings/notifications", Key: "nav.settings"}, {Href: "/services", Key: "nav.services"}}
	for i := range items {
		items[i].Active = items[i].Href == path
	}
	return items
}

// render fills what every page needs (language, viewer, navigation, CSRF token) and renders.
func (s *Server) render(c *fiber.Ctx, name string, data fiber.Map) error {
	v := viewerOf(c)
	lang := langOf(c)
	if data == nil {
		data = fiber.Map{}
	}
	data["Lang"] = lang
	data["User"] = v.User
	role := account.RoleAnonymous
	if v.User != nil {
		role = v.User.Role
		data["RoleKey"] = "role." + string(role)
		// The menu button and the inbox item carry the unread count; a failure only hides it.
		if n, err := s.svc.Inbox.Unread(c.UserContext(), v.User.ID); err == nil && n > 0 {
			data["Unread"] = n
		}
	}
	data["Nav"] = navFor(role, c.Path())
	if role == account.RoleEnterprise && v.Actor.Applicant {
		data["Nav"] = applicantNav(c.Path())
	}
	data["CSRF"] = s.csrfToken(s.csrfBinding(c))
	data["Here"] = "/" // where the language switch returns: this page, if a GET shows it again
	if c.Method() == fiber.MethodGet {
		data["Here"] = safeNext(c.OriginalURL())
	}
	// A form that failed leads with its error summary (the layout's), which replaces the page's
	// own "check the marked fields" line.
	if p := problemsOf(data); len(p) > 0 {
		data["Problems"] = p
		delete(data, "Error")
	}
	if _, ok := data["Title"]; !ok {
		data["Title"] = tr(lang, "app.name")
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Render(name, data)
}

func (s *Server) setLang(c *fiber.Ctx) error {
	lang := "zh"
	if c.Params("lang") == "en" {
		lang = "en"
	}
	s.setCookie(c, cookieLang, lang, 365*24*time.Hour)
	return c.Redirect(safeNext(c.FormValue("next", "/")), fiber.StatusSeeOther)
}

// fieldMessages translates a problem's field keys for a form; "reasons[0]" marks "reasons".
func fieldMessages(lang string, fields map[string]string) map[string]string {
	out := map[string]string{}
	for k, key := range fields {
		out[strings.SplitN(k, "[", 2)[0]] = tr(lang, key)
	}
	return out
}
