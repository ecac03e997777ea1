package portal

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/inspection"
)

// bodyScope: officers manage their own body's master data, admins any body's.
func (s *Server) bodyScope(c *fiber.Ctx, write bool) (uint, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	if _, err := s.Store.Body(c.UserContext(), uint(id)); err != nil {
		return 0, err
	}
	v := viewerOf(c)
	if write && !(v.User.Role == account.RoleAdmin || (v.User.Role == account.RoleOfficer && v.Actor.BodyID == uint(id))) {
		return 0, errForbidden
	}
	return uint(id), nil
}

func parseDay(s string) (*time.Time, bool) {
	if strings.TrimSpace(s) == "" {
		return nil, true
	}
	t, err := time.ParseInLocation("2006-01-02", s, shanghai)
	return &t, err == nil
}

type inspectorForm struct {
	Name         string `json:"name" validate:"required,max=60"`
	CredentialNo string `json:"credential_no" validate:"required,max=40"`
	ValidFrom    string `json:"valid_from" validate:"required,datetime=2006-01-02"`
	ValidTo      string `json:"valid_to" validate:"required,datetime=2006-01-02"`
	Staff        string `json:"staff" validate:"required,oneof=on_post auxiliary grid_worker temporary"`
	Active       *bool  `json:"active"`
}

// SUBJ-2: a body's inspectors with their credentials.
func (s *Server) apiBodyInspectors(c *fiber.Ctx) error {
	id, err := s.bodyScope(c, false)
	if err != nil {
		return err
	}
	list, err := s.Store.BodyInspectors(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": list})
}

func (s *Server) apiAddInspector(c *fiber.Ctx) error {
	id, err := s.bodyScope(c, true)
	if err != nil {
		return err
	}
	var f inspectorForm
	if err := decodeJSON(c, &f); err != nil {
		return err
	}
	if err := s.check(&f); err != nil {
		return err
	}
	from, _ := parseDay(f.ValidFrom)
	to, _ := parseDay(f.ValidTo)
	p, err := s.svc.Inspections.SaveInspector(c.UserContext(), viewerOf(c).Actor, id, inspection.InspectorInput{Name: f.Name, CredentialNo: f.CredentialNo,
		ValidFrom: *from, ValidTo: *to, Staff: f.Staff, Active: f.Active == nil || *f.Active})
	if err != nil {
		return masterdataProblem(err)
	}
	return c.Status(fiber.StatusCreated).JSON(p)
}

type itemForm struct {
	Name        string `json:"name" validate:"required,max=200"`
	LegalBasis  string `json:"legal_basis" validate:"required,max=2000"`
	Method      string `json:"method" validate:"max=200"`
	Standard    string `json:"standard" validate:"max=2000"`
	PublishedOn string `json:"published_on" validate:"omitempty,datetime=2006-01-02"`
	WithdrawnOn string `json:"withdrawn_on" validate:"omitempty,datetime=2006-01-02"`
	AudioVideo  bool   `json:"audio_video"`
}

// LIST-1: a body's published inspection item list.
func (s *Server) apiBodyItems(c *fiber.Ctx) error {
	id, err := s.bodyScope(c, false)
	if err != nil {
		return err
	}
	list, err := s.Store.BodyItems(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": list})
}

func (s *Server) apiAddItem(c *fiber.Ctx) error {
	id, err := s.bodyScope(c, true)
	if err != nil {
		return err
	}
	var f itemForm
	if err := decodeJSON(c, &f); err != nil {
		return err
	}
	if err := s.check(&f); err != nil {
		return err
	}
	pub, _ := parseDay(f.PublishedOn)
	wd, _ := parseDay(f.WithdrawnOn)
	it, err := s.svc.Inspections.SaveItem(c.UserContext(), viewerOf(c).Actor, id, inspection.ItemInput{Name: f.Name, LegalBasis: f.LegalBasis, Method: f.Method, Standard: f.Standard,
		PublishedOn: pub, WithdrawnOn: wd, AudioVideo: f.AudioVideo})
	if err != nil {
		return masterdataProblem(err)
	}
	return c.Status(fiber.StatusCreated).JSON(it)
}

type planForm struct {
	Year        int    `json:"year" validate:"required,min=2020,max=2100"`
	Title       string `json:"title" validate:"required,max=200"`
	PublishedOn string `json:"published_on" validate:"omitempty,datetime=2006-01-02"`
}

// apiSavePlan records a body's annual plan (PLAN-1). Changing a published plan is recorded as a
// change, which the checks flag.
func (s *Server) apiSavePlan(c *fiber.Ctx) error {
	id, err := s.bodyScope(c, true)
	if err != nil {
		return err
	}
	var f planForm
	if err := decodeJSON(c, &f); err != nil {
		return err
	}
	if err := s.check(&f); err != nil {
		return err
	}
	pub, _ := parseDay(f.PublishedOn)
	p, err := s.svc.Inspections.SavePlan(c.UserContext(), viewerOf(c).Actor, id, inspection.PlanInput{Year: f.Year, Title: f.Title, PublishedOn: pub})
	if err != nil {
		return masterdataProblem(err)
	}
	return c.JSON(p)
}
