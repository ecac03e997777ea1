package portal

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/errs"
	"qijian/internal/inspection"
	"qijian/portal/api"
)

// The inspection pages: the list, the notice with its case file, acknowledging and rating. The
// API (inspections_api.go) calls the same use cases.

func (s *Server) inspectionsPage(c *fiber.Ctx) error {
	l, err := s.svc.Inspections.List(c.UserContext(), viewerOf(c).Actor)
	if err != nil {
		return err
	}
	joint, err := s.svc.Inspections.JointRequests(c.UserContext(), viewerOf(c).Actor)
	if err != nil {
		return err
	}
	done := c.Query("joint")
	if done != "confirmed" && done != "declined" {
		done = ""
	}
	return s.render(c, "inspections", fiber.Map{"Title": tr(langOf(c), "insp.title"), "Rows": l.Rows, "Standing": l.Standing, "Year": l.Year, "Joint": joint, "JointDone": done})
}

// pageID reads the inspection a page is about; anything but an id is no inspection.
func pageID(c *fiber.Ctx) (uint64, error) {
	var p api.ID
	if err := bindParams(c, &p); err != nil || p.ID == 0 {
		return 0, errNotFound
	}
	return p.ID, nil
}

func (s *Server) inspectionPage(c *fiber.Ctx) error {
	id, err := pageID(c)
	if err != nil {
		return err
	}
	return s.renderInspection(c, id, nil, nil)
}

// postedRating is a rating form sent back with a problem: what was typed, in the shape the page
// reads a stored rating.
type postedRating struct {
	Score                                               int
	Comment                                             string
	CodeShown, CredentialShown, DataDemanded, Disrupted bool
}

func (s *Server) renderInspection(c *fiber.Ctx, id uint64, posted *postedRating, fields map[string]string) error {
	d, err := s.svc.Inspections.Detail(c.UserContext(), viewerOf(c).Actor, id)
	if err != nil {
		return err
	}
	data := fiber.Map{"Title": tr(langOf(c), "insp.notice"), "I": d, "Flash": c.Query("done"), "Notice": noticeText(langOf(c), d.Notice), "CanFile": mayFile(c),
		"Errors": fieldMessages(langOf(c), fields)}
	if posted != nil {
		data["Posted"] = posted
	}
	return s.render(c, "inspection", data)
}

func (s *Server) inspectionAck(c *fiber.Ctx) error {
	id, err := pageID(c)
	if err != nil {
		return err
	}
	if err := s.svc.Inspections.Acknowledge(c.UserContext(), viewerOf(c).Actor, id); err != nil {
		return err
	}
	return c.Redirect(inspectionURL(id, "ack"), fiber.StatusSeeOther)
}

func (s *Server) inspectionRate(c *fiber.Ctx) error {
	id, err := pageID(c)
	if err != nil {
		return err
	}
	var r inspection.RatingInput
	if err := c.BodyParser(&r); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	// The page's checkboxes answer both questions: a box left unticked is a "no".
	code, cred := c.FormValue("code_shown") == "true", c.FormValue("credential_shown") == "true"
	r.CodeShown, r.CredentialShown = &code, &cred
	err = s.check(&r)
	if err == nil {
		err = s.svc.Inspections.Rate(c.UserContext(), viewerOf(c).Actor, id, r)
	}
	if err != nil {
		return s.refill(c, err, func(fields map[string]string) error {
			return s.renderInspection(c, id, &postedRating{Score: r.Score, Comment: r.Comment, CodeShown: code, CredentialShown: cred, DataDemanded: r.DataDemanded, Disrupted: r.Disrupted}, fields)
		})
	}
	return c.Redirect(inspectionURL(id, "rate"), fiber.StatusSeeOther)
}

// inspectionURL is an inspection's page after done happened there (register, ack, rate, record,
// status), which it confirms.
func inspectionURL(id uint64, done string) string {
	return "/inspections/" + strconv.FormatUint(id, 10) + "?done=" + done
}
