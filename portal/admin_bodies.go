package portal

import (
	"context"
	"errors"
	"strings"
	"time"

	"qijian/internal/errs"

	"github.com/gofiber/fiber/v2"

	"qijian/internal/account"
	"qijian/internal/store"
)

type bodyForm struct {
	NameZh      string `json:"name_zh" form:"name_zh" validate:"required,min=2,max=120"`
	NameEn      string `json:"name_en" form:"name_en" validate:"max=200"`
	Short       string `json:"short" form:"short" validate:"max=40"`
	County      string `json:"county" form:"county" validate:"omitempty,county"`
	Qualified   bool   `json:"qualified" form:"qualified"`
	AnnouncedOn string `json:"announced_on" form:"announced_on" validate:"omitempty,datetime=2006-01-02"`
}

func (s *Server) adminBodies(c *fiber.Ctx) error {
	bodies, err := s.Store.Bodies(c.UserContext())
	if err != nil {
		return err
	}
	counties, err := s.Store.Counties(c.UserContext())
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, k := range counties {
		names[k.Code] = k.NameZh
		if langOf(c) == "en" {
			names[k.Code] = k.NameEn
		}
	}
	return s.render(c, "admin_bodies", fiber.Map{"Title": tr(langOf(c), "admin.bodies.title"), "Bodies": bodies, "CountyNames": names, "Saved": c.Query("saved") == "1"})
}

func (s *Server) bodyFormData(c *fiber.Ctx, id uint, f *bodyForm, fields map[string]string) (fiber.Map, error) {
	counties, err := s.Store.Counties(c.UserContext())
	if err != nil {
		return nil, err
	}
	lang := langOf(c)
	errs := fieldMessages(lang, fields)
	return fiber.Map{"Title": tr(lang, "admin.bodies.title"), "ID": id, "Form": f, "Errors": errs, "Counties": counties}, nil
}

func (s *Server) adminBodyForm(c *fiber.Ctx) error {
	f := &bodyForm{Qualified: true}
	var id uint
	if c.Params("id") != "" {
		n, err := c.ParamsInt("id")
		if err != nil || n <= 0 {
			return errNotFound
		}
		b, err := s.Store.Body(c.UserContext(), uint(n))
		if err != nil {
			return err
		}
		id = b.ID
		f = &bodyForm{NameZh: b.NameZh, NameEn: b.NameEn, Short: b.Short, County: b.CountyCode, Qualified: b.Qualified}
		if b.AnnouncedOn != nil {
			f.AnnouncedOn = b.AnnouncedOn.Format("2006-01-02")
		}
	}
	data, err := s.bodyFormData(c, id, f, nil)
	if err != nil {
		return err
	}
	return s.render(c, "admin_body_form", data)
}

func (s *Server) adminBodySave(c *fiber.Ctx) error {
	var f bodyForm
	if err := c.BodyParser(&f); err != nil {
		return errs.New(errs.Malformed, "bad_request", "err.invalid")
	}
	f.NameZh, f.NameEn, f.Short = strings.TrimSpace(f.NameZh), strings.TrimSpace(f.NameEn), strings.TrimSpace(f.Short)
	var id uint
	if c.Params("id") != "" {
		n, err := c.ParamsInt("id")
		if err != nil || n <= 0 {
			return errNotFound
		}
		id = uint(n)
	}
	err := s.check(&f)
	if err == nil {
		b := &account.Body{ID: id, NameZh: f.NameZh, NameEn: f.NameEn, Short: f.Short, CountyCode: f.County, Qualified: f.Qualified, UpdatedAt: s.Clock.Now()}
		if f.AnnouncedOn != "" {
			d, _ := time.ParseInLocation("2006-01-02", f.AnnouncedOn, shanghai)
			b.AnnouncedOn = &d
		}
		if id == 0 {
			b.CreatedAt = b.UpdatedAt
		}
		err = s.Store.WithTx(c.UserContext(), func(ctx context.Context) error {
			if err := s.Store.SaveBody(ctx, b); err != nil {
				return err
			}
			return s.audit(ctx, c, "body.save", "body", uint64(b.ID), "")
		})
		if errors.Is(err, store.ErrConflict) {
			err = &errs.Error{Kind: errs.Conflict, Code: "conflict", Key: "err.form", Fields: map[string]string{"name_zh": "err.invalid"}}
		}
	}
	var p *errs.Error
	if errors.As(err, &p) && len(p.Fields) > 0 {
		data, derr := s.bodyFormData(c, id, &f, p.Fields)
		if derr != nil {
			return derr
		}
		c.Status(statusOf(p))
		return s.render(c, "admin_body_form", data)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/admin/bodies?saved=1", fiber.StatusSeeOther)
}

func (s *Server) adminCounties(c *fiber.Ctx) error {
	counties, err := s.Store.Counties(c.UserContext())
	if err != nil {
		return err
	}
	return s.render(c, "admin_counties", fiber.Map{"Title": tr(langOf(c), "admin.counties.title"), "Counties": counties})
}
