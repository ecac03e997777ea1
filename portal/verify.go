package portal

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/skip2/go-qrcode"

	"qijian/internal/account"
	"qijian/internal/calendar"
	"qijian/internal/inspection"
	"qijian/internal/inspection/actcode"
	"qijian/internal/inspection/rules"
)

// verifyPage is public (no login): anyone at the door can check who is inspecting and why.
// It names no enterprise.
func (s *Server) verifyPage(c *fiber.Ctx) error {
	v, err := s.svc.Inspections.Verify(c.UserContext(), viewerOf(c).Actor, c.Params("code"))
	if err != nil {
		return err
	}
	data := fiber.Map{"Title": tr(langOf(c), "verify.title"), "Code": actcode.Format(v.Code), "State": string(v.State)}
	if v.Reader == account.CodeForeign {
		// Another enterprise's code: nothing of its owner, and no report link (a report names a
		// code of the reporter's own inspection).
		data["Foreign"] = true
		c.Set("Referrer-Policy", "no-referrer")
		return s.render(c, "verify", data)
	}
	if v.Decision != "" {
		data["Decision"], data["Bodies"], data["When"] = v.Decision, s.bodyNames(langOf(c), v.BodyIDs), v.When.In(shanghai).Format("2006-01-02")
		c.Set("Referrer-Policy", "no-referrer")
		return s.render(c, "verify", data)
	}
	if v.Found {
		data["Bodies"], data["Inspectors"], data["Items"], data["When"], data["NoticeOK"] = s.bodyNames(langOf(c), v.BodyIDs), v.Inspectors, v.Items, v.When.In(shanghai).Format("2006-01-02 15:04"), v.NoticeOK
		data["Notice"] = noticeText(langOf(c), v.Notice)
		if v.State == inspection.CodeMerged && v.MergedCode != "" {
			data["Merged"] = fmt.Sprintf(tr(langOf(c), "verify.merged.with"), v.MergedWhen.In(shanghai).Format("2006-01-02"))
			data["MergedLink"] = "/v/" + v.MergedCode
		}
		if v.LeadBodyID != 0 {
			data["Report"] = fmt.Sprintf("/complaints/new?type=illegal_inspection&code=%s&body_id=%d", v.Code, v.LeadBodyID)
		}
	}
	if v.State == inspection.CodeUnknown || v.State == inspection.CodeForged {
		c.Status(fiber.StatusNotFound)
		data["Report"] = "/complaints/new?type=missing_code&code=" + v.Code
	}
	if !mayFile(c) {
		delete(data, "Report") // the form would answer 403: an officer or a liaison reports otherwise
	}
	c.Set("Referrer-Policy", "no-referrer")
	return s.render(c, "verify", data)
}

// noticeText is NOTICE-1's verdict as the public reads it: what was required and when, and what
// happened.
func noticeText(lang string, n rules.NoticeVerdict) fiber.Map {
	out := fiber.Map{"State": string(n.State), "OK": n.State == rules.NoticeOnTime || n.State == rules.NoticeWithheld}
	latest := n.Latest.String()
	switch n.State {
	case rules.NoticeOnTime:
		out["Text"] = fmt.Sprintf(tr(lang, "verify.notice.on_time"), calendar.DateOf(*n.Delivered).String(), latest)
	case rules.NoticeLate:
		out["Text"] = fmt.Sprintf(tr(lang, "verify.notice.late_on"), calendar.DateOf(*n.Delivered).String(), latest)
	case rules.NoticeNotYetDue:
		out["Text"] = fmt.Sprintf(tr(lang, "verify.notice.not_yet_due"), latest)
	case rules.NoticeMissing:
		out["Text"] = fmt.Sprintf(tr(lang, "verify.notice.missing"), latest)
	case rules.NoticeWithheld:
		out["Text"] = fmt.Sprintf(tr(lang, "verify.notice.withheld"), n.Basis)
	default:
		return nil
	}
	return out
}

// frontDoor is the public landing page at /v (as / for visitors): a code typed in its box goes
// to that code's page.
func (s *Server) frontDoor(c *fiber.Ctx) error {
	typed := strings.TrimSpace(c.Query("code"))
	if i := strings.LastIndex(typed, "/v/"); i >= 0 { // a scanned or pasted link to a code's page
		typed = typed[i+3:]
	}
	if code := actcode.Normalize(typed); code != "" {
		return c.Redirect("/v/"+url.PathEscape(code), fiber.StatusSeeOther)
	}
	return s.render(c, "home_anon", fiber.Map{"Title": tr(langOf(c), "door.check")})
}

// mayFile tells whether the viewer may open the complaint form: a visitor (who logs in on the
// way) or one of the roles the form is for.
func mayFile(c *fiber.Ctx) bool {
	u := viewerOf(c).User
	return u == nil || u.Role == account.RoleEnterprise || u.Role == account.RoleObserver
}

// verifyQR renders the verify URL of a code as a QR image, PNG or SVG.
func (s *Server) verifyQR(c *fiber.Ctx) error {
	code := actcode.Normalize(c.Params("code"))
	if !s.svc.Inspections.ValidCode(code) {
		return errNotFound
	}
	url := s.PublicURL + "/v/" + code
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	if c.Params("ext") == "svg" {
		bm := q.Bitmap()
		var b strings.Builder
		fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges"><rect width="100%%" height="100%%" fill="#fff"/><path fill="#000" d="`, len(bm), len(bm))
		for y, row := range bm {
			for x, on := range row {
				if on {
					fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
				}
			}
		}
		b.WriteString(`"/></svg>`)
		c.Set(fiber.HeaderContentType, "image/svg+xml")
		return c.SendString(b.String())
	}
	png, err := q.PNG(256)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/png")
	return c.Send(png)
}
