package portal

import (
	"context"
	"errors"
	"strings"
	"time"

	"qijian/internal/errs"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/grievance"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/store"
)

// orderScope turns the viewer into the list filter that bounds what it may see.
func orderScope(v *viewer) (store.OrderFilter, error) {
	f := store.OrderFilter{}
	switch v.User.Role {
	case account.RoleEnterprise:
		f.EnterpriseID = v.Actor.EnterpriseID
	case account.RoleObserver:
		f.ObserverID = v.User.ID
	case account.RoleLiaison:
		f.CountyCode = v.Actor.CountyCode
	case account.RoleOfficer:
		f.UnitBodyID = v.Actor.BodyID
	case account.RoleAdmin:
	default:
		return f, errForbidden
	}
	if f.UnitBodyID == 0 && v.User.Role == account.RoleOfficer {
		return f, errForbidden
	}
	return f, nil
}

// hidesReporter: an anonymous reporter is hidden from everyone but itself (and the observation
// point that filed for it). The reported body never learns it; a liaison or admin may reveal it
// deliberately, one order at a time, and each reveal is audited.
func hidesReporter(v *viewer, o *store.WorkOrder) bool {
	if !o.Anonymous {
		return false
	}
	switch v.User.Role {
	case account.RoleEnterprise:
		return v.Actor.EnterpriseID != o.EnterpriseID
	case account.RoleObserver:
		return o.ObserverID == nil || *o.ObserverID != v.User.ID
	}
	return true
}

// orderJSON is an order as the viewer may see it.
func (s *Server) orderJSON(ctx context.Context, v *viewer, o *store.WorkOrder, lang string, full bool, names map[uint]string) (fiber.Map, error) {
	m := fiber.Map{"id": o.ID, "number": o.Number, "type": o.Type, "status": o.Status, "level": o.Level,
		"level_name": lifecycle.LevelNames[o.Level][langIdx(lang)], "channel": o.Channel, "county": o.CountyCode,
		"anonymous": o.Anonymous, "created_at": o.CreatedAt.UTC(), "next_due_at": utcPtr(o.NextDueAt), "closed_at": utcPtr(o.ClosedAt)}
	if o.UnitBodyID != nil {
		m["unit_id"] = *o.UnitBodyID
	}
	if o.BodyID != nil {
		m["body_id"] = *o.BodyID
	}
	if !hidesReporter(v, o) {
		if name, ok := names[o.EnterpriseID]; ok {
			m["enterprise"] = fiber.Map{"id": o.EnterpriseID, "name": name}
		} else {
			e, err := s.Store.Enterprise(ctx, o.EnterpriseID)
			if err != nil {
				return nil, err
			}
			m["enterprise"] = fiber.Map{"id": e.ID, "name": e.Name}
		}
	}
	if !full {
		return m, nil
	}
	m["description"] = o.Description
	m["inspection_code"] = o.InspectionCode
	m["rating"] = o.Rating
	m["reopen_count"] = o.ReopenCount
	if o.Reasons != "" {
		m["reasons"] = strings.Split(o.Reasons, ",")
	} else {
		m["reasons"] = []string{}
	}
	events, err := s.Store.OrderEvents(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	tl := make([]fiber.Map, 0, len(events))
	for _, e := range events {
		// Only roles, never user ids: the timeline names no person.
		tl = append(tl, fiber.Map{"at": e.At.UTC(), "action": e.Action, "from": e.FromStatus, "to": e.ToStatus, "level": e.Level, "note": e.Note, "by": e.ActorRole})
	}
	m["timeline"] = tl
	dls, err := s.Store.OrderDeadlines(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	dl := make([]fiber.Map, 0, len(dls))
	for _, d := range dls {
		state := "running"
		if d.MetAt != nil {
			state = "met"
		} else if d.BreachedAt != nil {
			state = "breached"
		}
		dl = append(dl, fiber.Map{"stage": d.Stage, "round": d.Round, "due_at": d.DueAt.UTC(), "remind_at": d.RemindAt.UTC(), "state": state})
	}
	m["deadlines"] = dl
	evs, err := s.Store.OrderEvidence(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	files := make([]fiber.Map, 0, len(evs))
	for _, e := range evs {
		if hidesReporter(v, o) && e.ContentType == "application/pdf" {
			continue
		}
		files = append(files, fiber.Map{"id": e.ID, "content_type": e.ContentType, "size": e.Size, "created_at": e.CreatedAt.UTC()})
	}
	m["evidence"] = files
	m["can_attach"] = o.FiledByUserID == v.User.ID && o.Status != "closed"
	acts := lifecycle.Allowed(grievance.Order(o), grievance.GActor(v.Actor))
	if acts == nil {
		acts = []lifecycle.Action{}
	}
	m["allowed_actions"] = acts
	return m, nil
}

func langIdx(lang string) int {
	if lang == "en" {
		return 1
	}
	return 0
}

func utcPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// orderProblem maps the use cases' errors to answers.
func orderProblem(err error) error {
	var fe *grievance.FieldError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fe):
		return errs.InvalidFields(map[string]string{fe.Field: fe.Key})
	case errors.Is(err, grievance.ErrForbidden):
		return errForbidden
	case errors.Is(err, store.ErrNotFound):
		return errNotFound
	case errors.Is(err, lifecycle.ErrInput):
		return &errs.Error{Kind: errs.Invalid, Code: "validation", Key: "err.invalid", Fields: map[string]string{"input": "err.invalid"}}
	case errors.Is(err, lifecycle.ErrNotAllowed):
		return &errs.Error{Kind: errs.Conflict, Code: "not_allowed", Key: "err.forbidden"}
	}
	return err
}

// reporterNames gives each listed order the enterprise name the viewer may see, or "hidden".
func (s *Server) reporterNames(ctx context.Context, v *viewer, list []store.WorkOrder, lang string) ([]string, error) {
	out := make([]string, len(list))
	cache := map[uint]string{}
	for i := range list {
		o := &list[i]
		if hidesReporter(v, o) {
			out[i] = tr(lang, "orders.hidden")
			continue
		}
		if _, ok := cache[o.EnterpriseID]; !ok {
			e, err := s.Store.Enterprise(ctx, o.EnterpriseID)
			if err != nil {
				return nil, err
			}
			cache[o.EnterpriseID] = e.Name
		}
		out[i] = cache[o.EnterpriseID]
	}
	return out, nil
}

// visibleOrder loads the order named in the path, if the viewer may see it, with its full view.
func (s *Server) visibleOrder(c *fiber.Ctx) (*store.WorkOrder, fiber.Map, error) {
	id, err := orderID(c)
	if err != nil {
		return nil, nil, err
	}
	v := viewerOf(c)
	o, err := s.svc.Orders.Visible(c.UserContext(), v.Actor, id)
	if err != nil {
		return nil, nil, orderProblem(err)
	}
	m, err := s.orderJSON(c.UserContext(), v, o, langOf(c), true, nil)
	return o, m, err
}

// reveal shows a liaison or admin who filed an anonymous order, and records that it did.
func (s *Server) reveal(c *fiber.Ctx) (*store.WorkOrder, *account.Enterprise, error) {
	v := viewerOf(c)
	if v.User.Role != account.RoleLiaison && v.User.Role != account.RoleAdmin {
		return nil, nil, errForbidden
	}
	id, err := orderID(c)
	if err != nil {
		return nil, nil, err
	}
	var o *store.WorkOrder
	var e *account.Enterprise
	err = s.Store.WithTx(c.UserContext(), func(ctx context.Context) error {
		var err error
		if o, err = s.svc.Orders.Visible(ctx, v.Actor, id); err != nil {
			return err
		}
		if e, err = s.Store.Enterprise(ctx, o.EnterpriseID); err != nil {
			return err
		}
		return s.audit(ctx, c, "order.reveal", "order", o.ID, "")
	})
	if err != nil {
		return nil, nil, orderProblem(err)
	}
	return o, e, nil
}
