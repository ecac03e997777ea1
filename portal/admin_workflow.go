package portal

import (
	"context"
	"fmt"

	"qijian/internal/errs"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/grievance/lifecycle"
	"qijian/internal/store"
)

type ruleForm struct {
	Type     string `form:"type" json:"type" validate:"omitempty,oneof=illegal_inspection missing_code conduct appeal consultation"`
	County   string `form:"county" json:"county" validate:"omitempty,county"`
	BodyID   uint   `form:"body_id" json:"body_id"`
	Channel  string `form:"channel" json:"channel" validate:"required,oneof=12345 12348"`
	UnitID   uint   `form:"unit_id" json:"unit_id"`
	Position int    `form:"position" json:"position" validate:"min=0,max=100000"`
}

type slaForm struct {
	Amount int    `form:"amount" json:"amount" validate:"required,min=1,max=365"`
	Unit   string `form:"unit" json:"unit" validate:"required,oneof=hours days"`
}

// adminWorkflow shows the routing table and the SLA table, both editable.
func (s *Server) adminWorkflow(c *fiber.Ctx) error {
	ctx := c.UserContext()
	rules, err := s.Store.RoutingRules(ctx)
	if err != nil {
		return err
	}
	sla, err := s.Store.SLAPolicies(ctx)
	if err != nil {
		return err
	}
	bodies, err := s.Store.Bodies(ctx)
	if err != nil {
		return err
	}
	counties, err := s.Store.Counties(ctx)
	if err != nil {
		return err
	}
	return s.render(c, "admin_workflow", fiber.Map{"Title": tr(langOf(c), "admin.workflow"), "Rules": rules, "SLA": sla, "Bodies": bodies,
		"Counties": counties, "Types": lifecycle.Types, "Saved": c.Query("saved") == "1"})
}

func (s *Server) adminRuleAdd(c *fiber.Ctx) error {
	var f ruleForm
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	if err := s.check(&f); err != nil {
		return err
	}
	r := &store.RoutingRule{Type: f.Type, CountyCode: f.County, Channel: f.Channel, Position: f.Position, CreatedAt: s.Clock.Now(), UpdatedAt: s.Clock.Now()}
	for _, p := range []struct {
		id    uint
		dst   **uint
		field string
	}{{f.BodyID, &r.BodyID, "body_id"}, {f.UnitID, &r.UnitBodyID, "unit_id"}} {
		if p.id == 0 {
			continue
		}
		if _, err := s.Store.Body(c.UserContext(), p.id); err != nil {
			return errs.InvalidFields(map[string]string{p.field: "err.invalid"})
		}
		id := p.id
		*p.dst = &id
	}
	err := s.Store.WithTx(c.UserContext(), func(ctx context.Context) error {
		if err := s.Store.AddRoutingRule(ctx, r); err != nil {
			return err
		}
		return s.audit(ctx, c, "routing.add", "routing_rule", uint64(r.ID), fmt.Sprintf(`{"type":%q,"county":%q,"channel":%q}`, r.Type, r.CountyCode, r.Channel))
	})
	if err != nil {
		return err
	}
	return c.Redirect("/admin/workflow?saved=1", fiber.StatusSeeOther)
}

func (s *Server) adminRuleDelete(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return errNotFound
	}
	err = s.Store.WithTx(c.UserContext(), func(ctx context.Context) error {
		if err := s.Store.DeleteRoutingRule(ctx, uint(id)); err != nil {
			return err
		}
		return s.audit(ctx, c, "routing.delete", "routing_rule", uint64(id), "")
	})
	if err != nil {
		return err
	}
	return c.Redirect("/admin/workflow?saved=1", fiber.StatusSeeOther)
}

func (s *Server) adminSLASave(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return errNotFound
	}
	var f slaForm
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	if err := s.check(&f); err != nil {
		return err
	}
	err = s.Store.WithTx(c.UserContext(), func(ctx context.Context) error {
		if err := s.Store.SetSLAPolicy(ctx, uint(id), f.Amount, f.Unit); err != nil {
			return err
		}
		return s.audit(ctx, c, "sla.set", "sla_policy", uint64(id), fmt.Sprintf(`{"amount":%d,"unit":%q}`, f.Amount, f.Unit))
	})
	if err != nil {
		return err
	}
	return c.Redirect("/admin/workflow?saved=1", fiber.StatusSeeOther)
}
