package portal

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"qijian/internal/errs"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/inspection"
	"qijian/internal/store"
)

// masterdataProblem maps the master-data and case-file use cases' errors to the portal's.
func masterdataProblem(err error) error {
	var fe *inspection.FieldError
	switch {
	case errors.As(err, &fe):
		return errs.InvalidFields(map[string]string{fe.Field: fe.Key})
	case errors.Is(err, inspection.ErrForbidden):
		return errForbidden
	case errors.Is(err, inspection.ErrRecordTooLarge):
		return &errs.Error{Kind: errs.TooLarge, Code: "too_large", Key: "err.file_size", Fields: map[string]string{"file": "err.file_size"}}
	case errors.Is(err, inspection.ErrRecordFileType):
		return &errs.Error{Kind: errs.Unsupported, Code: "unsupported_media_type", Key: "err.record_file_type", Fields: map[string]string{"file": "err.record_file_type"}}
	case errors.Is(err, inspection.ErrRecordClosed):
		return &errs.Error{Kind: errs.Conflict, Code: "not_allowed", Key: "err.record_closed"}
	case errors.Is(err, store.ErrConflict):
		return &errs.Error{Kind: errs.Conflict, Code: "conflict", Key: "err.form"}
	}
	return inspectionProblem(err)
}

// The officers' and admins' pages for an enforcement body's master data (SUBJ-2, LIST-1, PLAN-1),
// registering an inspection, and its case file (RECORD-1). Officers work on their own body only,
// admins on any. The body, inspector, item or inspection a page works on is named in the query
// or the form; the use cases in internal/inspections check that the caller may touch it.

// managedBody reads the body a page works on: raw names it (a query or form value); empty is the
// officer's own body. An officer naming another body is refused; an admin naming none gets nil.
func (s *Server) managedBody(c *fiber.Ctx, raw string) (*account.Body, error) {
	v := viewerOf(c)
	id := uint64(0)
	if raw = strings.TrimSpace(raw); raw != "" {
		n, err := strconv.ParseUint(raw, 10, 32)
		if err != nil || n == 0 {
			return nil, errNotFound
		}
		id = n
	} else if v.User.Role == account.RoleOfficer {
		id = uint64(v.Actor.BodyID)
	}
	if id == 0 {
		return nil, nil
	}
	if !inspection.CanManage(v.Actor, uint(id)) {
		return nil, errForbidden
	}
	b, err := s.Store.Body(c.UserContext(), uint(id))
	if err != nil {
		return nil, err
	}
	return b, nil
}

func dayString(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(shanghai).Format("2006-01-02")
}

func (s *Server) masterdataPage(c *fiber.Ctx) error {
	b, err := s.managedBody(c, c.Query("body"))
	if err != nil {
		return err
	}
	lang := langOf(c)
	data := fiber.Map{"Title": tr(lang, "md.title"), "Saved": c.Query("saved")}
	if viewerOf(c).User.Role == account.RoleAdmin {
		bodies, err := s.Store.Bodies(c.UserContext())
		if err != nil {
			return err
		}
		data["Bodies"] = bodies
	}
	if b == nil {
		return s.render(c, "officer_masterdata", data)
	}
	ctx := c.UserContext()
	people, err := s.Store.BodyInspectors(ctx, b.ID)
	if err != nil {
		return err
	}
	items, err := s.Store.BodyItems(ctx, b.ID)
	if err != nil {
		return err
	}
	plans, err := s.Store.BodyPlans(ctx, b.ID)
	if err != nil {
		return err
	}
	var ps, its, pls []fiber.Map
	for _, p := range people {
		ps = append(ps, fiber.Map{"ID": p.ID, "Name": p.Name, "Credential": p.CredentialNo, "From": dayString(&p.ValidFrom), "To": dayString(&p.ValidTo), "Staff": p.Staff, "Active": p.Active})
	}
	for _, it := range items {
		its = append(its, fiber.Map{"ID": it.ID, "Name": it.Name, "Basis": it.LegalBasis, "Method": it.Method, "Standard": it.Standard,
			"Published": dayString(it.PublishedOn), "Withdrawn": dayString(it.WithdrawnOn), "AudioVideo": it.AudioVideo})
	}
	for _, p := range plans {
		pls = append(pls, fiber.Map{"Year": p.Year, "Title": p.Title, "Published": dayString(p.PublishedOn), "Changed": p.ChangedAt != nil})
	}
	data["Body"], data["Inspectors"], data["Items"], data["Plans"] = b, ps, its, pls
	return s.render(c, "officer_masterdata", data)
}

// --- inspectors (SUBJ-2) ---

type inspectorPageForm struct {
	ID           uint   `json:"id" form:"id"`
	Name         string `json:"name" form:"name" validate:"required,max=60"`
	CredentialNo string `json:"credential_no" form:"credential_no" validate:"required,max=40"`
	ValidFrom    string `json:"valid_from" form:"valid_from" validate:"required,datetime=2006-01-02"`
	ValidTo      string `json:"valid_to" form:"valid_to" validate:"required,datetime=2006-01-02"`
	Staff        string `json:"staff" form:"staff" validate:"required,oneof=on_post auxiliary grid_worker temporary"`
	Active       bool   `json:"active" form:"active"`
}

var staffKinds = []string{"on_post", "auxiliary", "grid_worker", "temporary"}

func (s *Server) renderInspectorForm(c *fiber.Ctx, b *account.Body, f *inspectorPageForm, fields map[string]string) error {
	return s.render(c, "officer_inspector_form", fiber.Map{"Title": tr(langOf(c), "md.inspector"), "Body": b, "Form": f, "Staff": staffKinds, "Errors": fieldMessages(langOf(c), fields)})
}

func (s *Server) inspectorFormPage(c *fiber.Ctx) error {
	b, err := s.managedBody(c, c.Params("id"))
	if err != nil || b == nil {
		return needBody(err)
	}
	f := &inspectorPageForm{Staff: "on_post", Active: true}
	if raw := c.Query("id"); raw != "" {
		n, err := strconv.ParseUint(raw, 10, 32)
		if err != nil {
			return errNotFound
		}
		p, err := s.svc.Inspections.Inspector(c.UserContext(), b.ID, uint(n))
		if err != nil {
			return masterdataProblem(err)
		}
		f = &inspectorPageForm{ID: p.ID, Name: p.Name, CredentialNo: p.CredentialNo, ValidFrom: dayString(&p.ValidFrom), ValidTo: dayString(&p.ValidTo), Staff: p.Staff, Active: p.Active}
	}
	return s.renderInspectorForm(c, b, f, nil)
}

func (s *Server) inspectorSave(c *fiber.Ctx) error {
	return saveMasterForm(s, c, "inspector", s.renderInspectorForm, func(b *account.Body, f *inspectorPageForm) error {
		from, _ := parseDay(f.ValidFrom)
		to, _ := parseDay(f.ValidTo)
		_, err := s.svc.Inspections.SaveInspector(c.UserContext(), viewerOf(c).Actor, b.ID, inspection.InspectorInput{ID: f.ID, Name: f.Name, CredentialNo: f.CredentialNo,
			ValidFrom: *from, ValidTo: *to, Staff: f.Staff, Active: f.Active})
		return err
	})
}

// --- inspection item list (LIST-1) ---

type itemPageForm struct {
	ID          uint   `json:"id" form:"id"`
	Name        string `json:"name" form:"name" validate:"required,max=200"`
	LegalBasis  string `json:"legal_basis" form:"legal_basis" validate:"required,max=2000"`
	Method      string `json:"method" form:"method" validate:"max=200"`
	Standard    string `json:"standard" form:"standard" validate:"max=2000"`
	PublishedOn string `json:"published_on" form:"published_on" validate:"omitempty,datetime=2006-01-02"`
	WithdrawnOn string `json:"withdrawn_on" form:"withdrawn_on" validate:"omitempty,datetime=2006-01-02"`
	AudioVideo  bool   `json:"audio_video" form:"audio_video"`
}

func (s *Server) renderItemForm(c *fiber.Ctx, b *account.Body, f *itemPageForm, fields map[string]string) error {
	return s.render(c, "officer_item_form", fiber.Map{"Title": tr(langOf(c), "md.item"), "Body": b, "Form": f, "Errors": fieldMessages(langOf(c), fields)})
}

func (s *Server) itemFormPage(c *fiber.Ctx) error {
	b, err := s.managedBody(c, c.Params("id"))
	if err != nil || b == nil {
		return needBody(err)
	}
	f := &itemPageForm{}
	if raw := c.Query("id"); raw != "" {
		n, err := strconv.ParseUint(raw, 10, 32)
		if err != nil {
			return errNotFound
		}
		it, err := s.svc.Inspections.Item(c.UserContext(), b.ID, uint(n))
		if err != nil {
			return masterdataProblem(err)
		}
		f = &itemPageForm{ID: it.ID, Name: it.Name, LegalBasis: it.LegalBasis, Method: it.Method, Standard: it.Standard,
			PublishedOn: dayString(it.PublishedOn), WithdrawnOn: dayString(it.WithdrawnOn), AudioVideo: it.AudioVideo}
	}
	return s.renderItemForm(c, b, f, nil)
}

func (s *Server) itemSave(c *fiber.Ctx) error {
	return saveMasterForm(s, c, "item", s.renderItemForm, func(b *account.Body, f *itemPageForm) error {
		pub, _ := parseDay(f.PublishedOn)
		wd, _ := parseDay(f.WithdrawnOn)
		_, err := s.svc.Inspections.SaveItem(c.UserContext(), viewerOf(c).Actor, b.ID, inspection.ItemInput{ID: f.ID, Name: f.Name, LegalBasis: f.LegalBasis, Method: f.Method,
			Standard: f.Standard, PublishedOn: pub, WithdrawnOn: wd, AudioVideo: f.AudioVideo})
		return err
	})
}

// --- annual plans (PLAN-1) ---

type planPageForm struct {
	Year        int    `json:"year" form:"year" validate:"required,min=2020,max=2100"`
	Title       string `json:"title" form:"title" validate:"required,max=200"`
	PublishedOn string `json:"published_on" form:"published_on" validate:"omitempty,datetime=2006-01-02"`
}

func (s *Server) renderPlanForm(c *fiber.Ctx, b *account.Body, f *planPageForm, fields map[string]string) error {
	return s.render(c, "officer_plan_form", fiber.Map{"Title": tr(langOf(c), "md.plan"), "Body": b, "Form": f, "Errors": fieldMessages(langOf(c), fields)})
}

func (s *Server) planFormPage(c *fiber.Ctx) error {
	b, err := s.managedBody(c, c.Params("id"))
	if err != nil || b == nil {
		return needBody(err)
	}
	f := &planPageForm{Year: s.Clock.Now().In(shanghai).Year()}
	if y := c.QueryInt("year"); y != 0 {
		f.Year = y
		p, err := s.Store.PlanOf(c.UserContext(), b.ID, y)
		if err == nil {
			f.Title, f.PublishedOn = p.Title, dayString(p.PublishedOn)
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	return s.renderPlanForm(c, b, f, nil)
}

func (s *Server) planSave(c *fiber.Ctx) error {
	return saveMasterForm(s, c, "plan", s.renderPlanForm, func(b *account.Body, f *planPageForm) error {
		pub, _ := parseDay(f.PublishedOn)
		_, err := s.svc.Inspections.SavePlan(c.UserContext(), viewerOf(c).Actor, b.ID, inspection.PlanInput{Year: f.Year, Title: f.Title, PublishedOn: pub})
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
	b, err := s.managedBody(c, c.Params("id"))
	if err != nil || b == nil {
		return needBody(err)
	}
	if err = s.check(&f); err == nil {
		err = masterdataProblem(save(b, &f))
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

// needBody: a form page needs a body; an admin who named none is sent a 404.
func needBody(err error) error {
	if err != nil {
		return err
	}
	return errNotFound
}
