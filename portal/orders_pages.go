package portal

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/errs"
	"qijian/internal/grievance"
	"qijian/internal/grievance/lifecycle"
	"qijian/portal/api"
)

type orderRow struct {
	ID                            uint64
	Number, Type, Status, Channel string
	Level                         int
	Enterprise, Due, LevelName    string
	FiledBy                       string // the enterprise's own list: who raised it (itself, an observation point, a clue)
	Late                          bool
	Phone                         bool // taken on a call by a hotline operator (电话)
}

// choice is a filter's option: its value and what people read.
type choice struct{ Value, Name string }

// countdown says how long is left (or how late it is) in working-day-free wall time.
func countdown(lang string, due *time.Time, now time.Time) (string, bool) {
	if due == nil {
		return "—", false
	}
	return plainDue(lang, *due, now)
}

// reporterName is the enterprise a viewer may know, or "hidden".
func reporterName(v *grievance.OrderView, lang string) string {
	if v.Reporter == nil {
		return tr(lang, "orders.hidden")
	}
	return v.Reporter.Name
}

// queueQuery reads the queue's filters from the query string, as the API reads them.
func queueQuery(c *fiber.Ctx) (grievance.Query, error) {
	var q grievance.Query
	err := bindParams(c, &q)
	return q, err
}

// queueFilters are the queue page's filters, which its export link carries over.
var queueFilters = []string{"q", "status", "channel", "type", "level", "late", "at_risk", "county", "rule", "clues"}

func (s *Server) ordersPage(c *fiber.Ctx) error {
	q, err := queueQuery(c)
	if err != nil {
		return err
	}
	ctx, by := c.UserContext(), viewerOf(c).Actor
	list, err := s.svc.Orders.List(ctx, by, q)
	if err != nil {
		return err
	}
	choices, err := s.svc.Orders.QueueChoices(ctx, by)
	if err != nil {
		return err
	}
	lang := langOf(c)
	now := s.svc.Clock.Now()
	rows := make([]orderRow, len(list))
	for i := range list {
		o := &list[i]
		rows[i] = orderRow{ID: o.ID, Number: o.Number, Type: string(o.Type), Status: string(o.Status), Channel: string(o.Channel), Level: o.Level, LevelName: levelName(o.Level, lang), Enterprise: reporterName(o, lang),
			Phone: o.Source == lifecycle.SourcePhone}
		rows[i].Due, rows[i].Late = countdown(lang, o.NextDueAt, now)
		if by.Role == account.RoleEnterprise {
			if k := filedByKey(o.Source); k != "" {
				rows[i].FiledBy = tr(lang, k)
			}
		}
	}
	filters := fiber.Map{}
	kept := url.Values{}
	for _, k := range queueFilters {
		filters[k] = c.Query(k)
		if v := c.Query(k); v != "" {
			kept.Set(k, v)
		}
	}
	levels := make([]choice, 0, lifecycle.MaxLevel+1)
	for l := 0; l <= lifecycle.MaxLevel; l++ {
		levels = append(levels, choice{strconv.Itoa(l), levelName(l, lang)})
	}
	export := "/complaints/export.xlsx"
	if len(kept) > 0 {
		export += "?" + kept.Encode()
	}
	return s.render(c, "orders", fiber.Map{"Title": tr(lang, "orders.title"), "Rows": rows, "Assigned": c.Query("assigned"), "C": choices,
		"Q": filters, "Rules": lifecycle.Reasons,
		"Levels": levels, "Statuses": lifecycle.Statuses, "Types": lifecycle.Types, "Export": export, "ShowFiledBy": by.Role == account.RoleEnterprise})
}

func (s *Server) orderFormData(c *fiber.Ctx, f *grievance.Filing, fields map[string]string) (fiber.Map, error) {
	choices, err := s.svc.Orders.FilingChoices(c.UserContext(), viewerOf(c).Actor)
	if err != nil {
		return nil, err
	}
	lang := langOf(c)
	if f == nil {
		f = &grievance.Filing{Type: c.Query("type", "illegal_inspection"), InspectionCode: c.Query("code"), BodyID: uint(c.QueryInt("body_id"))}
	}
	checked := map[string]bool{}
	for _, r := range f.Reasons {
		checked[r] = true
	}
	return fiber.Map{"Title": tr(lang, "orders.new"), "Form": f, "Errors": fieldMessages(lang, fields), "C": choices, "Types": lifecycle.Types, "Reasons": lifecycle.Reasons,
		"Checked": checked}, nil
}

func (s *Server) orderNewPage(c *fiber.Ctx) error {
	data, err := s.orderFormData(c, nil, nil)
	if err != nil {
		return err
	}
	return s.render(c, "order_new", data)
}

func (s *Server) orderCreate(c *fiber.Ctx) error {
	var f grievance.Filing
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	err := s.check(&f)
	if badKey(c.FormValue("idempotency_key")) {
		return errBadKey("idempotency_key")
	}
	// Photos come with the filing and pass the evidence checks before the order exists, so a bad
	// one sends the form back with nothing filed.
	var photos [][]byte
	if err == nil {
		photos, err = readUploads(c, "photos")
		for i := 0; err == nil && i < len(photos); i++ {
			err = s.svc.Orders.CheckEvidence(c.UserContext(), photos[i])
		}
		err = asField(err, "file", "photos")
	}
	var o grievance.Filed
	if err == nil {
		o, err = s.svc.Orders.File(c.UserContext(), viewerOf(c).Actor, f, strings.Clone(c.FormValue("idempotency_key")))
	}
	for i := 0; err == nil && i < len(photos); i++ {
		_, err = s.svc.Orders.Attach(c.UserContext(), s.files(), viewerOf(c).Actor, o.ID, photos[i])
		if err != nil {
			return err // filed; the page of the order says which photos came
		}
	}
	var p *errs.Error
	if errors.As(err, &p) && len(p.Fields) > 0 {
		data, derr := s.orderFormData(c, &f, p.Fields)
		if derr != nil {
			return derr
		}
		data["Error"] = tr(langOf(c), "err.form")
		c.Status(statusOf(p))
		return s.render(c, "order_new", data)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/complaints/"+strconv.FormatUint(o.ID, 10)+"?filed=1", fiber.StatusSeeOther)
}

// asField renames the field an error names (the evidence checks name "file"; the filing form
// calls its input "photos").
func asField(err error, from, to string) error {
	var e *errs.Error
	if !errors.As(err, &e) || e.Fields[from] == "" {
		return err
	}
	f := map[string]string{to: e.Fields[from]}
	return &errs.Error{Kind: errs.Invalid, Code: e.Code, Key: e.Key, Fields: f, Err: err}
}

func (s *Server) orderPage(c *fiber.Ctx) error {
	var p api.ID
	if err := bindParams(c, &p); err != nil {
		return err
	}
	return s.renderOrder(c, p.ID, orderState{})
}

// orderState is what a render of the order page carries beyond the order: a reveal's answer, or
// an action form that failed with its fields at fault and what was typed.
type orderState struct {
	revealed *grievance.Reporter
	failed   *grievance.Move
	fields   map[string]string
}

// orderButtons are the actions that need nothing but the click: one small button each.
var orderButtons = []lifecycle.Action{lifecycle.Accept, lifecycle.Start, lifecycle.StartFollow, lifecycle.Rehandle}

func (s *Server) renderOrder(c *fiber.Ctx, id uint64, st orderState) error {
	ctx, by := c.UserContext(), viewerOf(c).Actor
	d, err := s.svc.Orders.Detail(ctx, by, id)
	if err != nil {
		return err
	}
	choices, err := s.svc.Orders.ActionChoices(ctx, by, d.County)
	if err != nil {
		return err
	}
	lang := langOf(c)
	for i := range d.Timeline {
		d.Timeline[i].Note = s.systemNote(lang, d.Timeline[i].Action, d.Timeline[i].Note)
	}
	due, late := countdown(lang, d.NextDueAt, s.svc.Clock.Now())
	replies, err := s.orderReplies(c, d)
	if err != nil {
		return err
	}
	if st.failed != nil && st.failed.Action == string(lifecycle.Reply) {
		replies["Text"] = st.failed.Note // what was typed comes back
	}
	var buttons []lifecycle.Action
	for _, a := range d.Allowed {
		if slices.Contains(orderButtons, a) {
			buttons = append(buttons, a)
		}
	}
	// What was typed into the form that failed comes back in that form only, and its fields'
	// messages are named <action>-<field>, the ids of that form's fields.
	kept := map[lifecycle.Action]grievance.Move{}
	fieldErrs, labels := map[string]string{}, map[string]string{}
	if st.failed != nil {
		act := lifecycle.Action(st.failed.Action)
		kept[act] = *st.failed
		for f, m := range fieldMessages(lang, st.fields) {
			fieldErrs[string(act)+"-"+f] = m
			if l, ok := fieldLabels[f]; ok {
				labels[string(act)+"-"+f] = tr(lang, l)
			}
		}
	}
	// Just filed: what happens next and by when, and exactly who sees the filer.
	var filed fiber.Map
	if c.Query("filed") == "1" && d.CanAttach {
		filed = fiber.Map{"Anonymous": d.Anonymous}
		for _, dl := range d.Deadlines {
			if dl.Stage == string(lifecycle.StageAccept) && dl.State == "running" {
				filed["AcceptBy"] = acceptBy(lang, dl.DueAt, s.svc.Clock.Now())
			}
		}
	}
	var photos []grievance.EvidenceFile
	for _, f := range d.Evidence {
		if f.ContentType == "image/jpeg" || f.ContentType == "image/png" {
			photos = append(photos, f)
		}
	}
	return s.render(c, "order", fiber.Map{"Title": d.Number, "Replies": replies, "Photos": photos, "Filed": filed, "O": d, "C": choices, "LevelName": levelName(d.Level, lang), "Due": due, "Late": late,
		"Flash": c.Query("done"), "Types": lifecycle.Types, "ReturnCodes": lifecycle.ReturnCodes, "Revealed": st.revealed, "CanReveal": d.CanReveal && st.revealed == nil,
		"Buttons": buttons, "Kept": kept, "Errors": fieldErrs, "FieldLabels": labels, "Steps": progressOf(d, lang)})
}

// fieldLabels name an action form's fields in the error summary ("承办单位：此项必填").
var fieldLabels = map[string]string{
	"unit_id": "orders.unit", "reason": "orders.reason", "return_code": "orders.return.code", "rating": "orders.rating",
	"until": "orders.extension.until", "note": "orders.note", "channel": "orders.channel", "type": "orders.type",
	"assignee_id": "orders.assignee", "solved": "orders.follow.solved", "satisfied": "orders.follow.satisfied",
}

// confirmFirst are the actions that cannot be undone: the page asks once more before it applies
// them (the API applies them at once).
var confirmFirst = []lifecycle.Action{lifecycle.Escalate, lifecycle.Close}

func (s *Server) orderAct(c *fiber.Ctx) error {
	id, err := s.pageID(c)
	if err != nil {
		return err
	}
	var m grievance.Move
	if err := c.BodyParser(&m); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	m.Action = strings.Clone(m.Action)
	err = s.check(&m)
	if err == nil && slices.Contains(confirmFirst, lifecycle.Action(m.Action)) && c.FormValue("confirm") != "yes" {
		if lifecycle.Action(m.Action) == lifecycle.Escalate && strings.TrimSpace(m.Reason) == "" {
			err = errs.Field("reason", "err.required")
		} else {
			return s.confirmOrderAct(c, id, m)
		}
	}
	if err == nil {
		err = s.replyUpload(c, id, m.Action) // a reply's file goes in first, for the reply to take
	}
	if err == nil {
		_, err = s.svc.Orders.Act(c.UserContext(), viewerOf(c).Actor, id, m)
	}
	if err != nil {
		if !validAction(m.Action) {
			return err
		}
		return s.refill(c, err, func(fields map[string]string) error {
			return s.renderOrder(c, id, orderState{failed: &m, fields: fields})
		})
	}
	return c.Redirect(fmt.Sprintf("/complaints/%d?done=%s", id, m.Action), fiber.StatusSeeOther)
}

func validAction(a string) bool { return slices.Contains(lifecycle.Actions, lifecycle.Action(a)) }

// confirmOrderAct is the "check before you do it" step of an action that cannot be undone: what
// will happen, what was typed, a button that applies it and a way back. No script needed.
func (s *Server) confirmOrderAct(c *fiber.Ctx, id uint64, m grievance.Move) error {
	d, err := s.svc.Orders.Detail(c.UserContext(), viewerOf(c).Actor, id)
	if err != nil {
		return err
	}
	if !slices.Contains(d.Allowed, lifecycle.Action(m.Action)) {
		return lifecycle.ErrNotAllowed
	}
	lang := langOf(c)
	return s.render(c, "order_confirm", fiber.Map{"Title": tr(lang, "forms.confirm.title"), "O": d, "M": m, "LevelName": levelName(d.Level, lang), "NextLevel": levelName(min(d.Level+1, lifecycle.MaxLevel), lang)})
}

// orderRevealAsk asks why the reporter must be named before naming them: the reason goes into
// the timeline and the audit.
func (s *Server) orderRevealAsk(c *fiber.Ctx) error {
	id, err := s.pageID(c)
	if err != nil {
		return err
	}
	return s.renderRevealAsk(c, id, "", nil)
}

func (s *Server) renderRevealAsk(c *fiber.Ctx, id uint64, reason string, fields map[string]string) error {
	d, err := s.svc.Orders.Detail(c.UserContext(), viewerOf(c).Actor, id)
	if err != nil {
		return err
	}
	if !d.CanReveal {
		return errForbidden
	}
	lang := langOf(c)
	return s.render(c, "order_reveal", fiber.Map{"Title": tr(lang, "forms.reveal.title"), "O": d, "Reason": reason, "Errors": fieldMessages(lang, fields)})
}

// orderReveal shows the page once with the anonymous reporter named; nothing is kept, so each
// look is a new, audited reveal, with its reason.
func (s *Server) orderReveal(c *fiber.Ctx) error {
	id, err := s.pageID(c)
	if err != nil {
		return err
	}
	var in grievance.RevealRequest
	if err := c.BodyParser(&in); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	in.Reason = strings.TrimSpace(in.Reason)
	err = s.check(&in)
	var r grievance.Reporter
	if err == nil {
		r, err = s.svc.Orders.Reveal(c.UserContext(), viewerOf(c).Actor, id, in.Reason)
	}
	if err != nil {
		return s.refill(c, err, func(fields map[string]string) error { return s.renderRevealAsk(c, id, in.Reason, fields) })
	}
	return s.renderOrder(c, id, orderState{revealed: &r})
}

// bulkAssign hands several orders to one liaison; the page reports how many moved.
func (s *Server) bulkAssign(c *fiber.Ctx) error {
	var a grievance.Assignment
	if err := c.BodyParser(&a); err != nil {
		return errs.Field("ids", "err.required")
	}
	moved, err := s.svc.Orders.AssignMany(c.UserContext(), viewerOf(c).Actor, a)
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/complaints?assigned=%d", moved), fiber.StatusSeeOther)
}

// acceptBy says when an order is accepted at the latest, as a time people read: "明天 17:00 前",
// or, when that is near and plainDue counts down, the clock with the time left.
func acceptBy(lang string, due, now time.Time) string {
	p, _ := plainDue(lang, due, now)
	if due.Sub(now) >= 6*time.Hour || due.Before(now) {
		return p
	}
	clock := due.In(shanghai).Format("15:04")
	if lang == "en" {
		return "by " + clock + " (" + p + ")"
	}
	return clock + " 前（" + p + "）"
}
