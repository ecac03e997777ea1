package portal

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"qijian/internal/errs"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/grievance"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/store"
)

type orderRow struct {
	ID                            uint64
	Number, Type, Status, Channel string
	Level                         int
	Enterprise, Due               string
	Late, AtRisk                  bool
}

// countdown says how long is left (or how late it is) in working-day-free wall time.
func countdown(lang string, due *time.Time, now time.Time) (string, bool) {
	if due == nil {
		return "—", false
	}
	d := due.Sub(now)
	late := d < 0
	if late {
		d = -d
	}
	var s string
	switch {
	case d >= 24*time.Hour:
		s = fmt.Sprintf("%dd %dh", int(d.Hours())/24, int(d.Hours())%24)
	case d >= time.Hour:
		s = fmt.Sprintf("%dh %dm", int(d.Hours()), int(d.Minutes())%60)
	default:
		s = fmt.Sprintf("%dm", int(d.Minutes()))
	}
	if late {
		return tr(lang, "orders.overdue") + " " + s, true
	}
	if lang == "en" {
		return s + " " + tr(lang, "orders.left"), false
	}
	return tr(lang, "orders.left") + " " + s, false
}

// filterFromQuery reads the console's filters, bounded by the viewer's scope.
func (s *Server) filterFromQuery(c *fiber.Ctx) (store.OrderFilter, error) {
	f, err := orderScope(viewerOf(c))
	if err != nil {
		return f, err
	}
	f.Status, f.Channel, f.Type = c.Query("status"), c.Query("channel"), c.Query("type")
	if f.Rule, f.CluesOnly = c.Query("rule"), c.QueryBool("clues"); f.Rule != "" && !slices.Contains(lifecycle.Reasons, f.Rule) {
		return f, errs.InvalidFields(map[string]string{"rule": "err.invalid"})
	}
	if l := c.Query("level"); l != "" {
		n, err := strconv.Atoi(l)
		if err == nil && n >= 0 && n <= lifecycle.MaxLevel {
			f.Level = &n
		}
	}
	if v := viewerOf(c); v.User.Role == account.RoleLiaison && v.Actor.CountyCode == "" || v.User.Role == account.RoleAdmin {
		if county := c.Query("county"); county != "" {
			f.CountyCode = county
		}
	}
	f.Late, f.AtRisk, f.Now = c.Query("late") == "1", c.Query("at_risk") == "1", s.Clock.Now()
	return f, nil
}

func (s *Server) ordersPage(c *fiber.Ctx) error {
	v := viewerOf(c)
	f, err := s.filterFromQuery(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	list, err := s.Store.Orders(ctx, f)
	if err != nil {
		return err
	}
	lang := langOf(c)
	now := s.Clock.Now()
	names, err := s.reporterNames(ctx, v, list, lang)
	if err != nil {
		return err
	}
	rows := make([]orderRow, 0, len(list))
	for i := range list {
		o := &list[i]
		r := orderRow{ID: o.ID, Number: o.Number, Type: o.Type, Status: o.Status, Channel: o.Channel, Level: o.Level, Enterprise: names[i]}
		r.Due, r.Late = countdown(lang, o.NextDueAt, now)
		rows = append(rows, r)
	}
	counties, err := s.Store.Counties(ctx)
	if err != nil {
		return err
	}
	canFile := v.User.Role == account.RoleEnterprise || v.User.Role == account.RoleObserver
	var liaisons []account.User
	if v.User.Role == account.RoleLiaison || v.User.Role == account.RoleAdmin {
		if liaisons, err = s.liaisonsFor(c, v.Actor.CountyCode); err != nil {
			return err
		}
	}
	staff := v.User.Role == account.RoleLiaison || v.User.Role == account.RoleAdmin
	return s.render(c, "orders", fiber.Map{"Title": tr(lang, "orders.title"), "Rows": rows, "Assigned": c.Query("assigned"), "CanFile": canFile, "Staff": staff,
		"Q": fiber.Map{"status": c.Query("status"), "channel": c.Query("channel"), "type": c.Query("type"), "level": c.Query("level"), "late": c.Query("late"), "at_risk": c.Query("at_risk"), "county": c.Query("county"), "rule": c.Query("rule"), "clues": c.Query("clues")}, "Rules": lifecycle.Reasons,
		"Levels": []string{"0", "1", "2", "3", "4"}, "Statuses": lifecycle.Statuses, "Types": lifecycle.Types, "Counties": counties, "CityLevel": staff && v.Actor.CountyCode == "", "Liaisons": liaisons, "Query": string(c.Request().URI().QueryString())})
}

func (s *Server) orderFormData(c *fiber.Ctx, f *grievance.Filing, fields map[string]string) (fiber.Map, error) {
	ctx := c.UserContext()
	v := viewerOf(c)
	bodies, err := s.Store.Bodies(ctx)
	if err != nil {
		return nil, err
	}
	var members []*account.Enterprise
	for _, id := range v.Actor.Members {
		e, err := s.Store.Enterprise(ctx, id)
		if err != nil {
			return nil, err
		}
		members = append(members, e)
	}
	lang := langOf(c)
	errs := fieldMessages(lang, fields)
	if f == nil {
		f = &grievance.Filing{Type: c.Query("type", "illegal_inspection"), InspectionCode: c.Query("code"), BodyID: uint(c.QueryInt("body_id"))}
	}
	checked := map[string]bool{}
	for _, r := range f.Reasons {
		checked[r] = true
	}
	return fiber.Map{"Title": tr(lang, "orders.new"), "Form": f, "Errors": errs, "Bodies": bodies, "Types": lifecycle.Types, "Reasons": lifecycle.Reasons,
		"Checked": checked, "Members": members, "Observer": v.User.Role == account.RoleObserver}, nil
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
	var o *store.WorkOrder
	if err == nil {
		o, _, err = s.svc.Orders.File(c.UserContext(), viewerOf(c).Actor, f, strings.Clone(c.FormValue("idempotency_key")))
		err = orderProblem(err)
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
	return s.renderOrder(c, nil)
}

// orderReveal shows the page once with the anonymous reporter named; nothing is kept, so each
// look is a new, audited reveal.
func (s *Server) orderReveal(c *fiber.Ctx) error {
	_, e, err := s.reveal(c)
	if err != nil {
		return err
	}
	return s.renderOrder(c, e)
}

func (s *Server) renderOrder(c *fiber.Ctx, revealed *account.Enterprise) error {
	v := viewerOf(c)
	o, m, err := s.visibleOrder(c)
	if err != nil {
		return err
	}
	bodies, err := s.Store.Bodies(c.UserContext())
	if err != nil {
		return err
	}
	due, late := countdown(langOf(c), o.NextDueAt, s.Clock.Now())
	staff := v.User.Role == account.RoleLiaison || v.User.Role == account.RoleAdmin
	var liaisons []account.User
	if staff {
		if liaisons, err = s.liaisonsFor(c, o.CountyCode); err != nil {
			return err
		}
	}
	return s.render(c, "order", fiber.Map{"Title": o.Number, "O": m, "Order": o, "Bodies": bodies, "Due": due, "Late": late, "Flash": c.Query("done"), "Staff": staff, "Liaisons": liaisons, "Types": lifecycle.Types, "Revealed": revealed, "CanReveal": staff && o.Anonymous && revealed == nil})
}

func (s *Server) orderAct(c *fiber.Ctx) error {
	id, err := orderID(c)
	if err != nil {
		return err
	}
	var f actionForm
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	if err := s.check(&f); err != nil {
		return err
	}
	_, err = s.svc.Orders.Act(c.UserContext(), viewerOf(c).Actor, id, lifecycle.Action(f.Action), f.input())
	if err != nil {
		return orderProblem(err)
	}
	return c.Redirect(fmt.Sprintf("/complaints/%d?done=%s", id, f.Action), fiber.StatusSeeOther)
}

// liaisonsFor lists the liaisons who may work orders of a county (its own and the city's).
func (s *Server) liaisonsFor(c *fiber.Ctx, county string) ([]account.User, error) {
	all, err := s.Store.UsersByRole(c.UserContext(), account.RoleLiaison)
	if err != nil {
		return nil, err
	}
	var out []account.User
	for _, u := range all {
		if !u.Disabled && (u.CountyCode == "" || county == "" || u.CountyCode == county) {
			out = append(out, u)
		}
	}
	return out, nil
}

// bulkAssign hands several orders to one liaison; each is checked and changed on its own, and
// the page reports how many moved.
func (s *Server) bulkAssign(c *fiber.Ctx) error {
	var f struct {
		IDs        []uint64 `form:"ids"`
		AssigneeID uint     `form:"assignee_id"`
	}
	if err := c.BodyParser(&f); err != nil || len(f.IDs) == 0 || len(f.IDs) > 200 || f.AssigneeID == 0 {
		return errs.InvalidFields(map[string]string{"ids": "err.required"})
	}
	moved := 0
	for _, id := range f.IDs {
		if _, err := s.svc.Orders.Act(c.UserContext(), viewerOf(c).Actor, id, lifecycle.Assign, lifecycle.Input{Assignee: f.AssigneeID}); err == nil {
			moved++
		} else if !errors.Is(err, store.ErrNotFound) && !errors.Is(err, lifecycle.ErrNotAllowed) {
			var fe *grievance.FieldError
			if errors.As(err, &fe) {
				return orderProblem(err)
			}
			return err
		}
	}
	return c.Redirect(fmt.Sprintf("/complaints?assigned=%d", moved), fiber.StatusSeeOther)
}
