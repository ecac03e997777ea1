package portal

import (
	"slices"
	"strconv"
	"strings"

	"qijian/internal/errs"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/grievance"
	"qijian/internal/grievance/lifecycle"
)

// apiFile files a complaint. With an Idempotency-Key header a repeat gets the first answer and
// creates nothing.
func (s *Server) apiFile(c *fiber.Ctx) error {
	var f grievance.Filing
	if err := decodeJSON(c, &f); err != nil {
		return err
	}
	if err := s.check(&f); err != nil {
		return err
	}
	key := strings.Clone(strings.TrimSpace(c.Get("Idempotency-Key")))
	if len(key) > 100 {
		return &errs.Error{Kind: errs.Malformed, Code: "bad_request", Key: "err.max", Fields: map[string]string{"Idempotency-Key": "err.max"}}
	}
	o, _, err := s.svc.Orders.File(c.UserContext(), viewerOf(c).Actor, f, key)
	if err != nil {
		return orderProblem(err)
	}
	c.Location("/api/v1/complaints/" + strconv.FormatUint(o.ID, 10))
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": o.ID, "number": o.Number, "status": o.Status, "channel": o.Channel})
}

func (s *Server) apiComplaints(c *fiber.Ctx) error {
	v := viewerOf(c)
	f, err := orderScope(v)
	if err != nil {
		return err
	}
	f.Status, f.Channel, f.Type = c.Query("status"), c.Query("channel"), c.Query("type")
	if f.Rule, f.CluesOnly = c.Query("rule"), c.QueryBool("clues"); f.Rule != "" && !slices.Contains(lifecycle.Reasons, f.Rule) {
		return &errs.Error{Kind: errs.Malformed, Code: "bad_request", Key: "err.invalid", Fields: map[string]string{"rule": "err.invalid"}}
	}
	if l := c.Query("level"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 0 || n > lifecycle.MaxLevel {
			return &errs.Error{Kind: errs.Malformed, Code: "bad_request", Key: "err.invalid", Fields: map[string]string{"level": "err.invalid"}}
		}
		f.Level = &n
	}
	f.Late, f.AtRisk, f.Now, f.Limit = c.QueryBool("late"), c.QueryBool("at_risk"), s.Clock.Now(), c.QueryInt("limit", 200)
	list, err := s.Store.Orders(c.UserContext(), f)
	if err != nil {
		return err
	}
	// One query for the names a list shows, not one per row; orders whose reporter this viewer
	// may not know are left out of it.
	var ids []uint
	for i := range list {
		if !hidesReporter(v, &list[i]) {
			ids = append(ids, list[i].EnterpriseID)
		}
	}
	names, err := s.Store.EnterpriseNames(c.UserContext(), ids)
	if err != nil {
		return err
	}
	items := make([]fiber.Map, 0, len(list))
	for i := range list {
		m, err := s.orderJSON(c.UserContext(), v, &list[i], langOf(c), false, names)
		if err != nil {
			return err
		}
		items = append(items, m)
	}
	return c.JSON(fiber.Map{"items": items})
}

func orderID(c *fiber.Ctx) (uint64, error) {
	id, err := strconv.ParseUint(c.Params("id"), 10, 64)
	if err != nil || id == 0 {
		return 0, errNotFound
	}
	return id, nil
}

func (s *Server) apiComplaint(c *fiber.Ctx) error {
	_, m, err := s.visibleOrder(c)
	if err != nil {
		return err
	}
	return c.JSON(m)
}

type actionForm struct {
	Action     string `json:"action" form:"action" validate:"required,oneof=accept dispatch start reply return transfer request_info message follow_up rate close reopen escalate route assign classify"`
	UnitID     uint   `json:"unit_id" form:"unit_id"`
	Channel    string `json:"channel" form:"channel" validate:"omitempty,oneof=12345 12348"`
	AssigneeID uint   `json:"assignee_id" form:"assignee_id"`
	Type       string `json:"type" form:"type" validate:"omitempty,oneof=illegal_inspection missing_code conduct appeal consultation"`
	Reason     string `json:"reason" form:"reason" validate:"max=500"`
	Rating     int    `json:"rating" form:"rating" validate:"min=0,max=5"`
	Note       string `json:"note" form:"note" validate:"max=5000"`
}

func (s *Server) apiAct(c *fiber.Ctx) error {
	id, err := orderID(c)
	if err != nil {
		return err
	}
	var f actionForm
	if err := decodeJSON(c, &f); err != nil {
		return err
	}
	if err := s.check(&f); err != nil {
		return err
	}
	v := viewerOf(c)
	o, err := s.svc.Orders.Act(c.UserContext(), v.Actor, id, lifecycle.Action(f.Action), f.input())
	if err != nil {
		return orderProblem(err)
	}
	m, err := s.orderJSON(c.UserContext(), v, o, langOf(c), true, nil)
	if err != nil {
		return err
	}
	return c.JSON(m)
}

func (f actionForm) input() lifecycle.Input {
	return lifecycle.Input{Unit: f.UnitID, Channel: lifecycle.Channel(f.Channel), Assignee: f.AssigneeID, Type: lifecycle.Type(f.Type), Reason: f.Reason, Rating: f.Rating, Note: f.Note}
}

// apiReveal names the enterprise behind an anonymous order to a liaison or admin (audited).
func (s *Server) apiReveal(c *fiber.Ctx) error {
	_, e, err := s.reveal(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"enterprise": fiber.Map{"id": e.ID, "name": e.Name, "uscc": e.USCC, "contact_name": e.ContactName, "mobile": e.Mobile}})
}
