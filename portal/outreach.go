package portal

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"qijian/internal/errs"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/calendar"
	"qijian/internal/outreach"
	"qijian/internal/outreach/appointment"
	"qijian/internal/store"
)

func outreachProblem(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, outreach.ErrNotFound):
		return errNotFound
	case errors.Is(err, outreach.ErrForbidden):
		return errForbidden
	case errors.Is(err, appointment.ErrNotAllowed):
		return errs.New(errs.Conflict, "not_allowed", "booking.err.not_allowed")
	case errors.Is(err, outreach.ErrNeedTime):
		return errs.InvalidFields(map[string]string{"meet_at": "err.required"})
	case errors.Is(err, outreach.ErrMunicipal):
		return errs.InvalidFields(map[string]string{"body_id": "appt.err.municipal"})
	case errors.Is(err, outreach.ErrScore):
		return errs.InvalidFields(map[string]string{"score": "err.invalid"})
	}
	return err
}

// parseLocal reads an RFC 3339 time or a datetime-local value ("2006-01-02T15:04", Wenzhou time).
func parseLocal(v string) (*time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, true
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return &t, true
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, v, calendar.Location()); err == nil {
			return &t, true
		}
	}
	return nil, false
}

func idParam(c *fiber.Ctx) (uint64, error) {
	id, err := strconv.ParseUint(c.Params("id"), 10, 64)
	if err != nil {
		return 0, errNotFound
	}
	return id, nil
}

// --- appointments (约见) ---

type appointmentForm struct {
	BodyID      uint   `json:"body_id" form:"body_id" validate:"required"`
	Topic       string `json:"topic" form:"topic" validate:"required,max=2000"`
	PreferredAt string `json:"preferred_at" form:"preferred_at"`
}

func appointmentOut(a *store.Appointment) fiber.Map {
	return fiber.Map{"id": a.ID, "body_id": a.BodyID, "topic": a.Topic, "preferred_at": a.PreferredAt, "meet_at": a.MeetAt, "place": a.Place,
		"status": a.Status, "outcome": a.Outcome, "score": a.Score, "rating_comment": a.RatingComment, "created_at": a.CreatedAt}
}

func (s *Server) requestAppointment(c *fiber.Ctx, f *appointmentForm) (*store.Appointment, error) {
	if err := s.check(f); err != nil {
		return nil, err
	}
	pref, ok := parseLocal(f.PreferredAt)
	if !ok {
		return nil, errs.InvalidFields(map[string]string{"preferred_at": "err.invalid"})
	}
	ap, err := s.svc.Outreach.RequestAppointment(c.UserContext(), viewerOf(c).Actor, outreach.AppointmentRequest{BodyID: f.BodyID, Topic: f.Topic, PreferredAt: pref})
	return ap, outreachProblem(err)
}

type appointmentStepForm struct {
	Action string `json:"action" form:"action" validate:"required,oneof=accept propose agree decline cancel record rate"`
	MeetAt string `json:"meet_at" form:"meet_at"`
	Place  string `json:"place" form:"place" validate:"max=200"`
	Note   string `json:"note" form:"note" validate:"max=4000"`
	Score  int    `json:"score" form:"score"`
}

func (s *Server) actOnAppointment(c *fiber.Ctx, f *appointmentStepForm) (*store.Appointment, error) {
	id, err := idParam(c)
	if err != nil {
		return nil, err
	}
	if err := s.check(f); err != nil {
		return nil, err
	}
	at, ok := parseLocal(f.MeetAt)
	if !ok {
		return nil, errs.InvalidFields(map[string]string{"meet_at": "err.invalid"})
	}
	ap, err := s.svc.Outreach.ActOnAppointment(c.UserContext(), viewerOf(c).Actor, id, outreach.AppointmentStep{Action: appointment.Action(f.Action), MeetAt: at, Place: f.Place, Note: f.Note, Score: f.Score})
	return ap, outreachProblem(err)
}

func (s *Server) myAppointments(c *fiber.Ctx) ([]store.Appointment, error) {
	a := viewerOf(c).Actor
	switch a.Role {
	case account.RoleEnterprise:
		return s.Store.Appointments(c.UserContext(), a.EnterpriseID, 0)
	case account.RoleOfficer:
		return s.Store.Appointments(c.UserContext(), 0, a.BodyID)
	}
	return nil, errForbidden
}

func (s *Server) apiAppointments(c *fiber.Ctx) error {
	list, err := s.myAppointments(c)
	if err != nil {
		return err
	}
	items := make([]fiber.Map, len(list))
	for i := range list {
		items[i] = appointmentOut(&list[i])
	}
	return c.JSON(fiber.Map{"items": items})
}

func (s *Server) apiRequestAppointment(c *fiber.Ctx) error {
	var f appointmentForm
	if err := decodeJSON(c, &f); err != nil {
		return err
	}
	ap, err := s.requestAppointment(c, &f)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(appointmentOut(ap))
}

func (s *Server) apiAppointment(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	ap, err := s.svc.Outreach.Appointment(c.UserContext(), viewerOf(c).Actor, id)
	if err != nil {
		return outreachProblem(err)
	}
	return c.JSON(appointmentOut(ap))
}

func (s *Server) apiAppointmentAct(c *fiber.Ctx) error {
	var f appointmentStepForm
	if err := decodeJSON(c, &f); err != nil {
		return err
	}
	ap, err := s.actOnAppointment(c, &f)
	if err != nil {
		return err
	}
	return c.JSON(appointmentOut(ap))
}

func (s *Server) municipalBodies(c *fiber.Ctx) ([]account.Body, error) {
	all, err := s.Store.Bodies(c.UserContext())
	if err != nil {
		return nil, err
	}
	var out []account.Body
	for _, b := range all {
		if b.CountyCode == "" {
			out = append(out, b)
		}
	}
	return out, nil
}

func (s *Server) appointmentsPage(c *fiber.Ctx) error {
	list, err := s.myAppointments(c)
	if err != nil {
		return err
	}
	bodies, err := s.municipalBodies(c)
	if err != nil {
		return err
	}
	names := map[uint]string{}
	all, _ := s.Store.Bodies(c.UserContext())
	for _, b := range all {
		names[b.ID] = b.NameZh
	}
	return s.render(c, "appointments", fiber.Map{"Title": tr(langOf(c), "appt.title"), "Rows": list, "Bodies": bodies, "Names": names,
		"Enterprise": viewerOf(c).Actor.Role == account.RoleEnterprise, "Form": &appointmentForm{}, "Errors": map[string]string{}})
}

func (s *Server) appointmentCreate(c *fiber.Ctx) error {
	var f appointmentForm
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	ap, err := s.requestAppointment(c, &f)
	if err != nil {
		return err
	}
	return c.Redirect("/appointments/"+strconv.FormatUint(ap.ID, 10)+"?done=1", fiber.StatusSeeOther)
}

func (s *Server) appointmentPage(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	a := viewerOf(c).Actor
	ap, err := s.svc.Outreach.Appointment(c.UserContext(), a, id)
	if err != nil {
		return outreachProblem(err)
	}
	b, err := s.Store.Body(c.UserContext(), ap.BodyID)
	if err != nil {
		return err
	}
	side := appointment.Body
	if a.Role == account.RoleEnterprise {
		side = appointment.Enterprise
	}
	return s.render(c, "appointment", fiber.Map{"Title": tr(langOf(c), "appt.title"), "A": ap, "Body": b, "Done": c.Query("done") != "",
		"Actions": appointment.Allowed(appointment.Status(ap.Status), side, ap.Score != 0)})
}

func (s *Server) appointmentAct(c *fiber.Ctx) error {
	var f appointmentStepForm
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	ap, err := s.actOnAppointment(c, &f)
	if err != nil {
		return err
	}
	return c.Redirect("/appointments/"+strconv.FormatUint(ap.ID, 10)+"?done=1", fiber.StatusSeeOther)
}

// --- risk alerts ---

type alertForm struct {
	Title      string   `json:"title" form:"title" validate:"required,max=200"`
	Body       string   `json:"body" form:"body" validate:"required,max=10000"`
	Industries []string `json:"industries" form:"industries" validate:"max=20,dive,industry"`
	Counties   []string `json:"counties" form:"counties" validate:"max=20,dive,county"`
}

func alertOut(a *store.RiskAlert) fiber.Map {
	split := func(s string) []string {
		if s == "" {
			return []string{}
		}
		return strings.Split(s, ",")
	}
	return fiber.Map{"id": a.ID, "title": a.Title, "body": a.Body, "industries": split(a.Industries), "counties": split(a.Counties), "reached": a.Reached, "created_at": a.CreatedAt}
}

func (s *Server) publishAlert(c *fiber.Ctx, f *alertForm) (*store.RiskAlert, error) {
	if err := s.check(f); err != nil {
		return nil, err
	}
	al, err := s.svc.Outreach.PublishAlert(c.UserContext(), viewerOf(c).Actor, outreach.Alert{Title: f.Title, Body: f.Body, Industries: f.Industries, Counties: f.Counties})
	return al, outreachProblem(err)
}

func (s *Server) apiAlerts(c *fiber.Ctx) error {
	list, err := s.svc.Outreach.AlertsFor(c.UserContext(), viewerOf(c).Actor)
	if err != nil {
		return outreachProblem(err)
	}
	items := make([]fiber.Map, len(list))
	for i := range list {
		items[i] = alertOut(&list[i])
	}
	return c.JSON(fiber.Map{"items": items})
}

func (s *Server) apiPublishAlert(c *fiber.Ctx) error {
	var f alertForm
	if err := decodeJSON(c, &f); err != nil {
		return err
	}
	al, err := s.publishAlert(c, &f)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(alertOut(al))
}

func (s *Server) alertsPage(c *fiber.Ctx) error {
	list, err := s.svc.Outreach.AlertsFor(c.UserContext(), viewerOf(c).Actor)
	if err != nil {
		return outreachProblem(err)
	}
	counties, err := s.Store.Counties(c.UserContext())
	if err != nil {
		return err
	}
	role := viewerOf(c).Actor.Role
	return s.render(c, "alerts", fiber.Map{"Title": tr(langOf(c), "alert.title"), "Rows": list, "CanPublish": role == account.RoleOfficer || role == account.RoleAdmin,
		"Industries": account.Industries, "Counties": counties, "Done": c.Query("done") != ""})
}

func (s *Server) alertCreate(c *fiber.Ctx) error {
	var f alertForm
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	if _, err := s.publishAlert(c, &f); err != nil {
		return err
	}
	return c.Redirect("/alerts?done=1", fiber.StatusSeeOther)
}

func (s *Server) alertPage(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	al, err := s.svc.Outreach.AlertFor(c.UserContext(), viewerOf(c).Actor, id)
	if err != nil {
		return outreachProblem(err)
	}
	return s.render(c, "alert", fiber.Map{"Title": al.Title, "A": al})
}

// --- published lists ---

type penaltyForm struct {
	Category    string `json:"category" form:"category" validate:"required,oneof=none may_none mitigated lighter heavier"`
	Title       string `json:"title" form:"title" validate:"required,max=200"`
	Basis       string `json:"basis" form:"basis" validate:"required,max=500"`
	Description string `json:"description" form:"description" validate:"max=4000"`
	PublishedOn string `json:"published_on" form:"published_on" validate:"required,datetime=2006-01-02"`
}

func (s *Server) addPenalty(c *fiber.Ctx, f *penaltyForm) (*store.PenaltyEntry, error) {
	id, err := idParam(c)
	if err != nil {
		return nil, err
	}
	if err := s.check(f); err != nil {
		return nil, err
	}
	p := &store.PenaltyEntry{BodyID: uint(id), Category: f.Category, Title: strings.TrimSpace(f.Title), Basis: strings.TrimSpace(f.Basis), Description: f.Description, PublishedOn: f.PublishedOn}
	return p, outreachProblem(s.svc.Outreach.AddPenalty(c.UserContext(), viewerOf(c).Actor, p))
}

func (s *Server) apiPenalties(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	if _, err := s.Store.Body(c.UserContext(), uint(id)); err != nil {
		return err
	}
	list, err := s.Store.Penalties(c.UserContext(), uint(id))
	if err != nil {
		return err
	}
	items := make([]fiber.Map, len(list))
	for i, p := range list {
		items[i] = fiber.Map{"id": p.ID, "category": p.Category, "title": p.Title, "basis": p.Basis, "description": p.Description, "published_on": p.PublishedOn}
	}
	return c.JSON(fiber.Map{"items": items})
}

func (s *Server) apiAddPenalty(c *fiber.Ctx) error {
	var f penaltyForm
	if err := decodeJSON(c, &f); err != nil {
		return err
	}
	p, err := s.addPenalty(c, &f)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": p.ID, "category": p.Category, "title": p.Title})
}

func (s *Server) listsPage(c *fiber.Ctx) error {
	bodies, err := s.Store.Bodies(c.UserContext())
	if err != nil {
		return err
	}
	return s.render(c, "lists", fiber.Map{"Title": tr(langOf(c), "lists.title"), "Bodies": bodies})
}

type penaltyGroup struct {
	Code, Zh, En string
	Rows         []store.PenaltyEntry
}

// bodyListsPage is public: a body's five penalty lists and its inspection item list (LIST-1).
func (s *Server) bodyListsPage(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	b, err := s.Store.Body(ctx, uint(id))
	if err != nil {
		return err
	}
	pens, err := s.Store.Penalties(ctx, b.ID)
	if err != nil {
		return err
	}
	items, err := s.Store.BodyItems(ctx, b.ID)
	if err != nil {
		return err
	}
	groups := make([]penaltyGroup, len(outreach.Categories))
	for i, cat := range outreach.Categories {
		groups[i] = penaltyGroup{Code: cat.Code, Zh: cat.Zh, En: cat.En}
		for _, p := range pens {
			if p.Category == cat.Code {
				groups[i].Rows = append(groups[i].Rows, p)
			}
		}
	}
	a := viewerOf(c).Actor
	return s.render(c, "body_lists", fiber.Map{"Title": b.NameZh, "B": b, "Groups": groups, "Items": items, "Done": c.Query("done") != "",
		"CanEdit": a.Role == account.RoleAdmin || (a.Role == account.RoleOfficer && a.BodyID == b.ID), "Today": calendar.DateOf(s.Clock.Now()).String()})
}

func (s *Server) penaltyCreate(c *fiber.Ctx) error {
	var f penaltyForm
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	if _, err := s.addPenalty(c, &f); err != nil {
		return err
	}
	return c.Redirect("/lists/"+c.Params("id")+"?done=1", fiber.StatusSeeOther)
}

// --- three documents together (三书同达) ---

type documentsForm struct {
	EnterpriseUSCC string `json:"enterprise_uscc" form:"enterprise_uscc" validate:"required,uscc"`
	Decision       string `json:"decision" form:"decision" validate:"required,max=20000"`
	Advice         string `json:"advice" form:"advice" validate:"required,max=20000"`
	CreditRepair   string `json:"credit_repair" form:"credit_repair" validate:"required,max=20000"`
}

func bundleOut(b *store.DocumentBundle) fiber.Map {
	return fiber.Map{"id": b.ID, "number": b.Number, "body_id": b.BodyID, "enterprise_id": b.EnterpriseID, "created_at": b.CreatedAt, "read_at": b.ReadAt,
		"attachments": []fiber.Map{
			{"name": "decision", "title": "行政处罚决定书", "url": "/documents/" + strconv.FormatUint(b.ID, 10) + "/decision.txt"},
			{"name": "advice", "title": "行政合规建议书", "url": "/documents/" + strconv.FormatUint(b.ID, 10) + "/advice.txt"},
			{"name": "credit_repair", "title": "信用修复告知书", "url": "/documents/" + strconv.FormatUint(b.ID, 10) + "/credit_repair.txt"},
		}}
}

func (s *Server) sendDocuments(c *fiber.Ctx, f *documentsForm) (*store.DocumentBundle, error) {
	if err := s.check(f); err != nil {
		return nil, err
	}
	e, err := s.Store.EnterpriseByUSCC(c.UserContext(), account.NormalizeUSCC(f.EnterpriseUSCC))
	if errors.Is(err, store.ErrNotFound) {
		return nil, errs.InvalidFields(map[string]string{"enterprise_uscc": "docs.err.unknown"})
	}
	if err != nil {
		return nil, err
	}
	b, err := s.svc.Outreach.SendDocuments(c.UserContext(), viewerOf(c).Actor, outreach.Documents{EnterpriseID: e.ID, Decision: f.Decision, Advice: f.Advice, CreditRepair: f.CreditRepair})
	return b, outreachProblem(err)
}

func (s *Server) apiSendDocuments(c *fiber.Ctx) error {
	var f documentsForm
	if err := decodeJSON(c, &f); err != nil {
		return err
	}
	b, err := s.sendDocuments(c, &f)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(bundleOut(b))
}

func (s *Server) apiDocuments(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	b, err := s.svc.Outreach.BundleFor(c.UserContext(), viewerOf(c).Actor, id)
	if err != nil {
		return outreachProblem(err)
	}
	out := bundleOut(b)
	out["decision"], out["advice"], out["credit_repair"] = b.Decision, b.Advice, b.CreditRepair
	return c.JSON(out)
}

func (s *Server) documentsPage(c *fiber.Ctx) error {
	a := viewerOf(c).Actor
	var list []store.DocumentBundle
	var err error
	switch a.Role {
	case account.RoleEnterprise:
		list, err = s.Store.Bundles(c.UserContext(), a.EnterpriseID, 0)
	case account.RoleOfficer:
		list, err = s.Store.Bundles(c.UserContext(), 0, a.BodyID)
	default:
		return errForbidden
	}
	if err != nil {
		return err
	}
	return s.render(c, "documents", fiber.Map{"Title": tr(langOf(c), "docs.title"), "Rows": list, "Officer": a.Role == account.RoleOfficer})
}

func (s *Server) documentsCreate(c *fiber.Ctx) error {
	var f documentsForm
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	b, err := s.sendDocuments(c, &f)
	if err != nil {
		return err
	}
	return c.Redirect("/documents/"+strconv.FormatUint(b.ID, 10), fiber.StatusSeeOther)
}

func (s *Server) documentPage(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	b, err := s.svc.Outreach.BundleFor(c.UserContext(), viewerOf(c).Actor, id)
	if err != nil {
		return outreachProblem(err)
	}
	return s.render(c, "document", fiber.Map{"Title": tr(langOf(c), "docs.title") + " " + b.Number, "D": b, "Out": bundleOut(b)})
}

// documentFile sends one of the three documents as a text attachment.
func (s *Server) documentFile(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	b, err := s.svc.Outreach.BundleFor(c.UserContext(), viewerOf(c).Actor, id)
	if err != nil {
		return outreachProblem(err)
	}
	var text, name string
	switch c.Params("part") {
	case "decision.txt":
		text, name = b.Decision, "行政处罚决定书"
	case "advice.txt":
		text, name = b.Advice, "行政合规建议书"
	case "credit_repair.txt":
		text, name = b.CreditRepair, "信用修复告知书"
	default:
		return errNotFound
	}
	c.Set(fiber.HeaderContentType, "text/plain; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+b.Number+"-"+c.Params("part")+`"; filename*=UTF-8''`+b.Number+"-"+c.Params("part"))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString(name + " " + b.Number + "\r\n\r\n" + text + "\r\n")
}
