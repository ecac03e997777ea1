package portal

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/calendar"
	"qijian/internal/outreach"
	"qijian/portal/api"
)

// Outreach (seed §2.8 三, §2.9 一): appointments, risk alerts, published penalty lists and the three
// documents together. Each page binds the input type its API twin binds and calls the same use
// case of internal/outreach.

// parseLocal reads an RFC 3339 time or a datetime-local value (Wenzhou time); the inspection
// pages read their times with it.
func parseLocal(v string) (*time.Time, bool) { return outreach.ParseTime(v) }

// --- appointments (约见) ---

func appointmentOut(v *outreach.AppointmentView) api.Appointment {
	return api.Appointment{ID: v.ID, BodyID: v.BodyID, Topic: v.Topic, PreferredAt: v.PreferredAt, MeetAt: v.MeetAt, Place: v.Place,
		Status: string(v.Status), Outcome: v.Outcome, Score: v.Score, RatingComment: v.RatingComment, CreatedAt: v.CreatedAt}
}

func appointmentAnswer(v *outreach.AppointmentView, err error) (api.Appointment, error) {
	return apiAnswer(v, err, appointmentOut)
}

func (s *Server) apiAppointments(c *fiber.Ctx, _, _ *struct{}) (api.List[api.Appointment], error) {
	list, err := s.svc.Outreach.Appointments(c.UserContext(), viewerOf(c).Actor)
	return apiList(list, err, appointmentOut)
}

func (s *Server) apiRequestAppointment(c *fiber.Ctx, _ *struct{}, in *outreach.AppointmentRequest) (api.Appointment, error) {
	return appointmentAnswer(s.svc.Outreach.RequestAppointment(keyed(c), viewerOf(c).Actor, *in))
}

func (s *Server) apiAppointment(c *fiber.Ctx, p *api.ID, _ *struct{}) (api.Appointment, error) {
	return appointmentAnswer(s.svc.Outreach.Appointment(c.UserContext(), viewerOf(c).Actor, p.ID))
}

func (s *Server) apiAppointmentAct(c *fiber.Ctx, p *api.ID, in *outreach.AppointmentStep) (api.Appointment, error) {
	return appointmentAnswer(s.svc.Outreach.ActOnAppointment(c.UserContext(), viewerOf(c).Actor, p.ID, *in))
}

func (s *Server) appointmentsPage(c *fiber.Ctx) error { return s.renderAppointments(c, nil, nil) }

// renderAppointments is the appointments page, with the request form sent back when it failed.
func (s *Server) renderAppointments(c *fiber.Ctx, form *outreach.AppointmentRequest, fields map[string]string) error {
	d, err := s.svc.Outreach.AppointmentDesk(c.UserContext(), viewerOf(c).Actor)
	if err != nil {
		return err
	}
	return s.render(c, "appointments", fiber.Map{"Title": tr(langOf(c), "appt.title"), "Rows": d.Appointments, "Bodies": d.Bodies, "CanRequest": d.CanRequest,
		"Form": form, "Errors": fieldMessages(langOf(c), fields), "FieldOrder": []string{"body_id", "topic", "preferred_at"}})
}

func (s *Server) appointmentCreate(c *fiber.Ctx) error {
	var in outreach.AppointmentRequest
	err := s.pageForm(c, &in)
	var ap *outreach.AppointmentView
	if err == nil {
		ap, err = s.svc.Outreach.RequestAppointment(keyed(c), viewerOf(c).Actor, in)
	}
	if err != nil {
		return s.refill(c, err, func(fields map[string]string) error { return s.renderAppointments(c, &in, fields) })
	}
	return c.Redirect("/appointments/"+strconv.FormatUint(ap.ID, 10)+"?done=1", fiber.StatusSeeOther)
}

func (s *Server) appointmentPage(c *fiber.Ctx) error {
	id, err := s.pageID(c)
	if err != nil {
		return err
	}
	ap, err := s.svc.Outreach.Appointment(c.UserContext(), viewerOf(c).Actor, id)
	if err != nil {
		return err
	}
	return s.render(c, "appointment", fiber.Map{"Title": tr(langOf(c), "appt.title"), "A": ap, "Done": c.Query("done") != ""})
}

func (s *Server) appointmentAct(c *fiber.Ctx) error {
	var in outreach.AppointmentStep
	id, err := s.idForm(c, &in)
	if err != nil {
		return err
	}
	if _, err := s.svc.Outreach.ActOnAppointment(c.UserContext(), viewerOf(c).Actor, id, in); err != nil {
		return err
	}
	return c.Redirect("/appointments/"+strconv.FormatUint(id, 10)+"?done=1", fiber.StatusSeeOther)
}

// --- risk alerts ---

func alertOut(v *outreach.AlertView) api.Alert {
	return api.Alert{ID: v.ID, Title: v.Title, Body: v.Body, Industries: nonNil(v.Industries), Counties: nonNil(v.Counties), Reached: v.Reached, CreatedAt: v.CreatedAt}
}

func (s *Server) apiAlerts(c *fiber.Ctx, _, _ *struct{}) (api.List[api.Alert], error) {
	list, err := s.svc.Outreach.Alerts(c.UserContext(), viewerOf(c).Actor)
	return apiList(list, err, alertOut)
}

func (s *Server) apiPublishAlert(c *fiber.Ctx, _ *struct{}, in *outreach.AlertInput) (api.Alert, error) {
	al, err := s.svc.Outreach.PublishAlert(c.UserContext(), viewerOf(c).Actor, *in)
	return apiAnswer(al, err, alertOut)
}

func (s *Server) alertsPage(c *fiber.Ctx) error { return s.renderAlerts(c, nil, nil) }

// renderAlerts is the alerts page, with the publishing form sent back when it failed.
func (s *Server) renderAlerts(c *fiber.Ctx, form *outreach.AlertInput, fields map[string]string) error {
	b, err := s.svc.Outreach.AlertBoard(c.UserContext(), viewerOf(c).Actor)
	if err != nil {
		return err
	}
	return s.render(c, "alerts", fiber.Map{"Title": tr(langOf(c), "alert.title"), "Rows": b.Alerts, "CanPublish": b.CanPublish,
		"Industries": account.Industries, "Counties": b.Counties, "Done": c.Query("done") != "",
		"Form": form, "Errors": fieldMessages(langOf(c), fields), "FieldOrder": []string{"title", "body", "industries", "counties"}})
}

func (s *Server) alertCreate(c *fiber.Ctx) error {
	var in outreach.AlertInput
	err := s.pageForm(c, &in)
	if err == nil {
		_, err = s.svc.Outreach.PublishAlert(c.UserContext(), viewerOf(c).Actor, in)
	}
	if err != nil {
		return s.refill(c, err, func(fields map[string]string) error { return s.renderAlerts(c, &in, fields) })
	}
	return c.Redirect("/alerts?done=1", fiber.StatusSeeOther)
}

func (s *Server) alertPage(c *fiber.Ctx) error {
	id, err := s.pageID(c)
	if err != nil {
		return err
	}
	al, err := s.svc.Outreach.Alert(c.UserContext(), viewerOf(c).Actor, id)
	if err != nil {
		return err
	}
	return s.render(c, "alert", fiber.Map{"Title": al.Title, "A": al})
}

// --- published lists ---

func penaltyOut(v *outreach.PenaltyView) api.Penalty {
	return api.Penalty{ID: v.ID, Category: v.Category, Title: v.Title, Basis: v.Basis, Description: v.Description, PublishedOn: v.PublishedOn}
}

func (s *Server) apiPenalties(c *fiber.Ctx, p *api.ID, _ *struct{}) (api.List[api.Penalty], error) {
	list, err := s.svc.Outreach.Penalties(c.UserContext(), uint(p.ID))
	return apiList(list, err, penaltyOut)
}

func (s *Server) apiAddPenalty(c *fiber.Ctx, p *api.ID, in *outreach.PenaltyInput) (api.Penalty, error) {
	v, err := s.svc.Outreach.AddPenalty(c.UserContext(), viewerOf(c).Actor, uint(p.ID), *in)
	return apiAnswer(v, err, penaltyOut)
}

func (s *Server) listsPage(c *fiber.Ctx) error {
	bodies, err := s.svc.Outreach.PublishingBodies(c.UserContext())
	if err != nil {
		return err
	}
	return s.render(c, "lists", fiber.Map{"Title": tr(langOf(c), "lists.title"), "Bodies": bodies})
}

// bodyListsPage is public: a body's five penalty lists and its inspection item list (LIST-1).
func (s *Server) bodyListsPage(c *fiber.Ctx) error {
	id, err := s.pageID(c)
	if err != nil {
		return err
	}
	l, err := s.svc.Outreach.BodyLists(c.UserContext(), viewerOf(c).Actor, uint(id))
	if err != nil {
		return err
	}
	return s.render(c, "body_lists", fiber.Map{"Title": l.Body.NameZh, "L": l, "Done": c.Query("done") != "", "Today": calendar.DateOf(s.svc.Clock.Now()).String()})
}

func (s *Server) penaltyCreate(c *fiber.Ctx) error {
	var in outreach.PenaltyInput
	id, err := s.idForm(c, &in)
	if err != nil {
		return err
	}
	if _, err := s.svc.Outreach.AddPenalty(c.UserContext(), viewerOf(c).Actor, uint(id), in); err != nil {
		return err
	}
	return c.Redirect("/lists/"+strconv.FormatUint(id, 10)+"?done=1", fiber.StatusSeeOther)
}

// --- three documents together (三书同达) ---

func bundleOut(v *outreach.BundleView) api.Bundle {
	out := api.Bundle{ID: v.ID, Number: v.Number, BodyID: v.BodyID, EnterpriseID: v.EnterpriseID, CreatedAt: v.CreatedAt, ReadAt: v.ReadAt,
		Attachments: make([]api.Attachment, len(v.Attachments)), Decision: v.Decision, Advice: v.Advice, CreditRepair: v.CreditRepair,
		DecisionCode: v.DecisionCode, VerifyURL: v.VerifyURL}
	for i, a := range v.Attachments {
		out.Attachments[i] = api.Attachment{Name: a.Name, Title: a.Title, URL: a.URL}
	}
	return out
}

func bundleAnswer(v *outreach.BundleView, err error) (api.Bundle, error) {
	return apiAnswer(v, err, bundleOut)
}

func (s *Server) apiSendDocuments(c *fiber.Ctx, _ *struct{}, in *outreach.DocumentsInput) (api.Bundle, error) {
	return bundleAnswer(s.svc.Outreach.SendDocuments(keyed(c), viewerOf(c).Actor, *in))
}

func (s *Server) apiDocuments(c *fiber.Ctx, p *api.ID, _ *struct{}) (api.Bundle, error) {
	return bundleAnswer(s.svc.Outreach.Bundle(c.UserContext(), viewerOf(c).Actor, p.ID))
}

func (s *Server) documentsPage(c *fiber.Ctx) error { return s.renderDocuments(c, nil, nil) }

// renderDocuments is the documents desk, with the sending form sent back when it failed.
func (s *Server) renderDocuments(c *fiber.Ctx, form *outreach.DocumentsInput, fields map[string]string) error {
	d, err := s.svc.Outreach.DocumentDesk(c.UserContext(), viewerOf(c).Actor)
	if err != nil {
		return err
	}
	return s.render(c, "documents", fiber.Map{"Title": tr(langOf(c), "docs.title"), "Rows": d.Bundles, "CanSend": d.CanSend,
		"Form": form, "Errors": fieldMessages(langOf(c), fields), "FieldOrder": []string{"enterprise_uscc", "decision", "advice", "credit_repair"}})
}

func (s *Server) documentsCreate(c *fiber.Ctx) error {
	var in outreach.DocumentsInput
	err := s.pageForm(c, &in)
	var b *outreach.BundleView
	if err == nil {
		b, err = s.svc.Outreach.SendDocuments(keyed(c), viewerOf(c).Actor, in)
	}
	if err != nil {
		return s.refill(c, err, func(fields map[string]string) error { return s.renderDocuments(c, &in, fields) })
	}
	return c.Redirect("/documents/"+strconv.FormatUint(b.ID, 10), fiber.StatusSeeOther)
}

func (s *Server) documentPage(c *fiber.Ctx) error {
	id, err := s.pageID(c)
	if err != nil {
		return err
	}
	b, err := s.svc.Outreach.Bundle(c.UserContext(), viewerOf(c).Actor, id)
	if err != nil {
		return err
	}
	return s.render(c, "document", fiber.Map{"Title": tr(langOf(c), "docs.title") + " " + b.Number, "D": b})
}

// documentPart names one document of a bundle: /documents/{id}/decision.txt.
type documentPart struct {
	api.ID
	Part string `param:"part"`
}

// documentFile sends one of the three documents as a text attachment.
func (s *Server) documentFile(c *fiber.Ctx) error {
	var p documentPart
	if err := s.pageParams(c, &p); err != nil {
		return err
	}
	f, err := s.svc.Outreach.DocumentFile(c.UserContext(), viewerOf(c).Actor, p.ID.ID, p.Part)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/plain; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+f.Name+`"; filename*=UTF-8''`+f.Name)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString(f.Text)
}
