package portal

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/errs"
	"qijian/internal/inspection"
	"qijian/portal/api"
)

// The officers' and admins' pages for an enforcement body's master data (SUBJ-2, LIST-1, PLAN-1).
// Officers work on their own body only, admins on any. The forms bind the inputs the API binds
// (masterdata_api.go) and call the same use cases, which check that the caller may touch them.

// pageBody is the body a master-data page names in its query: none is the officer's own body,
// or for an admin no body yet (0); anything but an id is no body.
func pageBody(c *fiber.Ctx, raw string) (uint, error) {
	if raw = strings.TrimSpace(raw); raw == "" {
		if a := viewerOf(c).Actor; a.Role == account.RoleOfficer {
			return a.BodyID, nil
		}
		return 0, nil
	}
	n, err := strconv.ParseUint(raw, 10, 32)
	if err != nil || n == 0 {
		return 0, errNotFound
	}
	return uint(n), nil
}

func (s *Server) masterdataPage(c *fiber.Ctx) error {
	id, err := pageBody(c, c.Query("body"))
	if err != nil {
		return err
	}
	ctx, by := c.UserContext(), viewerOf(c).Actor
	data := fiber.Map{"Title": tr(langOf(c), "md.title"), "Saved": c.Query("saved")}
	if by.Role == account.RoleAdmin {
		if data["Bodies"], err = s.svc.Inspections.Bodies(ctx); err != nil {
			return err
		}
	}
	if id != 0 {
		md, err := s.svc.Inspections.MasterData(ctx, by, id)
		if err != nil {
			return err
		}
		data["Body"], data["Inspectors"], data["Items"], data["Plans"] = md.Body, md.Inspectors, md.Items, md.Plans
	}
	return s.render(c, "officer_masterdata", data)
}

// formBody is the body of a form page's path, which the viewer must manage.
func (s *Server) formBody(c *fiber.Ctx) (*account.Body, error) {
	var p api.BodyPath
	if err := bindParams(c, &p); err != nil {
		return nil, err
	}
	return s.svc.Inspections.ManagedBody(c.UserContext(), viewerOf(c).Actor, p.ID)
}

// editMasterForm shows the form of an entry of the path's body: ?id= names the entry to edit,
// none is a new one; the use case's form reads it for one who may write it.
func editMasterForm[F any](s *Server, c *fiber.Ctx, form func(context.Context, account.Actor, uint, uint) (*F, error), render func(*fiber.Ctx, *account.Body, *F, map[string]string) error) error {
	b, err := s.formBody(c)
	if err != nil {
		return err
	}
	id := uint64(0)
	if raw := c.Query("id"); raw != "" {
		if id, err = strconv.ParseUint(raw, 10, 32); err != nil {
			return errNotFound
		}
	}
	f, err := form(c.UserContext(), viewerOf(c).Actor, b.ID, uint(id))
	if err != nil {
		return err
	}
	return render(c, b, f, nil)
}

// --- inspectors (SUBJ-2) ---

func (s *Server) renderInspectorForm(c *fiber.Ctx, b *account.Body, f *inspection.InspectorInput, fields map[string]string) error {
	return s.render(c, "officer_inspector_form", fiber.Map{"Title": tr(langOf(c), "md.inspector"), "Body": b, "Form": f, "Staff": inspection.StaffKinds, "Errors": fieldMessages(langOf(c), fields)})
}

func (s *Server) inspectorFormPage(c *fiber.Ctx) error {
	return editMasterForm(s, c, s.svc.Inspections.InspectorForm, s.renderInspectorForm)
}

func (s *Server) inspectorSave(c *fiber.Ctx) error {
	return saveMasterForm(s, c, "inspector", s.renderInspectorForm, func(b *account.Body, f *inspection.InspectorInput) error {
		if f.Active == nil {
			f.Active = new(bool) // an unticked box sends nothing: not on post
		}
		_, err := s.svc.Inspections.SaveInspector(c.UserContext(), viewerOf(c).Actor, b.ID, *f)
		return err
	})
}

// --- inspection item list (LIST-1) ---

func (s *Server) renderItemForm(c *fiber.Ctx, b *account.Body, f *inspection.ItemInput, fields map[string]string) error {
	return s.render(c, "officer_item_form", fiber.Map{"Title": tr(langOf(c), "md.item"), "Body": b, "Form": f, "Errors": fieldMessages(langOf(c), fields)})
}

func (s *Server) itemFormPage(c *fiber.Ctx) error {
	return editMasterForm(s, c, s.svc.Inspections.ItemForm, s.renderItemForm)
}

func (s *Server) itemSave(c *fiber.Ctx) error {
	return saveMasterForm(s, c, "item", s.renderItemForm, func(b *account.Body, f *inspection.ItemInput) error {
		_, err := s.svc.Inspections.SaveItem(c.UserContext(), viewerOf(c).Actor, b.ID, *f)
		return err
	})
}

// --- annual plans (PLAN-1) ---

func (s *Server) renderPlanForm(c *fiber.Ctx, b *account.Body, f *inspection.PlanInput, fields map[string]string) error {
	return s.render(c, "officer_plan_form", fiber.Map{"Title": tr(langOf(c), "md.plan"), "Body": b, "Form": f, "Errors": fieldMessages(langOf(c), fields)})
}

func (s *Server) planFormPage(c *fiber.Ctx) error {
	b, err := s.formBody(c)
	if err != nil {
		return err
	}
	f, err := s.svc.Inspections.PlanForm(c.UserContext(), viewerOf(c).Actor, b.ID, c.QueryInt("year"))
	if err != nil {
		return err
	}
	return s.renderPlanForm(c, b, f, nil)
}

func (s *Server) planSave(c *fiber.Ctx) error {
	return saveMasterForm(s, c, "plan", s.renderPlanForm, func(b *account.Body, f *inspection.PlanInput) error {
		_, err := s.svc.Inspections.SavePlan(c.UserContext(), viewerOf(c).Actor, b.ID, *f)
		return err
	})
}

// saveMasterForm is the flow every master-data form shares: parse, find the body the viewer
// manages (from the path), validate, save, then show the form again with its field errors or go
// back to the body's master data.
func saveMasterForm[F any](s *Server, c *fiber.Ctx, what string, render func(*fiber.Ctx, *account.Body, *F, map[string]string) error, save func(*account.Body, *F) error) error {
	var f F
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	b, err := s.formBody(c)
	if err != nil {
		return err
	}
	if n, ok := any(&f).(interface{ Normalize() }); ok {
		n.Normalize()
	}
	if err = s.check(&f); err == nil {
		err = save(b, &f)
	}
	if p := formProblem(err); p != nil {
		c.Status(statusOf(p))
		return render(c, b, &f, p.Fields)
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/manage/masterdata?body=%d&saved=%s", b.ID, what), fiber.StatusSeeOther)
}

// formProblem is err when it names fields a form can show next to them.
func formProblem(err error) *errs.Error {
	var p *errs.Error
	if errors.As(err, &p) && len(p.Fields) > 0 {
		return p
	}
	return nil
}
