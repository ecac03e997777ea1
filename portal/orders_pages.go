package portal

import (
	"errors"
	"fmt"
	"net/url"
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
		rows[i] = orderRow{ID: o.ID, Number: o.Number, Type: string(o.Type), Status: string(o.Status), Channel: string(o.Channel), Level: o.Level, LevelName: levelName(o.Level, lang), Enterprise: reporterName(o, lang)}
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
	var o grievance.Filed
	if err == nil {
		o, err = s.svc.Orders.File(c.UserContext(), viewerOf(c).Actor, f, strings.Clone(c.FormValue("idempotency_key")))
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
	return c.Redirect("/complaints/"+strconv.FormatUint(o.ID, 10), fiber.StatusSeeOther)
}

func (s *Server) orderPage(c *fiber.Ctx) error {
	var p api.ID
	if err := bindParams(c, &p); err != nil {
		return err
	}
	return s.renderOrder(c, p.ID, nil)
}

// orderReveal shows the page once with the anonymous reporter named; nothing is kept, so each
// look is a new, audited reveal.
func (s *Server) orderReveal(c *fiber.Ctx) error {
	var p api.ID
	if err := bindParams(c, &p); err != nil {
		return err
	}
	r, err := s.svc.Orders.Reveal(c.UserContext(), viewerOf(c).Actor, p.ID)
	if err != nil {
		return err
	}
	return s.renderOrder(c, p.ID, &r)
}

func (s *Server) renderOrder(c *fiber.Ctx, id uint64, revealed *grievance.Reporter) error {
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
	return s.render(c, "order", fiber.Map{"Title": d.Number, "O": d, "C": choices, "LevelName": levelName(d.Level, lang), "Due": due, "Late": late,
		"Flash": c.Query("done"), "Types": lifecycle.Types, "ReturnCodes": lifecycle.ReturnCodes, "Revealed": revealed, "CanReveal": d.CanReveal && revealed == nil})
}

func (s *Server) orderAct(c *fiber.Ctx) error {
	var p api.ID
	if err := bindParams(c, &p); err != nil {
		return err
	}
	var m grievance.Move
	if err := c.BodyParser(&m); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	if err := s.check(&m); err != nil {
		return err
	}
	if _, err := s.svc.Orders.Act(c.UserContext(), viewerOf(c).Actor, p.ID, m); err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/complaints/%d?done=%s", p.ID, m.Action), fiber.StatusSeeOther)
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
