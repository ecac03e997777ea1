package grievance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"qijian/internal/account"
	"qijian/internal/audit"
	"qijian/internal/errs"
	"qijian/internal/grievance/lifecycle"
	"qijian/internal/store"
)

// Reply templates (答复模板): an admin keeps, per matter type (the order's type), texts in Chinese
// and English that the handling side starts its reply from. A retired template stays on record
// and is offered no more.

// TemplateInput is a template as the admin form or the API gives it.
type TemplateInput struct {
	Type    string `json:"type" form:"type" validate:"required,oneof=illegal_inspection missing_code conduct appeal consultation" doc:"the matter type (the order's type) it is offered for"`
	TitleZh string `json:"title_zh" form:"title_zh" validate:"required,max=100"`
	TitleEn string `json:"title_en" form:"title_en" validate:"required,max=100"`
	BodyZh  string `json:"body_zh" form:"body_zh" validate:"required,max=5000"`
	BodyEn  string `json:"body_en" form:"body_en" validate:"required,max=5000"`
}

// Template is one reply template.
type Template struct {
	ID               uint
	Type             lifecycle.Type
	TitleZh, TitleEn string
	BodyZh, BodyEn   string
	Retired          bool
}

func templateOf(t *store.ReplyTemplate) Template {
	return Template{ID: t.ID, Type: lifecycle.Type(t.Type), TitleZh: t.TitleZh, TitleEn: t.TitleEn, BodyZh: t.BodyZh, BodyEn: t.BodyEn, Retired: t.RetiredAt != nil}
}

func manageTemplates(by account.Actor) error {
	if !account.Can(by, account.ManageReplyTemplates, account.Object{}) {
		return ErrForbidden
	}
	return nil
}

// normalize trims what people typed and names the first field left empty or unknown.
func (in *TemplateInput) normalize() error {
	in.Type = strings.TrimSpace(in.Type)
	in.TitleZh, in.TitleEn = strings.TrimSpace(in.TitleZh), strings.TrimSpace(in.TitleEn)
	in.BodyZh, in.BodyEn = strings.TrimSpace(in.BodyZh), strings.TrimSpace(in.BodyEn)
	if !lifecycle.ValidType(in.Type) {
		return errs.Field("type", "err.invalid")
	}
	for _, f := range []struct{ name, v string }{{"title_zh", in.TitleZh}, {"title_en", in.TitleEn}, {"body_zh", in.BodyZh}, {"body_en", in.BodyEn}} {
		if f.v == "" {
			return errs.Field(f.name, "err.required")
		}
	}
	return nil
}

// AllTemplates is every template, retired ones too, for its admins.
func (s *Service) AllTemplates(ctx context.Context, by account.Actor) ([]Template, error) {
	if err := manageTemplates(by); err != nil {
		return nil, err
	}
	return s.templates(ctx, "", true)
}

func (s *Service) templates(ctx context.Context, typ string, all bool) ([]Template, error) {
	rows, err := s.St.ReplyTemplates(ctx, typ, all)
	if err != nil {
		return nil, fmt.Errorf("reply templates: %w", err)
	}
	out := make([]Template, len(rows))
	for i := range rows {
		out[i] = templateOf(&rows[i])
	}
	return out, nil
}

// TemplateOf is one template, for its admins (the edit form).
func (s *Service) TemplateOf(ctx context.Context, by account.Actor, id uint) (*Template, error) {
	if err := manageTemplates(by); err != nil {
		return nil, err
	}
	t, err := s.St.ReplyTemplate(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("reply template %d: %w", id, err)
	}
	v := templateOf(t)
	return &v, nil
}

// TemplatesFor is what the reply form offers for an order's type: the templates in force, to
// whoever may reply to some order (the handling side); to anyone else, nothing.
func (s *Service) TemplatesFor(ctx context.Context, by account.Actor, typ string) ([]Template, error) {
	switch by.Role {
	case account.RoleOfficer, account.RoleLiaison, account.RoleAdmin:
	default:
		return []Template{}, nil
	}
	if typ == "" || !lifecycle.ValidType(typ) {
		return []Template{}, nil
	}
	return s.templates(ctx, typ, false)
}

// SaveTemplate adds a template (id 0) or changes template id, and records who did.
func (s *Service) SaveTemplate(ctx context.Context, by account.Actor, id uint, in TemplateInput) (*Template, error) {
	if err := manageTemplates(by); err != nil {
		return nil, err
	}
	if err := in.normalize(); err != nil {
		return nil, err
	}
	return s.changeTemplate(ctx, by, id, "reply_template.save", func(t *store.ReplyTemplate) {
		t.Type, t.TitleZh, t.TitleEn, t.BodyZh, t.BodyEn = in.Type, in.TitleZh, in.TitleEn, in.BodyZh, in.BodyEn
	})
}

// RetireTemplate takes template id out of the reply forms; it stays on record.
func (s *Service) RetireTemplate(ctx context.Context, by account.Actor, id uint) (*Template, error) {
	if err := manageTemplates(by); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	return s.changeTemplate(ctx, by, id, "reply_template.retire", func(t *store.ReplyTemplate) {
		if t.RetiredAt == nil {
			t.RetiredAt = &now
		}
	})
}

func (s *Service) changeTemplate(ctx context.Context, by account.Actor, id uint, action string, change func(*store.ReplyTemplate)) (*Template, error) {
	var out Template
	err := s.St.WithTx(ctx, func(ctx context.Context) error {
		now := s.Clock.Now()
		t := &store.ReplyTemplate{CreatedBy: by.UserID, CreatedAt: now}
		if id != 0 {
			var err error
			if t, err = s.St.ReplyTemplate(ctx, id); err != nil {
				return err
			}
		} else if action != "reply_template.save" {
			return ErrNotFound
		}
		change(t)
		t.UpdatedAt = now
		if err := s.St.SaveReplyTemplate(ctx, t); err != nil {
			return err
		}
		out = templateOf(t)
		detail, _ := json.Marshal(map[string]string{"type": t.Type})
		return s.St.QueueAudit(ctx, audit.Event{At: now, ActorID: by.UserID, ActorRole: string(by.Role), Action: action, ObjectType: "reply_template", ObjectID: uint64(t.ID), Detail: string(detail)})
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("reply template %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("reply template: %w", err)
	}
	return &out, nil
}
